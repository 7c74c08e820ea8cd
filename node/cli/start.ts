import { parseArgs } from 'node:util'
import { UsageError, type Command } from './command.js'
import { createNode, roleSetup } from '../index.js'
import { loadConfig } from '../config/index.js'
import { notifyParentReady, untilStopRequested } from '../parent-link.js'

const usage = `usage: porchlight start --dir DIR

Runs the node in DIR (libp2p, storage, HTTP API and its role's services) until SIGINT or SIGTERM (or, when
started with an IPC channel, until the parent goes), then stops cleanly. Prints one line when ready; DIR/node.json then holds its peer id, addresses and API URL.`

export const start: Command = {
  name: 'start',
  summary: 'run a node until SIGINT/SIGTERM',
  usage,
  async run (argv) {
    const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { dir: { type: 'string' } } })
    if (values.dir === undefined) throw new UsageError('--dir is required')
    const stopped = untilStopRequested()
    const config = await loadConfig(values.dir)
    const setup = roleSetup(config.role)
    const node = await createNode({
      dir: values.dir,
      config,
      services: setup.services,
      ...(setup.messageId === undefined ? {} : { libp2p: { messageId: setup.messageId } })
    })
    await node.start()
    const info = node.info()
    console.log(`porchlight: ${info.role} '${info.name}' ready; peer ${info.peerId}; api ${info.api?.url ?? 'off'}; listening ${info.addrs.join(' ')}`)
    notifyParentReady()
    const signal = await stopped
    await node.stop()
    console.log(`porchlight: stopped (${signal})`)
    return 0
  }
}

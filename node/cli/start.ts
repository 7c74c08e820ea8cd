import { parseArgs } from 'node:util'
import { UsageError, type Command } from './command.js'
import { createNode, roleSetup } from '../index.js'
import { loadConfig } from '../config/index.js'

const usage = `usage: porchlight start --dir DIR

Runs the node in DIR (libp2p, storage, HTTP API and its role's services) until SIGINT or SIGTERM, then stops
cleanly. Prints one line when ready; DIR/node.json then holds its peer id, addresses and API URL.`

/** Resolves with the first of SIGINT/SIGTERM; a second one while stopping exits at once. */
function nextSignal (): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on)
      process.off('SIGTERM', on)
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      resolve(signal)
    }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
}

export const start: Command = {
  name: 'start',
  summary: 'run a node until SIGINT/SIGTERM',
  usage,
  async run (argv) {
    const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { dir: { type: 'string' } } })
    if (values.dir === undefined) throw new UsageError('--dir is required')
    const stopped = nextSignal()
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
    const signal = await stopped
    await node.stop()
    console.log(`porchlight: stopped (${signal})`)
    return 0
  }
}

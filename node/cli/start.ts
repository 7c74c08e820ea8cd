import { parseArgs } from 'node:util'
import { UsageError, type Command } from './command.js'
import { createNode, roleSetup } from '../index.js'
import { loadConfig } from '../config/index.js'
import { notifyParentReady, untilStopRequested } from '../parent-link.js'

const usage = `usage: porchlight start --dir DIR

Runs the node in DIR (libp2p, storage, HTTP API and its role's services) until SIGINT or SIGTERM (or, when
started with an IPC channel, until the parent goes), then stops cleanly. Logs JSON lines on stdout (level from
the config's log.level or PORCHLIGHT_LOG_LEVEL), one with "msg":"node: ready" when ready; DIR/node.json then
holds its peer id, addresses and API URL.`

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
    // The node logs its own ready and stopped lines: stdout is its log file under the demo, all JSON lines.
    await node.start()
    notifyParentReady()
    const signal = await stopped
    node.logger.info({ signal }, 'porchlight: stopping')
    await node.stop()
    return 0
  }
}

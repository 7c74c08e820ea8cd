// `porchlight start`: runs a node. What this file imports is what every node loads, so nothing here (or in
// node/index.ts) may reach the embedded chain's Hardhat statically: test/unit/cli/start-imports.test.ts.
import type { Command } from '@commander-js/extra-typings'
import { act } from './command.js'
import { createNode, roleSetup } from '../index.js'
import { loadConfig } from '../config/index.js'
import { notifyParentReady, untilStopRequested } from '../parent-link.js'

export function addStartCommand (program: Command): void {
  program.command('start')
    .summary('run a node until SIGINT/SIGTERM')
    .description('Runs the node in DIR (libp2p, storage, HTTP API and its role\'s services) until SIGINT or SIGTERM (or, when ' +
      'started with an IPC channel, until the parent goes), then stops cleanly. Logs JSON lines on stdout (level from the ' +
      'config\'s log.level or PORCHLIGHT_LOG_LEVEL), one with "msg":"node: ready" when ready; DIR/node.json then holds its ' +
      'peer id, addresses and API URL.')
    .requiredOption('--dir <dir>', 'the node\'s directory (made by porchlight init)')
    .option('--secret-file <file>', 'an agency: the operator\'s secret that seals the request keys (else PORCHLIGHT_SECRET, then config keys.kms; docs/agency.md, "Keys at rest")')
    .action(act(async ({ dir, secretFile }) => {
      const stopped = untilStopRequested()
      const config = await loadConfig(dir)
      const setup = roleSetup(config.role, secretFile === undefined ? {} : { requests: { secret: { secretFile } } })
      const node = await createNode({
        dir,
        config,
        services: setup.services,
        libp2p: { messageId: setup.messageId }
      })
      // The node logs its own ready and stopped lines: stdout is its log file under the demo, all JSON lines.
      await node.start()
      notifyParentReady()
      const signal = await stopped
      node.logger.info({ signal }, 'porchlight: stopping')
      await node.stop()
      return 0
    }))
}

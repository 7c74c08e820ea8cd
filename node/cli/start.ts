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
      'started with an IPC channel, until the parent goes), then stops cleanly. Prints one line when ready; DIR/node.json ' +
      'then holds its peer id, addresses and API URL.')
    .requiredOption('--dir <dir>', 'the node\'s directory (made by porchlight init)')
    .action(act(async ({ dir }) => {
      const stopped = untilStopRequested()
      const config = await loadConfig(dir)
      const setup = roleSetup(config.role)
      const node = await createNode({
        dir,
        config,
        services: setup.services,
        libp2p: { messageId: setup.messageId }
      })
      await node.start()
      const info = node.info()
      console.log(`porchlight: ${info.role} '${info.name}' ready; peer ${info.peerId}; api ${info.api?.url ?? 'off'}; listening ${info.addrs.join(' ')}`)
      notifyParentReady()
      const signal = await stopped
      await node.stop()
      console.log(`porchlight: stopped (${signal})`)
      return 0
    }))
}

// `porchlight ui-link [--dir D]`: prints the running node's UI address with its API token in the fragment —
// the link `porchlight start` printed, for a browser whose link was lost or whose token no longer works.
import type { Command } from '@commander-js/extra-typings'
import { readFile } from 'node:fs/promises'
import { act } from './command.js'
import { nodePaths } from '../config/index.js'
import { readNodeInfo } from '../node-info.js'
import { NodeNotRunningError } from '../api/client.js'

/** The UI at the API's address, the token in the fragment (never sent to a server; ui/src/session/token.ts). */
export function uiLink (apiUrl: string, token: string): string {
  return `${new URL('/', apiUrl).toString()}#token=${encodeURIComponent(token)}`
}

export function addUiLinkCommand (program: Command): void {
  program.command('ui-link')
    .summary('print the running node\'s UI address, with its API token')
    .description('Prints the address to open in a browser: the node\'s UI with the API token in the fragment, as `porchlight start` printed it. ' +
      'Anyone with this link acts as the node\'s operator: open it only on your own device.')
    .option('--dir <dir>', 'the node\'s directory (the node must be running)', '.')
    .action(act(async (o) => {
      const info = await readNodeInfo(o.dir)
      if (info?.api === undefined) throw new NodeNotRunningError(o.dir)
      const token = (await readFile(nodePaths(o.dir).apiToken, 'utf8')).trim()
      console.log(uiLink(info.api.url, token))
      return 0
    }))
}

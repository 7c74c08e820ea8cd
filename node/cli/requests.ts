// `porchlight requests --dir D`: the resident's inbox, read from the running node's API (the node holds the
// database lock, and the API already applies the inbox's rules), one request per line or as JSON.
import type { Command } from '@commander-js/extra-typings'
import { act } from './command.js'
import { NodeApiClient } from '../api/client.js'

export function addRequestsCommand (program: Command): void {
  program.command('requests')
    .summary('list a resident node\'s inbox')
    .description('Lists the inbox of the running resident node in DIR: id, status, category, agency, expiry and title of each ' +
      'request whose area holds one of its cameras.')
    .requiredOption('--dir <dir>', 'the resident node\'s directory (the node must be running)')
    .option('--json', 'print the API\'s answer as it is')
    .action(act(async (o) => {
      const body = await (await NodeApiClient.forDir(o.dir)).call('GET /api/inbox')
      if (o.json === true) {
        console.log(JSON.stringify(body))
        return 0
      }
      if (body.items.length === 0) console.log('inbox is empty')
      for (const item of body.items) {
        const status = item.expired && item.status === 'new' ? 'expired' : item.status
        console.log([item.id, status, item.category, item.agencyName, new Date(item.expiresAt * 1000).toISOString(), item.title].join('\t'))
      }
      return 0
    }))
}

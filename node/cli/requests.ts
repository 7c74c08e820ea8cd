// `porchlight requests --dir D`: the resident's inbox, read from the running node's API (the node holds the
// database lock, and the API already applies the inbox's rules), one request per line or as JSON.
import { parseArgs } from 'node:util'
import { UsageError, type Command } from './command.js'
import { ApiRequestError, callNodeApi } from './node-api.js'
import type { InboxList } from '../../protocol/index.js'

const usage = `usage: porchlight requests --dir DIR [--json]

Lists the inbox of the running resident node in DIR: id, status, category, agency, expiry and title of each
request whose area holds one of its cameras. --json prints the API's answer as it is.`

export { NodeNotRunningError, ApiRequestError } from './node-api.js'

export const requestsCommand: Command = {
  name: 'requests',
  summary: 'list a resident node\'s inbox',
  usage,
  async run (argv) {
    const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { dir: { type: 'string' }, json: { type: 'boolean' } } })
    if (values.dir === undefined) throw new UsageError('--dir is required')
    const body = await callNodeApi(values.dir, 'GET', '/api/inbox') as Partial<InboxList>
    if (body.items === undefined) throw new ApiRequestError(200, 'UNEXPECTED_ANSWER', 'no items')
    if (values.json === true) {
      console.log(JSON.stringify(body))
      return 0
    }
    if (body.items.length === 0) console.log('inbox is empty')
    for (const item of body.items) {
      const status = item.expired && item.status === 'new' ? 'expired' : item.status
      console.log([item.id, status, item.category, item.agencyName, new Date(item.expiresAt * 1000).toISOString(), item.title].join('\t'))
    }
    return 0
  }
}

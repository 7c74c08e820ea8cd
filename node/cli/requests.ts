// `porchlight requests --dir D`: the resident's inbox, read from the running node's API (the node holds the
// database lock, and the API already applies the inbox's rules), one request per line or as JSON.
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { PorchlightError } from '../../protocol/errors.js'
import { UsageError, type Command } from './command.js'
import { nodePaths } from '../config/index.js'
import { readNodeInfo } from '../node-info.js'
import type { InboxSummary } from '../resident/index.js'

const usage = `usage: porchlight requests --dir DIR [--json]

Lists the inbox of the running resident node in DIR: id, status, category, agency, expiry and title of each
request whose area holds one of its cameras. --json prints the API's answer as it is.`

/** The node in the directory is not running (no node.json), so there is no API to ask. */
export class NodeNotRunningError extends PorchlightError {
  constructor (dir: string) {
    super('NODE_NOT_RUNNING', `no running node in ${dir} (start it with porchlight start --dir ${dir})`, { details: { dir } })
    this.name = 'NodeNotRunningError'
  }
}

export class ApiRequestError extends PorchlightError {
  constructor (status: number, code: string, message: string) {
    super('API_REQUEST_FAILED', `the node answered ${status} ${code}: ${message}`, { details: { status, code } })
    this.name = 'ApiRequestError'
  }
}

export const requestsCommand: Command = {
  name: 'requests',
  summary: 'list a resident node\'s inbox',
  usage,
  async run (argv) {
    const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { dir: { type: 'string' }, json: { type: 'boolean' } } })
    if (values.dir === undefined) throw new UsageError('--dir is required')
    const info = await readNodeInfo(values.dir)
    if (info?.api === undefined) throw new NodeNotRunningError(values.dir)
    const token = (await readFile(nodePaths(values.dir).apiToken, 'utf8')).trim()
    const res = await fetch(`${info.api.url}/api/inbox`, { headers: { authorization: `Bearer ${token}` } })
    const body = await res.json() as { items?: InboxSummary[], error?: { code: string, message: string } }
    if (!res.ok || body.items === undefined) throw new ApiRequestError(res.status, body.error?.code ?? 'UNKNOWN', body.error?.message ?? '')
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

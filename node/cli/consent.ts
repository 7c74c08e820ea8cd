// `porchlight consent REQUEST-ID --clips CID,CID [--dir D]`: consents to share those clips for a request in
// the inbox, through the running node's API (the node signs the consent with a fresh key and delivers in
// the background; `GET /api/shares` follows it). `--withdraw SHARE-ID` stops an unfinished delivery.
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { UsageError, type Command } from './command.js'
import { nodePaths } from '../config/index.js'
import { readNodeInfo } from '../node-info.js'

const usage = `porchlight consent REQUEST-ID --clips CID[,CID…] [--dir DIR]
porchlight consent --withdraw SHARE-ID [--dir DIR]

Consent to share clips for a request in this resident node's inbox (only clips whose camera is in the
request's area and whose span overlaps its window); the running node delivers them, encrypted to the
agency. Prints the share as JSON. --withdraw stops a delivery that has not finished.`

async function api (dir: string, path: string, body: unknown): Promise<{ status: number, json: any }> {
  const info = await readNodeInfo(dir)
  if (info?.api === undefined) throw new UsageError(`no running node in ${dir} (start it with porchlight start)`)
  const token = (await readFile(nodePaths(dir).apiToken, 'utf8')).trim()
  const res = await fetch(`${info.api.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, json: await res.json() }
}

export const consentCommand: Command = {
  name: 'consent',
  summary: 'share clips for a request (signed consent, encrypted delivery), or withdraw a share',
  usage,
  async run (argv) {
    let parsed
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, options: { clips: { type: 'string' }, dir: { type: 'string', default: '.' }, withdraw: { type: 'string' } } })
    } catch (err) { throw new UsageError((err as Error).message) }
    const { values, positionals } = parsed
    const dir = values.dir!
    let result
    if (values.withdraw !== undefined) {
      if (positionals.length > 0 || values.clips !== undefined) throw new UsageError('--withdraw takes a share id and nothing else')
      result = await api(dir, `/api/shares/${encodeURIComponent(values.withdraw)}/withdraw`, {})
    } else {
      if (positionals.length !== 1) throw new UsageError('give exactly one request id')
      const clips = (values.clips ?? '').split(',').map((c) => c.trim()).filter((c) => c.length > 0)
      if (clips.length === 0) throw new UsageError('--clips needs at least one clip CID')
      result = await api(dir, `/api/inbox/${encodeURIComponent(positionals[0]!)}/consent`, { clips })
    }
    if (result.status >= 300) {
      process.stderr.write(`porchlight consent: ${result.json?.error?.code ?? result.status}: ${result.json?.error?.message ?? 'refused'}\n`)
      return 1
    }
    process.stdout.write(JSON.stringify(result.json) + '\n')
    return 0
  }
}

// `porchlight footage …`: an agency's delivered footage, through its running node's API — which logs every
// opening (`access`, with the purpose given), share and deletion before it acts (see node/footage).
import { open, rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { UsageError, requiredFlag, type Command } from './command.js'
import { callNodeApi, fetchNodeApi } from './node-api.js'

const usage = `usage: porchlight footage <action> --dir DIR [options]

actions:
  list    --request ID                        the deliveries received for a request
  open    --cid CID --purpose TEXT --out FILE decrypt a clip into FILE (a new file); logs an access
  share   --cid CID --recipient R [--legal-basis TEXT]
                                              log a share (a legal basis unless R is a registered agency)
  delete  --cid CID                           delete a clip (every copy); logs the deletion first

options:
  --dir DIR   the agency node's directory (the node must be running)

Prints the node's answer (for open: what was written) as one JSON line.`

const options = {
  dir: { type: 'string' },
  request: { type: 'string' },
  cid: { type: 'string' },
  purpose: { type: 'string' },
  out: { type: 'string' },
  recipient: { type: 'string' },
  'legal-basis': { type: 'string' }
} as const

type Values = { [K in keyof typeof options]?: string }

const required = (values: Values, flag: keyof Values): string => requiredFlag(values, flag)

/**
 * Streams the decrypted clip into a new file. The file is made first (never over an existing one), so an
 * access is logged only when there is somewhere to put the clip; a refusal removes the empty file.
 */
async function openClip (dir: string, values: Values): Promise<unknown> {
  const cid = required(values, 'cid')
  const purpose = required(values, 'purpose')
  const out = required(values, 'out')
  const handle = await open(out, 'wx', 0o600)
  let res: Response
  try {
    res = await fetchNodeApi(dir, 'GET', `/api/footage/${encodeURIComponent(cid)}?${new URLSearchParams({ purpose }).toString()}`)
  } catch (err) {
    await handle.close()
    await rm(out, { force: true })
    throw err
  }
  const file = handle.createWriteStream()
  await pipeline(Readable.fromWeb(res.body! as import('node:stream/web').ReadableStream<Uint8Array>), file)
  return { cid, out, bytes: file.bytesWritten, contentType: res.headers.get('content-type'), accessIndex: Number(res.headers.get('x-porchlight-access-index')) }
}

export const footageCommand: Command = {
  name: 'footage',
  summary: 'list, open, share or delete an agency\'s delivered footage (each use logged, through its running node)',
  usage,
  async run (argv) {
    const [action, ...rest] = argv
    let values: Values
    try {
      values = parseArgs({ args: rest, options, strict: true, allowPositionals: false }).values
    } catch (err) { throw new UsageError((err as Error).message) }
    const dir = required(values, 'dir')
    const cid = (): string => encodeURIComponent(required(values, 'cid'))
    let answer: unknown
    switch (action) {
      case 'list': answer = await callNodeApi(dir, 'GET', `/api/requests/${encodeURIComponent(required(values, 'request'))}/deliveries`); break
      case 'open': answer = await openClip(dir, values); break
      case 'share': answer = await callNodeApi(dir, 'POST', `/api/footage/${cid()}/share`, { recipient: required(values, 'recipient'), legalBasis: values['legal-basis'] ?? '' }); break
      case 'delete': answer = await callNodeApi(dir, 'DELETE', `/api/footage/${cid()}`); break
      default: throw new UsageError(`unknown action '${action ?? ''}'`)
    }
    console.log(JSON.stringify(answer))
    return 0
  }
}

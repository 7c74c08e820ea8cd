// `porchlight clips …`: the resident's clip store. On a stopped node it opens the store directly; while the
// node runs (node.json names a live process) it goes through the node's API with the api-token, since the
// running node holds the store's lock.
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { basename } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { UsageError, type Command } from './command.js'
import type { ApiErrorBody } from '../../protocol/index.js'
import { loadConfig, nodePaths } from '../config/index.js'
import { openStore } from '../storage/index.js'
import { readNodeInfo } from '../node-info.js'
import { NodeApiError, contentTypeOf, openClipStore, toClipSpan, type ClipRecord, type ClipStore } from '../clips/index.js'

const usage = `usage: porchlight clips <action> [options]

actions:
  add FILE --camera NAME --start TIME (--end TIME | --duration SECONDS) [--type MIME] --dir DIR
  list --dir DIR [--json]

  TIME is unix seconds or an ISO 8601 time with a zone (2026-11-26T14:05:00Z). The camera is one of the
  node's cameras (config.json). The content type defaults to one guessed from FILE's extension.

add prints the stored clip as one JSON line (created: false when the same clip was already stored).
Works on a stopped node directly, or on a running one through its API.`

const options = {
  dir: { type: 'string' },
  camera: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  duration: { type: 'string' },
  type: { type: 'string' },
  json: { type: 'boolean' }
} as const

interface Api { url: string, token: string }

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The running node's API, or undefined when the node is stopped (no node.json, or one a crash left). */
async function runningApi (dir: string): Promise<Api | undefined> {
  const info = await readNodeInfo(dir)
  if (info?.api === undefined || !isAlive(info.pid)) return undefined
  return { url: info.api.url, token: (await readFile(nodePaths(dir).apiToken, 'utf8')).trim() }
}

async function call (api: Api, method: string, path: string, headers: Record<string, string | number> = {}, body?: NodeJS.ReadableStream): Promise<{ status: number, json: unknown }> {
  const req = httpRequest(`${api.url}${path}`, { method, headers: { authorization: `Bearer ${api.token}`, ...headers } })
  const response = new Promise<IncomingMessage>((resolve, reject) => { req.once('response', resolve).once('error', reject) })
  // The node may answer (a refusal) before it has read the whole body: its answer is what counts.
  const sent = body === undefined ? Promise.resolve(req.end()) : pipeline(body, req)
  const [res] = await Promise.all([response, sent.catch(() => {})])
  const chunks: Buffer[] = []
  for await (const chunk of res) chunks.push(chunk as Buffer)
  const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<ApiErrorBody>
  if (res.statusCode === undefined || res.statusCode >= 300) throw new NodeApiError(res.statusCode ?? 0, json.error?.code ?? 'UNKNOWN', json.error?.message ?? 'request failed')
  return { status: res.statusCode, json }
}

async function withStore<T> (dir: string, use: (store: ClipStore) => Promise<T>): Promise<T> {
  const config = await loadConfig(dir)
  if (config.role !== 'resident') throw new UsageError(`clips belong to residents; ${dir} is an ${config.role} node`)
  const store = await openStore(dir)
  try {
    return await use(await openClipStore(store, { dir, cameras: config.cameras }))
  } finally {
    await store.close()
  }
}

function required (value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${flag} is required`)
  return value
}

async function add (dir: string, file: string, values: { camera?: string, start?: string, end?: string, duration?: string, type?: string }): Promise<void> {
  const camera = required(values.camera, 'camera')
  const span = toClipSpan({ start: required(values.start, 'start'), end: values.end, duration: values.duration })
  const contentType = values.type ?? contentTypeOf(file)
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => { throw new UsageError(`cannot read ${file}: ${err.code ?? 'error'}`) })
  const api = await runningApi(dir)
  if (api !== undefined) {
    const query = new URLSearchParams({ camera, start: String(span.start), end: String(span.end) })
    const headers = { 'content-type': contentType, ...(info.isFile() ? { 'content-length': info.size } : { 'transfer-encoding': 'chunked' }) }
    const { status, json } = await call(api, 'POST', `/api/clips?${query.toString()}`, headers, createReadStream(file))
    console.log(JSON.stringify({ ...json as ClipRecord, created: status === 201, via: 'api' }))
    return
  }
  const { clip, created } = await withStore(dir, async (store) => await store.add(createReadStream(file, { highWaterMark: 256 * 1024 }), { camera, ...span, contentType }))
  console.log(JSON.stringify({ ...clip, created, via: 'store' }))
}

function iso (seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

async function list (dir: string, json: boolean): Promise<void> {
  const api = await runningApi(dir)
  const clips = api !== undefined ? (await call(api, 'GET', '/api/clips')).json as ClipRecord[] : await withStore(dir, async (store) => await store.list())
  if (json) {
    console.log(JSON.stringify(clips))
    return
  }
  for (const c of clips) console.log([c.cid, c.camera, `${iso(c.start)}..${iso(c.end)}`, `${c.size} B`, c.contentType].join('  '))
  if (clips.length === 0) console.log(`no clips in ${basename(dir)}`)
}

export const clipsCommand: Command = {
  name: 'clips',
  summary: 'add a clip to a resident\'s store, or list the stored clips',
  usage,
  async run (argv) {
    const [action, ...rest] = argv
    const { values, positionals } = parseArgs({ args: rest, options, strict: true, allowPositionals: true })
    const dir = required(values.dir, 'dir')
    switch (action) {
      case 'add': {
        if (positionals.length !== 1) throw new UsageError('add takes one FILE')
        await add(dir, positionals[0]!, values)
        return 0
      }
      case 'list':
        if (positionals.length !== 0) throw new UsageError('list takes no arguments')
        await list(dir, values.json === true)
        return 0
      default:
        throw new UsageError(`unknown action '${action ?? ''}'`)
    }
  }
}

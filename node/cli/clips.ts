// `porchlight clips …`: the resident's clip store. On a stopped node it opens the store directly; while the
// node runs (node.json names a live process) it goes through the node's API with the api-token, since the
// running node holds the store's lock.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Option, type Command } from '@commander-js/extra-typings'
import { UsageError, act } from './command.js'
import type { ClipView } from '../../protocol/index.js'
import { loadConfig } from '../config/index.js'
import { openStore } from '../storage/index.js'
import { NodeApiClient, NodeNotRunningError } from '../api/client.js'
import { contentTypeOf, openClipStore, toClipSpan, type ClipStore } from '../clips/index.js'

/** The running node's API, or undefined when the node is stopped (no node.json, or one a crash left). */
async function runningApi (dir: string): Promise<NodeApiClient | undefined> {
  try {
    return await NodeApiClient.forDir(dir)
  } catch (err) {
    if (err instanceof NodeNotRunningError) return undefined
    throw err
  }
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

interface AddFlags { dir: string, camera: string, start: string, end?: string | undefined, duration?: string | undefined, type?: string | undefined }

async function add (file: string, o: AddFlags): Promise<void> {
  const span = toClipSpan({ start: o.start, end: o.end, duration: o.duration })
  const contentType = o.type ?? contentTypeOf(file)
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => { throw new UsageError(`cannot read ${file}: ${err.code ?? 'error'}`) })
  const api = await runningApi(o.dir)
  if (api !== undefined) {
    // A FIFO or a device has no size: it goes chunked.
    const body = { data: createReadStream(file), contentType, ...(info.isFile() ? { length: info.size } : {}) }
    const res = await api.fetch('POST /api/clips', { query: { camera: o.camera, ...span }, body })
    console.log(JSON.stringify({ ...await res.json() as ClipView, created: res.status === 201, via: 'api' }))
    return
  }
  const { clip, created } = await withStore(o.dir, async (store) => await store.add(createReadStream(file, { highWaterMark: 256 * 1024 }), { camera: o.camera, ...span, contentType }))
  console.log(JSON.stringify({ ...clip, created, via: 'store' }))
}

function iso (seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

async function list (dir: string, json: boolean): Promise<void> {
  const api = await runningApi(dir)
  const clips = api !== undefined ? await api.call('GET /api/clips') : await withStore(dir, async (store) => await store.list())
  if (json) {
    console.log(JSON.stringify(clips))
    return
  }
  for (const c of clips) console.log([c.cid, c.camera, `${iso(c.start)}..${iso(c.end)}`, `${c.size} B`, c.contentType].join('  '))
  if (clips.length === 0) console.log(`no clips in ${basename(dir)}`)
}

export function addClipsCommand (program: Command): void {
  const clips = program.command('clips')
    .summary('add a clip to a resident\'s store, or list the stored clips')
    .description('The resident\'s clip store: on a stopped node directly, on a running one through its API.')
  const dirOption = (): Option<'--dir <dir>', undefined, undefined, string, true> =>
    new Option('--dir <dir>', 'the resident node\'s directory').makeOptionMandatory()

  clips.command('add')
    .summary('store a clip; prints it as one JSON line (created: false when the same clip was already stored)')
    .argument('<file>', 'the clip\'s file')
    .addOption(dirOption())
    .requiredOption('--camera <name>', 'one of the node\'s cameras (config.json)')
    .requiredOption('--start <time>', 'when the clip starts: unix seconds or an ISO 8601 time with a zone (2026-11-26T14:05:00Z)')
    .option('--end <time>', 'when it ends (or --duration)')
    .option('--duration <seconds>', 'how long it is (or --end)')
    .option('--type <mime>', 'its content type (default: guessed from the file\'s extension)')
    .action(act(async (file, o) => {
      await add(file, o)
      return 0
    }))
  clips.command('list')
    .summary('the stored clips: one per line, or JSON')
    .addOption(dirOption())
    .option('--json', 'print them as JSON')
    .action(act(async (o) => {
      await list(o.dir, o.json === true)
      return 0
    }))
}

// The agency's persistent log (node/log): durable appends, append-to-checkpoint latency, proof
// verification, and an auditor verifying a whole log from its tiles over HTTP.
// Baselines, each measured in this run:
//  - appends: raw `level` batches (fsync) writing the same entry bytes, one put per entry, in the same
//    grouping (one at a time, or the log's group size): the storage floor without hashing or the tree,
//    measured in rounds alternating with the log's;
//  - append → checkpoint: the time from append to its durable acknowledgement, i.e. the latency before
//    any checkpoint wait;
//  - proof verification: Node's native SHA-256 doing the same number of node hashes (the hashing ceiling);
//  - auditing 1,000,000 entries: computing the same root in memory from the same entries with the same
//    native SHA-256 (no I/O, no tile checks): what an auditor would spend on hashing alone.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Level } from 'level'
import {
  TILE_WIDTH, TileHashReader, decodeEntryBundle, decodeHashTile, entryBundlePath, equalHashes,
  hashLeaf, openCheckpoint, rootAt, tilePath, verifyInclusion
} from '../protocol/tlog/index.js'
import { createApiServer } from '../node/api/index.js'
import { AgencyLog, logRoutes, syncOptions, type LogDatabase } from '../node/log/index.js'
import { median, opsPerSecond, percentile, type BenchContext } from './lib.js'

const AGENCY_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const CHAIN_ID = 31337
const ENTRY_BYTES = 128
const SECTION = 'log'

interface Db { root: Level<string, Uint8Array>, log: LogDatabase, dir: string }

async function openDb (): Promise<Db> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-bench-log-'))
  const root = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
  await root.open()
  return { root, dir, log: root.sublevel<string, Uint8Array>('log', { keyEncoding: 'utf8', valueEncoding: 'view' }) as unknown as LogDatabase }
}

async function closeDb (db: Db): Promise<void> {
  await db.root.close()
  await rm(db.dir, { recursive: true, force: true })
}

async function openLog (db: Db, checkpointIntervalMs = 500): Promise<AgencyLog> {
  return await AgencyLog.open({ db: db.log, agencyKey: AGENCY_KEY, chainId: CHAIN_ID, checkpointIntervalMs })
}

function entry (): Uint8Array {
  return new Uint8Array(randomBytes(ENTRY_BYTES))
}

/** An append workload: `group` appends in flight per step (one step = `group` operations). */
function logStep (log: AgencyLog, group: number): () => Promise<number> {
  const payload = entry()
  return async () => {
    await Promise.all(Array.from({ length: group }, async () => await log.append(payload)))
    return group
  }
}

/** The same through raw level batches: `group` puts per fsynced batch, keys as the log's. */
function rawStep (db: LogDatabase, group: number): () => Promise<number> {
  const payload = entry()
  let n = 0
  return async () => {
    const ops = Array.from({ length: group }, () => ({ type: 'put' as const, key: `r${(n++).toString(16).padStart(14, '0')}`, value: payload }))
    await db.batch(ops, syncOptions(true))
    return group
  }
}

/**
 * Rates of `a` and `b` measured in alternating rounds (medians), so that a shared machine's load drifting
 * during the run weighs on both alike.
 */
async function interleaved (a: () => Promise<number>, b: () => Promise<number>, rounds: number, minMs: number): Promise<[number, number]> {
  const ra: number[] = []
  const rb: number[] = []
  for (let r = 0; r < rounds; r++) {
    ra.push(await opsPerSecond(a, { rounds: 1, minMs }))
    rb.push(await opsPerSecond(b, { rounds: 1, minMs }))
  }
  return [median(ra), median(rb)]
}

async function appends (ctx: BenchContext, rounds: number): Promise<void> {
  const db = await openDb()
  const log = await openLog(db)
  try {
    const minMs = ctx.quick ? 300 : 1000
    const [single, singleRaw] = await interleaved(logStep(log, 1), rawStep(db.log, 1), rounds, minMs)
    ctx.row({
      section: SECTION,
      figure: `durable appends, one awaited at a time (${ENTRY_BYTES}-byte entries, fsync)`,
      value: single,
      unit: 'appends/s',
      baseline: { label: 'raw level batch of 1 put, fsync', value: singleRaw },
      better: 'higher'
    })
    const concurrency = 4096
    const [grouped, groupedRaw] = await interleaved(logStep(log, concurrency), rawStep(db.log, concurrency), rounds, minMs)
    ctx.row({
      section: SECTION,
      figure: `durable appends, grouped (${concurrency.toLocaleString('en-US')} in flight, ${ENTRY_BYTES}-byte entries, fsync)`,
      value: grouped,
      unit: 'appends/s',
      baseline: { label: `raw level batches of ${concurrency} puts, fsync`, value: groupedRaw },
      better: 'higher',
      goal: '≥ 10,000 appends/s',
      met: grouped >= 10_000
    })
  } finally {
    await log.close()
    await closeDb(db)
  }
}

/** A steady load of `rate` appends/s for `seconds`; latency of each append to the first checkpoint covering it. */
async function checkpointLatency (ctx: BenchContext): Promise<void> {
  const db = await openDb()
  const log = await openLog(db)
  const rate = 2000
  const seconds = ctx.quick ? 2 : 6
  const startedAt: number[] = []
  const ackMs: number[] = []
  const toCheckpointMs: number[] = []
  let covered = 0
  log.on('checkpoint:issued', (cp) => {
    const now = performance.now()
    for (; covered < cp.size; covered++) toCheckpointMs.push(now - startedAt[covered]!)
  })
  try {
    const payload = entry()
    const tickMs = 10
    const perTick = rate * tickMs / 1000
    const pending: Array<Promise<void>> = []
    const t0 = performance.now()
    for (let tick = 0; tick * tickMs < seconds * 1000; tick++) {
      const due = t0 + tick * tickMs
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      for (let k = 0; k < perTick; k++) {
        const begin = performance.now()
        pending.push(log.append(payload).then((index) => { startedAt[index] = begin; ackMs.push(performance.now() - begin) }))
      }
    }
    await Promise.all(pending)
    while (covered < log.size) await new Promise((resolve) => log.once('checkpoint:issued', resolve))
  } finally {
    await log.close()
    await closeDb(db)
  }
  const label = `${rate.toLocaleString('en-US')} appends/s for ${seconds} s, checkpoint interval 500 ms`
  ctx.row({
    section: SECTION,
    figure: `append → checkpoint including it, p50 (${label})`,
    value: percentile(toCheckpointMs, 50),
    unit: 'ms',
    baseline: { label: 'append → durable acknowledgement, p50', value: percentile(ackMs, 50) },
    better: 'lower'
  })
  const p99 = percentile(toCheckpointMs, 99)
  ctx.row({
    section: SECTION,
    figure: `append → checkpoint including it, p99 (${label})`,
    value: p99,
    unit: 'ms',
    baseline: { label: 'append → durable acknowledgement, p99', value: percentile(ackMs, 99) },
    better: 'lower',
    goal: '≤ 1,000 ms',
    met: p99 <= 1000
  })
}

/** Builds a log of `size` entries, `batch` appends in flight. */
async function buildLog (db: Db, size: number): Promise<{ log: AgencyLog, entries: Uint8Array[] }> {
  const log = await openLog(db, 60_000)
  const entries: Uint8Array[] = []
  const batch = 8192
  for (let first = 0; first < size; first += batch) {
    const count = Math.min(batch, size - first)
    const chunk = Array.from({ length: count }, (_, i) => {
      const e = new Uint8Array(ENTRY_BYTES)
      new DataView(e.buffer).setUint32(0, first + i)
      return e
    })
    entries.push(...chunk)
    await Promise.all(chunk.map(async (e) => await log.append(e)))
  }
  await log.checkpointCovering(size - 1)
  return { log, entries }
}

async function proofs (ctx: BenchContext, log: AgencyLog, entries: Uint8Array[], rounds: number): Promise<void> {
  const size = log.latestCheckpoint.size
  const root = log.latestCheckpoint.root
  const samples = await Promise.all(Array.from({ length: 1000 }, async (_, k) => {
    const index = (k * 7919 * 104729) % size
    const p = await log.proof(index)
    return { index, leaf: hashLeaf(entries[index]!), proof: p.proof }
  }))
  const hashesPerRound = samples.reduce((n, s) => n + s.proof.length, 0)
  const rate = await opsPerSecond(() => {
    for (const s of samples) verifyInclusion(s.leaf, s.index, size, s.proof, root)
    return samples.length
  }, { rounds })
  const node = new Uint8Array(65)
  const floor = await opsPerSecond(() => {
    for (let i = 0; i < hashesPerRound; i++) createHash('sha256').update(node).digest()
    return samples.length
  }, { rounds })
  ctx.row({
    section: SECTION,
    figure: `inclusion proofs verified (proofs from the stored log of ${size.toLocaleString('en-US')})`,
    value: rate,
    unit: 'proofs/s',
    baseline: { label: 'node:crypto SHA-256 of the same node hashes', value: floor },
    better: 'higher'
  })
}

// A Node auditor hashes natively (node:crypto is 2–4× faster than the pure-JS SHA-256 protocol/ uses for the
// browser); the million-leaf checks below are almost all hashing. Same RFC 9162 bytes as hashLeaf/hashChildren.
const LEAF = new Uint8Array([0])
const NODE = new Uint8Array([1])
function nativeLeaf (entry: Uint8Array): Uint8Array {
  return createHash('sha256').update(LEAF).update(entry).digest()
}
function nativeNode (left: Uint8Array, right: Uint8Array): Uint8Array {
  return createHash('sha256').update(NODE).update(left).update(right).digest()
}
/** RFC 9162 root of a list of leaf hashes (the compact-range fold), natively. */
function nativeRoot (leaves: readonly Uint8Array[]): Uint8Array {
  const edge: Array<{ hash: Uint8Array, width: number }> = []
  for (const leaf of leaves) {
    let node = { hash: leaf, width: 1 }
    while (edge.length > 0 && edge[edge.length - 1]!.width === node.width) {
      const left = edge.pop()!
      node = { hash: nativeNode(left.hash, node.hash), width: node.width * 2 }
    }
    edge.push(node)
  }
  let root = edge.pop()!.hash
  while (edge.length > 0) root = nativeNode(edge.pop()!.hash, root)
  return root
}

/**
 * An auditor's full check of a log over HTTP: every entry bundle against its level-0 tile, every full tile
 * against its hash one tile level up, and the root computed from the tiles against the signed checkpoint.
 */
async function auditOverHttp (url: string, origin: string): Promise<number> {
  const get = async (path: string): Promise<Uint8Array> => {
    const res = await fetch(`${url}/${path}`)
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
    return new Uint8Array(await res.arrayBuffer())
  }
  const { checkpoint } = openCheckpoint(new TextDecoder().decode(await get('checkpoint')), origin)
  const size = checkpoint.size
  const tiles = new Map<string, Promise<Uint8Array>>()
  const tile = (path: string): Promise<Uint8Array> => {
    let t = tiles.get(path)
    if (t === undefined) { t = get(path); tiles.set(path, t) }
    return t
  }
  // Level by level, 16 fetches in flight: each full tile's root must be the hash above it.
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
    const n = Math.ceil(count / TILE_WIDTH)
    const above = Math.floor(count / TILE_WIDTH)
    let next = 0
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let t = next++; t < n; t = next++) {
        const width = Math.min(TILE_WIDTH, count - t * TILE_WIDTH)
        const hashes = decodeHashTile(await tile(tilePath(level, t, width)), width)
        if (level === 0) {
          decodeEntryBundle(await get(entryBundlePath(t, width)), width).forEach((e, i) => {
            if (!equalHashes(nativeLeaf(e), hashes[i]!)) throw new Error(`entry ${t * TILE_WIDTH + i} does not match its leaf`)
          })
        }
        if (width === TILE_WIDTH) {
          const upWidth = Math.min(TILE_WIDTH, above - Math.floor(t / TILE_WIDTH) * TILE_WIDTH)
          const up = decodeHashTile(await tile(tilePath(level + 1, Math.floor(t / TILE_WIDTH), upWidth)), upWidth)
          if (!equalHashes(nativeRoot(hashes), up[t % TILE_WIDTH]!)) throw new Error(`tile ${level}/${t} does not match the level above`)
        }
      }
    }))
  }
  const reader = new TileHashReader(size, async (_t, path) => await tile(path))
  if (!equalHashes(await rootAt(size, reader), checkpoint.root)) throw new Error('root from tiles differs from the checkpoint')
  return size
}

async function audit (ctx: BenchContext, log: AgencyLog, entries: Uint8Array[], rounds: number): Promise<void> {
  const api = createApiServer({ token: 'x'.repeat(32), staticDir: false })
  api.addRoutes(logRoutes(log))
  await api.start()
  const times: number[] = []
  try {
    for (let r = 0; r < rounds; r++) {
      const start = performance.now()
      await auditOverHttp(api.address()!.url, log.origin)
      times.push(performance.now() - start)
    }
  } finally {
    await api.stop()
  }
  const memory: number[] = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    if (!equalHashes(nativeRoot(entries.map(nativeLeaf)), log.latestCheckpoint.root)) throw new Error('in-memory root differs')
    memory.push(performance.now() - start)
  }
  const seconds = median(times) / 1000
  ctx.row({
    section: SECTION,
    figure: `auditor verifies a ${entries.length.toLocaleString('en-US')}-entry log from its tiles over HTTP (every entry, tile and the root)`,
    value: seconds,
    unit: 's',
    baseline: { label: 'same root computed in memory from the entries (node:crypto)', value: median(memory) / 1000 },
    better: 'lower',
    ...(entries.length >= 1_000_000 ? { goal: '≤ 30 s', met: seconds <= 30 } : {})
  })
}

export default async function (ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 3 : 5
  await appends(ctx, rounds)
  await checkpointLatency(ctx)
  const db = await openDb()
  const { log, entries } = await buildLog(db, ctx.quick ? 50_000 : 1_000_000)
  try {
    await proofs(ctx, log, entries, rounds)
    await audit(ctx, log, entries, ctx.quick ? 1 : 3)
  } finally {
    await log.close()
    await closeDb(db)
  }
}

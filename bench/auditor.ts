// The auditor: the time one pass takes to verify a 1,000,000-entry log from its tiles, served over HTTP on
// loopback (every entry decoded, hashed and checked against its level-0 tile, every higher tile hash
// checked, the anchored and checkpoint roots compared, consistency proofs, the rules of docs/design.md §6). The
// goal is ≤ 30 s (issue 4). Baseline, same run: fetching the same resources over the same HTTP without
// checking anything, the floor any auditor reading the log this way pays.
// The log is a realistic mix: one request per 1,000 entries, a delivery per 10, the rest accesses.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { hexlify } from 'ethers'
import { auditAgency, AgencyHistory, httpLogSource, type AnchorRecord, type ChainView } from '../node/auditor/index.js'
import { encodeLogEntry, requestId, type LogEntry } from '../protocol/messages/index.js'
import { addressOfPrivateKey, signTyped } from '../protocol/signing/index.js'
import {
  MemoryTree, TILE_HEIGHT, TILE_WIDTH, checkpointOrigin, encodeEntryBundle, encodeHashTile, entryBundlePath, signCheckpoint,
  tilePath, tilesForSize
} from '../protocol/tlog/index.js'
import { getBytes } from 'ethers'
import { JURISDICTION, clipOf, sampleRequestAt } from '../test/helpers/audit-log.js'
import { median, type BenchContext } from './lib.js'

const KEY = '0x' + '4c'.repeat(32)
const AGENCY = addressOfPrivateKey(KEY)
const DOMAIN = { chainId: 31337, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }

const ANCHOR_EVERY = 40_000

interface BuiltLog extends Map<string, Uint8Array> { root: Uint8Array, note: string, anchors: AnchorRecord[] }

function buildLog (count: number, start: number): BuiltLog {
  const tree = new MemoryTree()
  const entries: Uint8Array[] = []
  let request = ''
  let clip = ''
  for (let i = 0; i < count; i++) {
    const at = start + Math.floor(i / 100)
    let entry: LogEntry
    if (i % 1000 === 0) {
      const signed = signTyped('Request', sampleRequestAt(AGENCY, at, i), DOMAIN, KEY)
      request = requestId(signed)
      entry = { kind: 'request', request: signed }
    } else if (i % 10 === 1) {
      clip = clipOf(i)
      entry = { kind: 'delivery', request, consent: request, clips: [{ cid: clip, size: 1_000_000 }], at }
    } else {
      entry = { kind: 'access', clip, actor: `officer-${i % 7}`, purpose: 'review', at }
    }
    const bytes = encodeLogEntry(entry)
    entries.push(bytes)
    tree.append(bytes)
  }
  const resources = new Map<string, Uint8Array>() as BuiltLog
  // An anchor every ANCHOR_EVERY entries (400 s of entry time at 100 entries a second), 10 s after the last.
  resources.anchors = []
  for (let size = ANCHOR_EVERY; ; size = Math.min(count, size + ANCHOR_EVERY)) {
    resources.anchors.push({ treeSize: size, root: hexlify(tree.rootAt(size)), transactionHash: '0x' + size.toString(16).padStart(64, '0'), blockNumber: size, anchoredAt: start + Math.floor((size - 1) / 100) + 10 })
    if (size === count) break
  }
  for (const tile of tilesForSize(count)) {
    const first = tile.index * TILE_WIDTH
    resources.set(tilePath(tile.level, tile.index, tile.width), encodeHashTile(Array.from({ length: tile.width }, (_, i) => tree.getHash(tile.level * TILE_HEIGHT, first + i))))
    if (tile.level === 0) resources.set(entryBundlePath(tile.index, tile.width), encodeEntryBundle(entries.slice(first, first + tile.width)))
  }
  resources.root = tree.root()
  resources.note = signCheckpoint({ origin: checkpointOrigin(DOMAIN.chainId, AGENCY), size: count, root: resources.root }, getBytes(KEY))
  resources.set('checkpoint', new TextEncoder().encode(resources.note))
  return resources
}

export default async function (ctx: BenchContext): Promise<void> {
  const count = ctx.quick ? 100_000 : 1_000_000
  const rounds = ctx.quick ? 1 : 2
  const start = 1_750_000_000
  const built = performance.now()
  const log = buildLog(count, start)
  process.stderr.write(`  (built the ${count.toLocaleString('en-US')}-entry log in ${((performance.now() - built) / 1000).toFixed(1)} s)\n`)
  const server = createServer((req, res) => {
    const bytes = log.get((req.url ?? '/').slice(1))
    if (bytes === undefined) { res.writeHead(404).end(); return }
    res.writeHead(200, { 'content-length': bytes.length }).end(bytes)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const history = new AgencyHistory(AGENCY)
    history.push(start - 86_400, { status: 'active', name: 'PD', cells: JURISDICTION, validUntil: start + 365 * 86_400 })
    // The server shares this process (and its event loop) with the auditor: a long stall is the bench's, not a
    // log's, so reads wait longer than an auditor's default 10 s.
    const chain: ChainView = {
      chainId: DOMAIN.chainId, registry: DOMAIN.verifyingContract, now: log.anchors.at(-1)!.anchoredAt, anchors: new Map([[AGENCY, log.anchors]]), agencies: new Map([[AGENCY, history]]), history: () => history
    }
    const passes: number[] = []
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now()
      const result = await auditAgency({ agency: AGENCY, source: httpLogSource(url, { timeoutMs: 120_000 }), chain, state: undefined })
      passes.push(performance.now() - t0)
      process.stderr.write(`  (pass ${r + 1}: ${(passes.at(-1)! / 1000).toFixed(1)} s)\n`)
      if (result.findings.length > 0 || result.state.verifiedSize !== count) throw new Error(`the bench log did not audit clean: ${JSON.stringify(result.findings.slice(0, 3))}`)
    }
    const fetches: number[] = []
    const paths = [...log.keys()]
    for (let r = 0; r < rounds; r++) {
      const source = httpLogSource(url)
      const t0 = performance.now()
      for (let i = 0; i < paths.length; i += 16) await Promise.all(paths.slice(i, i + 16).map(async (p) => await source.read(p)))
      fetches.push(performance.now() - t0)
    }
    const seconds = median(passes) / 1000
    ctx.row({
      section: 'auditor',
      figure: `one audit pass over a ${count.toLocaleString('en-US')}-entry log from its tiles (HTTP, loopback)`,
      value: seconds,
      unit: 's',
      baseline: { label: 'fetching the same tiles and bundles, no checks', value: median(fetches) / 1000 },
      better: 'lower',
      ...(ctx.quick ? {} : { goal: '≤ 30 s', met: seconds <= 30 })
    })
    ctx.row({
      section: 'auditor',
      figure: 'entries verified per second in that pass',
      value: count / seconds,
      unit: 'entries/s',
      better: 'higher'
    })
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

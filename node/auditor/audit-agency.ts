// One audit pass over one agency's log, with the auditor's own fetches and the chain alone. The reference
// is the tree the auditor rebuilds from the entries: every served hash (each entry's level-0 hash, each
// hash of every higher tile) is compared with the hash computed from the entries, so no tile goes unread,
// and every anchored and checkpoint root is compared with the roots computed from the entries and from the
// tiles. Anchors are checked for consistency with one another and with the served checkpoint by proofs
// computed from the tiles. The pass resumes where the previous one stopped: only new tiles are read.
import {
  CompactRange, HASH_SIZE, TILE_HEIGHT, TILE_WIDTH, TileHashReader, checkpointOrigin, consistencyProof,
  decodeHashTile, entryBundlePath, equalHashes, openCheckpoint, rootAt, tilePath, verifyConsistency, type TileId
} from '../../protocol/tlog/index.js'
import { fromHex, toHex } from '../../protocol/codec/index.js'
import { isPorchlightError } from '../../protocol/errors.js'
import type { AuditedEntry } from '../../protocol/index.js'
import { nodeTreeHasher } from '../crypto/index.js'
import type { AnchorRecord, ChainView } from './chain-view.js'
import { decodeBundle, type DecodedBundle } from './decode-bundle.js'
import { EntryRules } from './entry-rules.js'
import { auditedEntry } from './entry-index.js'
import { finding, type Finding, type Rule } from './findings.js'
import { LogUnavailableError, type LogSource } from './log-source.js'
import { addObservation, emptyAgencyState, type AgencyAuditState, type Observation } from './audit-state.js'
import type { Sighting } from './sightings.js'

export interface AuditPolicy {
  /** The anchoring interval agencies promise, seconds. @default 600 */
  anchorIntervalSeconds?: number
  /** Slack on top of the interval (block times, queues), seconds. @default 60 */
  anchorGraceSeconds?: number
  /** Tiles fetched at once. @default 16 */
  concurrency?: number
}

export interface AgencyAuditInput {
  agency: string
  /** Where its log is read; undefined when the auditor knows no endpoint for it. */
  source: LogSource | undefined
  chain: ChainView
  state: AgencyAuditState | undefined
  /** Signed checkpoint notes of this agency's log that other auditors saw, with where they came from. */
  peerNotes?: ReadonlyArray<{ note: string, from: string }>
  /** Agency-signed checkpoints that reached the auditor as they reach residents, not yet compared with the log. */
  sightings?: readonly Sighting[]
  policy?: AuditPolicy
  /**
   * The auditor's wall clock for this pass, unix seconds. The pass's clock (cadence, retention, `foundAt`) is
   * the later of it and the chain head's time: a chain that mines no block (an idle dev chain, an L2 that
   * makes no empty blocks) must not stop time for the interval rules, and a clock running behind the chain
   * must not hide what the chain already shows. @default the chain head's time alone
   */
  clock?: number
  /** Called after each bundle of entries is checked: entries read so far this pass, and how many it reads. */
  onProgress?: (done: number, total: number) => void
  /**
   * Handed each bundle's entries, decoded, once checked against the tiles (the drill-down's index); awaited.
   * Without it none are built. They are handed before the pass's root checks end: a reader shows only
   * entries below the verified size, and joins the findings when it reads.
   */
  onEntries?: (entries: AuditedEntry[]) => Promise<void>
}

export interface AgencyAuditResult {
  /** The state to keep for the next pass. */
  state: AgencyAuditState
  /** What this pass found (the caller merges them into the state's findings). */
  findings: Finding[]
  /** The sightings compared with the public log this pass (those of sizes it covers); the rest wait. */
  checked: Sighting[]
}

class PassAborted extends Error {}

export async function auditAgency (input: AgencyAuditInput): Promise<AgencyAuditResult> {
  const { agency, source, chain } = input
  const interval = input.policy?.anchorIntervalSeconds ?? 600
  const grace = input.policy?.anchorGraceSeconds ?? 60
  const concurrency = input.policy?.concurrency ?? 16
  const now = Math.max(chain.now, (input.clock ?? chain.now) - (chain.lagSeconds ?? 0))
  const before = input.state ?? emptyAgencyState()
  // Work on a copy; on a failed read only the findings and observations are kept.
  const state: AgencyAuditState = structuredClone(before)
  const findings: Finding[] = []
  const flag = (rule: Rule, message: string, evidence: Record<string, unknown>, entryIndex?: number): void => {
    findings.push(finding(agency, rule, message, evidence, now, entryIndex))
  }
  const origin = checkpointOrigin(chain.chainId, agency)
  const anchors = chain.anchors.get(agency) ?? []
  for (const a of anchors) addObservation(state.observations, { size: a.treeSize, root: a.root, source: 'anchor', from: a.transactionHash })
  for (const { note, from } of input.peerNotes ?? []) {
    try {
      const { checkpoint } = openCheckpoint(note, origin)
      addObservation(state.observations, { size: checkpoint.size, root: toHex(checkpoint.root), source: 'peer', from, note })
    } catch { /* a note the agency did not sign proves nothing about it */ }
  }
  const sightings = input.sightings ?? []
  const partial = (): AgencyAuditResult => {
    checkSplitView(state.observations, flag)
    checkSightingsAgainstAnchors(sightings, anchors, flag)
    return { state: { ...before, observations: state.observations, auditedAt: now }, findings, checked: [] }
  }

  const latestAnchor = anchors.at(-1)
  if (source === undefined) {
    if (latestAnchor !== undefined) {
      flag('LOG_ENDPOINT_UNKNOWN', 'the agency anchors a log, but this auditor knows no endpoint to read it from', { treeSize: latestAnchor.treeSize, root: latestAnchor.root, transactionHash: latestAnchor.transactionHash })
    }
    return partial()
  }

  // The served checkpoint: signed by the agency key, for this chain and agency.
  let noteText: string
  try {
    noteText = new TextDecoder('utf-8', { fatal: true }).decode(await source.read('checkpoint'))
  } catch (err) {
    if (!(err instanceof LogUnavailableError) && !(err instanceof TypeError)) throw err
    flag('LOG_UNAVAILABLE', 'the checkpoint could not be read', { location: source.location, path: 'checkpoint', reason: isPorchlightError(err) ? err.details.reason : 'not UTF-8' })
    return partial()
  }
  let served: { size: number, root: Uint8Array }
  try {
    served = openCheckpoint(noteText, origin).checkpoint
  } catch (err) {
    flag('CHECKPOINT_INVALID', 'the served checkpoint is not a checkpoint of this log signed by the agency', { location: source.location, code: isPorchlightError(err) ? err.code : 'UNKNOWN', note: noteText.slice(0, 1024) })
    return partial()
  }
  const N = served.size
  const servedRoot = toHex(served.root)
  addObservation(state.observations, { size: N, root: servedRoot, source: 'checkpoint', from: source.location, note: noteText })
  state.checkpoint = { size: N, root: servedRoot, note: noteText, fetchedAt: now }

  const V = state.verifiedSize
  if (latestAnchor !== undefined && N < latestAnchor.treeSize) {
    flag('LOG_TRUNCATED', 'the served log is shorter than its latest anchor', { size: N, anchoredSize: latestAnchor.treeSize, anchoredRoot: latestAnchor.root, transactionHash: latestAnchor.transactionHash, location: source.location })
  }
  if (N < V) {
    flag('LOG_TRUNCATED', 'the served log is shorter than what this auditor verified before', { size: N, verifiedSize: V, location: source.location })
    return partial()
  }

  const readerFetch = async (tile: TileId, path: string): Promise<Uint8Array> => await readOrAbort(source, path, flag)
  const reader = new TileHashReader(N, readerFetch)
  const sink = input.onEntries
  const rules = new EntryRules({ agency, domain: { chainId: chain.chainId, verifyingContract: chain.registry }, history: (address) => chain.history(address), now }, state.rules)

  // Anchors not yet checked and within the served size, in chain (= size) order.
  const fresh = anchors.slice(state.anchorsChecked).filter((a) => a.treeSize <= N)
  const entriesRoots = new Map<number, Uint8Array>()
  const wanted = new Set(fresh.map((a) => a.treeSize))
  let nextAnchor = 0
  let pending = state.unanchored
  const settle = (size: number): void => {
    while (nextAnchor < fresh.length && fresh[nextAnchor]!.treeSize <= size) {
      const a = fresh[nextAnchor++]!
      if (pending === undefined || pending.index >= a.treeSize) continue
      if (a.anchoredAt > pending.time + interval + grace) {
        flag('ANCHOR_LATE', 'an entry was anchored later than the promised interval after its time', {
          entryTime: pending.time, anchoredAt: a.anchoredAt, treeSize: a.treeSize, transactionHash: a.transactionHash, anchorIntervalSeconds: interval
        }, pending.index)
      }
      pending = undefined
    }
  }

  try {
    // Rebuild the tree from the entries, checking each against its level-0 tile hash.
    const range = V === 0 ? CompactRange.empty(nodeTreeHasher) : CompactRange.fromHashes(V, state.edge.map((h) => fromHex(h)), nodeTreeHasher)
    const computed = new Map<number, Map<number, Uint8Array>>() // tile level ≥ 1 → node index → hash
    const keep = (level: number, index: number, hash: Uint8Array): void => {
      if (level === 0 || level % TILE_HEIGHT !== 0) return
      const L = level / TILE_HEIGHT
      let m = computed.get(L)
      if (m === undefined) computed.set(L, m = new Map<number, Uint8Array>())
      m.set(index, hash)
    }
    settle(V)
    const firstBundle = Math.floor(V / TILE_WIDTH)
    const bundles = Math.ceil(N / TILE_WIDTH)
    const decode = (bytes: Uint8Array, width: number, path: string): DecodedBundle => {
      try {
        return decodeBundle(bytes, width)
      } catch (err) {
        if (!isPorchlightError(err, 'InvalidTileError')) throw err
        flag('TILE_INVALID', 'a served tile does not decode at the width the checkpoint implies', { path, code: err.code })
        throw new PassAborted()
      }
    }
    const fetchBundle = async (b: number): Promise<[DecodedBundle, Uint8Array[]]> => {
      const width = Math.min(TILE_WIDTH, N - b * TILE_WIDTH)
      const [entryBytes, tileBytes] = await Promise.all([
        readOrAbort(source, entryBundlePath(b, width), flag), readOrAbort(source, tilePath(0, b, width), flag)
      ])
      const hashes = decodeOrAbort(() => decodeHashTile(tileBytes, width), tilePath(0, b, width), flag)
      return [decode(entryBytes, width, entryBundlePath(b, width)), hashes]
    }
    const inFlight = new Map<number, Promise<[DecodedBundle, Uint8Array[]]>>()
    const prefetch = (b: number): void => {
      if (b < bundles && !inFlight.has(b)) {
        const p = fetchBundle(b)
        p.catch(() => {})
        inFlight.set(b, p)
      }
    }
    for (let b = firstBundle; b < bundles; b++) {
      const entries: AuditedEntry[] = []
      for (let ahead = b; ahead < b + concurrency; ahead++) prefetch(ahead)
      const [bundle, hashes] = await inFlight.get(b)!
      inFlight.delete(b)
      for (let i = Math.max(0, V - b * TILE_WIDTH); i < bundle.entries.length; i++) {
        const k = b * TILE_WIDTH + i
        const leaf = bundle.hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)
        const leafMatches = equalHashes(leaf, hashes[i]!)
        if (!leafMatches) {
          flag('ENTRY_MISMATCH', "the entry's hash differs from its hash in the level-0 tile", { level: 0, nodeIndex: k, served: toHex(hashes[i]!), computed: toHex(leaf) }, k)
        }
        range.append(leaf, keep)
        const { findings: ruleFindings, time } = rules.applyDecoded(k, bundle.entries[i]!)
        findings.push(...ruleFindings)
        if (sink !== undefined) entries.push(auditedEntry(k, bundle.entries[i]!, toHex(leaf), leafMatches, rules.state))
        if (time !== undefined && (pending === undefined || time < pending.time)) pending = { index: k, time }
        if (wanted.has(k + 1)) entriesRoots.set(k + 1, range.root())
        settle(k + 1)
      }
      if (sink !== undefined) await sink(entries)
      input.onProgress?.(Math.min(N, (b + 1) * TILE_WIDTH) - V, N - V)
    }
    await Promise.allSettled(inFlight.values())

    // Every hash of every higher tile not checked before, against the hash computed from the entries.
    for (let L = 1; N >= TILE_WIDTH ** L; L++) {
      const count = Math.floor(N / TILE_WIDTH ** L)
      const first = Math.floor(V / TILE_WIDTH ** L)
      const nodes = computed.get(L) ?? new Map<number, Uint8Array>()
      for (let t = Math.floor(first / TILE_WIDTH); t * TILE_WIDTH < count; t++) {
        const width = Math.min(TILE_WIDTH, count - t * TILE_WIDTH)
        const hashes = await reader.readTile({ level: L, index: t, width })
        for (let j = 0; j < width; j++) {
          const index = t * TILE_WIDTH + j
          if (index < first) continue
          const mine = nodes.get(index)!
          if (!equalHashes(mine, hashes[j]!)) {
            flag('TILE_HASH_MISMATCH', 'a tile hash differs from the hash computed from the entries under it', { level: L, nodeLevel: L * TILE_HEIGHT, nodeIndex: index, path: tilePath(L, t, width), served: toHex(hashes[j]!), computed: toHex(mine) })
          }
        }
      }
    }

    // Roots: the served checkpoint's against the entries'; each new anchor's against the tiles' and entries'.
    const entriesRoot = range.root()
    if (!equalHashes(entriesRoot, served.root)) {
      flag('CHECKPOINT_ROOT_MISMATCH', "the served checkpoint's root is not the root of the served entries", { size: N, checkpointRoot: servedRoot, entriesRoot: toHex(entriesRoot), location: source.location })
    }
    let previous = state.lastAnchor
    for (const a of fresh) {
      const tilesRoot = await rootAt(a.treeSize, reader)
      const fromEntries = entriesRoots.get(a.treeSize)
      const anchored = fromHex(a.root)
      if (!equalHashes(tilesRoot, anchored) || (fromEntries !== undefined && !equalHashes(fromEntries, anchored))) {
        flag('ANCHOR_ROOT_MISMATCH', 'an anchored root is not the root of the served log at that size', {
          treeSize: a.treeSize, anchoredRoot: a.root, tilesRoot: toHex(tilesRoot), ...(fromEntries === undefined ? {} : { entriesRoot: toHex(fromEntries) }), transactionHash: a.transactionHash
        })
      }
      if (previous !== undefined) await checkConsistency(previous, a, reader, flag, 'ANCHOR_INCONSISTENT')
      previous = a
    }
    if (previous !== undefined) {
      await checkConsistency(previous, { treeSize: N, root: servedRoot }, reader, flag, 'CHECKPOINT_INCONSISTENT', source.location)
    }

    if (pending !== undefined && now > pending.time + interval + grace) {
      flag('LOG_NOT_ANCHORING', 'the log grew and no anchor covers an entry older than the promised interval', {
        entryTime: pending.time, now, latestAnchoredSize: latestAnchor?.treeSize ?? 0, size: N, anchorIntervalSeconds: interval
      }, pending.index)
    }
    findings.push(...rules.finish())
    checkSplitView(state.observations, flag)
    const checked = sightings.filter((x) => x.size <= N)
    for (const seen of checked) await checkSighting(seen, { size: N, root: servedRoot, note: noteText, location: source.location }, reader, flag)
    return {
      state: {
        ...state,
        verifiedSize: N,
        edge: range.hashes.map(toHex),
        anchorsChecked: state.anchorsChecked + fresh.length,
        ...(previous === undefined ? {} : { lastAnchor: previous }),
        ...(pending === undefined ? { unanchored: undefined } : { unanchored: pending }),
        rules: rules.state,
        auditedAt: now
      },
      findings,
      checked
    }
  } catch (err) {
    if (err instanceof PassAborted) return partial()
    if (isPorchlightError(err) && err.code === 'INVALID_TILE') {
      flag('TILE_INVALID', 'a served tile does not decode at the width the checkpoint implies', { code: err.code, ...err.details })
      return partial()
    }
    throw err
  }
}

/** Checks `to` against `from` with a consistency proof computed from the tiles. */
async function checkConsistency (from: AnchorRecord, to: { treeSize: number, root: string, transactionHash?: string }, reader: TileHashReader, flag: FlagFn, rule: Rule, location?: string): Promise<void> {
  const evidence = {
    fromSize: from.treeSize, fromRoot: from.root, fromTransaction: from.transactionHash, toSize: to.treeSize, toRoot: to.root,
    ...(to.transactionHash === undefined ? {} : { toTransaction: to.transactionHash }), ...(location === undefined ? {} : { location }),
    size: to.treeSize
  }
  if (to.treeSize < from.treeSize) return
  const proof = await consistencyProof(from.treeSize, to.treeSize, reader)
  try {
    verifyConsistency(from.treeSize, to.treeSize, proof, fromHex(from.root), fromHex(to.root))
  } catch {
    flag(rule, rule === 'ANCHOR_INCONSISTENT' ? 'an anchor is not consistent with the anchor before it' : 'the served checkpoint is not consistent with the latest anchor', { ...evidence, proof: proof.map(toHex) })
  }
}

type FlagFn = (rule: Rule, message: string, evidence: Record<string, unknown>, entryIndex?: number) => void

async function readOrAbort (source: LogSource, path: string, flag: FlagFn): Promise<Uint8Array> {
  try {
    return await source.read(path)
  } catch (err) {
    if (!(err instanceof LogUnavailableError)) throw err
    flag('LOG_UNAVAILABLE', 'a tile the checkpoint covers could not be read', { location: source.location, path, reason: err.details.reason })
    throw new PassAborted()
  }
}

function decodeOrAbort<T> (decode: () => T, path: string, flag: FlagFn): T {
  try {
    return decode()
  } catch (err) {
    flag('TILE_INVALID', 'a served tile does not decode at the width the checkpoint implies', { path, code: isPorchlightError(err) ? err.code : 'UNKNOWN' })
    throw new PassAborted()
  }
}

/**
 * A checkpoint seen in gossip, a receipt or at a witness against the public log at its size (the root the
 * tiles give, every tile already checked against the entries). The evidence lets anyone re-check it without
 * this auditor: both notes are signed by the agency, and the consistency proof binds the public root at that
 * size to the served checkpoint, so the agency signed two trees that cannot both be its log.
 */
async function checkSighting (seen: Sighting, served: { size: number, root: string, note: string, location: string }, reader: TileHashReader, flag: FlagFn): Promise<void> {
  const publicRoot = toHex(await rootAt(seen.size, reader))
  if (publicRoot === seen.root) return
  const proof = seen.size === 0 || seen.size === served.size ? [] : (await consistencyProof(seen.size, served.size, reader)).map(toHex)
  flag('SPLIT_VIEW', 'a checkpoint the agency signed differs from its public log at that size', {
    size: seen.size,
    seen: [
      { root: publicRoot, source: 'log', from: served.location, note: served.note, noteSize: served.size, noteRoot: served.root, consistencyProof: proof },
      { root: seen.root, source: seen.source, from: seen.from, note: seen.note }
    ]
  })
}

/** Without the log (no endpoint, a read failed), a sighting can still contradict an anchor of its size. */
function checkSightingsAgainstAnchors (sightings: readonly Sighting[], anchors: readonly AnchorRecord[], flag: FlagFn): void {
  for (const seen of sightings) {
    const anchor = anchors.find((a) => a.treeSize === seen.size && a.root !== seen.root)
    if (anchor === undefined) continue
    flag('SPLIT_VIEW', 'a checkpoint the agency signed differs from the root it anchored at that size', {
      size: seen.size,
      seen: [
        { root: anchor.root, source: 'anchor', from: anchor.transactionHash },
        { root: seen.root, source: seen.source, from: seen.from, note: seen.note }
      ]
    })
  }
}

/** Two different roots for one size, from any sources: a split view. */
function checkSplitView (observations: readonly Observation[], flag: FlagFn): void {
  const bySize = new Map<number, Observation[]>()
  for (const o of observations) bySize.set(o.size, [...(bySize.get(o.size) ?? []), o])
  for (const [size, seen] of bySize) {
    const roots = new Set(seen.map((o) => o.root))
    if (roots.size < 2) continue
    flag('SPLIT_VIEW', 'two different roots for one tree size', { size, seen: seen.map((o) => ({ root: o.root, source: o.source, from: o.from, ...(o.note === undefined ? {} : { note: o.note }) })) })
  }
}

// The agency's public log, persistent in `level`: RFC 9162 tree, C2SP checkpoints signed by the agency key,
// stored so that tiles and entry bundles are single range reads (keys.ts).
//
// Durability: an append resolves only after the one atomic batch holding its entry, the full subtrees it
// completes and the new size is written (fsync by default). Appends that arrive while a batch is being
// written gather into the next group, so many concurrent appends cost one write (group commit). The tree's
// right edge lives in memory and is swapped in only after its batch is durable: a failed write changes
// nothing. A restart reads the size and the edge's full subtrees back (CompactRange.fromHashes).
//
// Checkpoints: the log issues one after a group lands, at most once per `checkpointIntervalMs`, so while
// entries arrive there is one at least that often, and a lone append gets one at once. Each is stored
// (fsync) before anyone can see it, so every checkpoint ever served survives a crash.
import { EventEmitter } from 'node:events'
import {
  CompactRange, IndexOutOfRangeError, EntryTooLargeError, MAX_ENTRY_SIZE, checkpointOrigin, consistencyProof,
  equalHashes, inclusionProof, openCheckpoint, rootAt, rootNodes, signCheckpoint
} from '../../protocol/tlog/index.js'
import { addressOfPrivateKey, fromHex } from '../../protocol/index.js'
import { nodeTreeHasher } from '../crypto/index.js'
import { InvalidAgencyKeyError, InvalidEntryError, LogClosedError, LogCorruptedError, LogWriteError } from './errors.js'
import { CHECKPOINT_END, CHECKPOINT_FIRST, SIZE_KEY, checkpointKey, entryKey, hashKey } from './keys.js'
import { LevelHashReader, isStoredLevel } from './level-hash-reader.js'
import { asBytes, batchTarget, syncOptions, type LogDatabase, type PutOperation } from './log-database.js'

export interface AgencyLogInit {
  /** The log's own database or sublevel (string keys, Uint8Array values). */
  db: LogDatabase
  /** The agency's secp256k1 private key (0x-hex or 32 bytes): it signs every checkpoint. */
  agencyKey: string | Uint8Array
  /** The chain the agency is registered on: part of the log's origin. */
  chainId: number | bigint
  /** Shortest time between two timed checkpoints, in ms. @default 500 */
  checkpointIntervalMs?: number
  /** fsync every group before acknowledging it (false survives a process crash, not a power cut). @default true */
  sync?: boolean
  /** Most entries written in one batch. @default 4096 */
  maxGroupEntries?: number
}

/** A checkpoint the log issued: the signed note and what it says. */
export interface IssuedCheckpoint {
  readonly size: number
  readonly root: Uint8Array
  /** The signed C2SP checkpoint note text, as served at /checkpoint. */
  readonly note: string
}

/** An inclusion proof of one entry against a signed checkpoint (which fixes the size the proof is for). */
export interface EntryProof {
  readonly index: number
  /** Signed checkpoint note text; its size and root are what the proof verifies against. */
  readonly checkpoint: string
  readonly proof: Uint8Array[]
}

export interface AgencyLogEvents {
  'checkpoint:issued': [IssuedCheckpoint]
  /** A timed checkpoint could not be issued (the next group or call retries). */
  'checkpoint:failed': [Error]
}

interface PendingAppend {
  entry: Uint8Array
  resolve: (index: number) => void
  reject: (err: Error) => void
}

const MAX_GROUP_BYTES = 16 * 1024 * 1024
const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class AgencyLog extends EventEmitter<AgencyLogEvents> {
  /** `porchlight.<chainId>/<agency address>`. */
  readonly origin: string
  /** The agency address (lowercase). */
  readonly agency: string
  readonly #db: LogDatabase
  readonly #batch: ReturnType<typeof batchTarget>
  readonly #key: Uint8Array
  readonly #reader: LevelHashReader
  readonly #intervalMs: number
  readonly #sync: boolean
  readonly #maxGroup: number
  #range: CompactRange
  #latest: IssuedCheckpoint
  #pending: PendingAppend[] = []
  #committing: Promise<void> | undefined
  #issuing: Promise<IssuedCheckpoint>
  #lastIssuedAt = 0
  #timer: NodeJS.Timeout | undefined
  #closed = false

  private constructor (init: AgencyLogInit, key: AgencyKey, range: CompactRange, latest: IssuedCheckpoint) {
    super()
    this.#db = init.db
    this.#batch = batchTarget(init.db)
    this.#key = key.bytes
    this.agency = key.agency
    this.origin = key.origin
    this.#reader = new LevelHashReader(init.db)
    this.#intervalMs = init.checkpointIntervalMs ?? 500
    this.#sync = init.sync ?? true
    this.#maxGroup = init.maxGroupEntries ?? 4096
    this.#range = range
    this.#latest = latest
    this.#issuing = Promise.resolve(latest)
  }

  /**
   * Opens the log stored in `init.db` (empty or written by this class), checking that its latest checkpoint
   * matches the stored tree. A new log issues its size-0 checkpoint, so /checkpoint always answers.
   */
  static async open (init: AgencyLogInit): Promise<AgencyLog> {
    const key = agencyKeyOf(init.agencyKey, init.chainId)
    const origin = key.origin
    const db = init.db
    const sizeBytes = await db.get(SIZE_KEY)
    const size = sizeBytes === undefined ? 0 : Number(decoder.decode(sizeBytes))
    if (!Number.isSafeInteger(size) || size < 0) throw new LogCorruptedError('stored size is not a count', { value: String(size) })
    const reader = new LevelHashReader(db)
    let edge: Uint8Array[]
    try { edge = await reader.getHashes(rootNodes(size)) } catch (cause) {
      throw new LogCorruptedError('a node of the tree edge is missing', { size, cause: String(cause) })
    }
    const range = CompactRange.fromHashes(size, edge)

    const last = await db.iterator({ gte: CHECKPOINT_FIRST, lt: CHECKPOINT_END, reverse: true, limit: 1 }).all()
    let latest: IssuedCheckpoint | undefined
    if (last.length > 0) {
      const note = decoder.decode(last[0]![1])
      const { checkpoint } = openCheckpoint(note, origin)
      if (checkpoint.size > size) throw new LogCorruptedError('a checkpoint is larger than the stored tree', { size, checkpointSize: checkpoint.size })
      if (!equalHashes(checkpoint.root, await rootAt(checkpoint.size, reader))) {
        throw new LogCorruptedError('the latest checkpoint does not match the stored tree', { checkpointSize: checkpoint.size })
      }
      latest = { size: checkpoint.size, root: checkpoint.root, note }
    }
    const log = new AgencyLog(init, key, range, latest ?? { size: -1, root: new Uint8Array(32), note: '' })
    if (latest === undefined) await log.#issue()
    if (log.#range.size > log.#latest.size) log.#schedule()
    return log
  }

  /** Number of durable entries. */
  get size (): number {
    return this.#range.size
  }

  /** The latest issued checkpoint. */
  get latestCheckpoint (): IssuedCheckpoint {
    return this.#latest
  }

  /**
   * Appends one entry; resolves with its index once it is durable. An entry that is not a Uint8Array of at
   * most MAX_ENTRY_SIZE bytes is refused (typed error) and nothing changes.
   */
  async append (entry: Uint8Array): Promise<number> {
    if (!(entry instanceof Uint8Array)) throw new InvalidEntryError(entry)
    if (entry.length > MAX_ENTRY_SIZE) throw new EntryTooLargeError(entry.length, MAX_ENTRY_SIZE)
    if (this.#closed) throw new LogClosedError()
    return await new Promise<number>((resolve, reject) => {
      this.#pending.push({ entry: entry.slice(), resolve, reject })
      this.#committing ??= this.#commitLoop().finally(() => { this.#committing = undefined })
    })
  }

  // One group per batch; appends arriving meanwhile wait in #pending for the next turn.
  async #commitLoop (): Promise<void> {
    while (this.#pending.length > 0) {
      const group = this.#takeGroup()
      const range = this.#range.clone()
      const first = range.size
      const { target, sublevel } = this.#batch
      const ops: PutOperation[] = []
      for (const { entry } of group) {
        ops.push({ type: 'put', key: entryKey(range.size), value: entry, sublevel })
        range.append(nodeTreeHasher.leaf(entry), (level, index, hash) => {
          if (isStoredLevel(level)) ops.push({ type: 'put', key: hashKey(level, index), value: hash, sublevel })
        })
      }
      ops.push({ type: 'put', key: SIZE_KEY, value: encoder.encode(String(range.size)), sublevel })
      try {
        await target.batch(ops as Array<{ type: 'put', key: string, value: Uint8Array }>, syncOptions(this.#sync))
      } catch (cause) {
        const err = new LogWriteError(cause, { first, count: group.length })
        for (const p of group) p.reject(err)
        continue
      }
      this.#range = range
      group.forEach((p, i) => { p.resolve(first + i) })
      this.#schedule()
    }
  }

  #takeGroup (): PendingAppend[] {
    let count = 0
    let bytes = 0
    while (count < this.#pending.length && count < this.#maxGroup && bytes < MAX_GROUP_BYTES) {
      bytes += this.#pending[count]!.entry.length
      count++
    }
    return this.#pending.splice(0, count)
  }

  // A timed checkpoint after growth, no sooner than one interval after the last one (timed or asked for).
  #schedule (): void {
    if (this.#timer !== undefined || this.#closed) return
    const delay = Math.max(0, this.#lastIssuedAt + this.#intervalMs - Date.now())
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#issue().then((cp) => {
        if (this.#range.size > cp.size) this.#schedule()
      }, (err: Error) => { if (!this.#closed) this.emit('checkpoint:failed', err) })
    }, delay)
  }

  /** Signs, stores and publishes a checkpoint at the durable size (one at a time, in order). */
  async #issue (): Promise<IssuedCheckpoint> {
    const next = this.#issuing.catch(() => this.#latest).then(async () => {
      const size = this.#range.size
      if (size === this.#latest.size) return this.#latest
      this.#lastIssuedAt = Date.now()
      const root = this.#range.root()
      const note = signCheckpoint({ origin: this.origin, size, root }, this.#key)
      await this.#db.put(checkpointKey(size), encoder.encode(note), syncOptions(this.#sync))
      const issued: IssuedCheckpoint = { size, root, note }
      this.#latest = issued
      this.emit('checkpoint:issued', issued)
      return issued
    })
    this.#issuing = next
    return await next
  }

  /**
   * A checkpoint that includes entry `index` (which must be durable): the latest one if it does, else one
   * issued now — for callers that hand out a proof right away (a request, a receipt).
   */
  async checkpointCovering (index: number): Promise<IssuedCheckpoint> {
    this.#checkIndex(index)
    if (this.#latest.size > index) return this.#latest
    if (this.#closed) throw new LogClosedError()
    return await this.#issue()
  }

  /** The inclusion proof of entry `index` against a signed checkpoint that includes it. */
  async proof (index: number): Promise<EntryProof> {
    const checkpoint = await this.checkpointCovering(index)
    return { index, checkpoint: checkpoint.note, proof: await inclusionProof(index, checkpoint.size, this.#reader) }
  }

  /** The inclusion proof of entry `index` in the tree of size `size` (index < size ≤ the durable size). */
  async inclusion (index: number, size: number): Promise<Uint8Array[]> {
    if (!Number.isSafeInteger(size) || size < 1 || size > this.size) throw new IndexOutOfRangeError('size', size, this.size)
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new IndexOutOfRangeError('index', index, size - 1)
    return await inclusionProof(index, size, this.#reader)
  }

  /** The consistency proof from size `m` to size `n` (m ≤ n ≤ size). */
  async consistency (m: number, n: number): Promise<Uint8Array[]> {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.size) throw new IndexOutOfRangeError('n', n, this.size)
    return await consistencyProof(m, n, this.#reader)
  }

  /** The root at any size up to the durable one. */
  async rootAt (size: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) throw new IndexOutOfRangeError('size', size, this.size)
    return await rootAt(size, this.#reader)
  }

  /** The bytes of entry `index`. */
  async entry (index: number): Promise<Uint8Array> {
    this.#checkIndex(index)
    const value = await this.#db.get(entryKey(index))
    if (value === undefined) throw new LogCorruptedError('a durable entry is missing', { index })
    return asBytes(value)
  }

  /** Entries [first, first + count) in order: one range read (an entry bundle's worth). */
  async entries (first: number, count: number): Promise<Uint8Array[]> {
    this.#checkRange(first, count)
    const values = await this.#db.values({ gte: entryKey(first), lt: entryKey(first + count) }).all()
    if (values.length !== count) throw new LogCorruptedError('durable entries are missing', { first, count, found: values.length })
    return values.map(asBytes)
  }

  /**
   * Hashes of nodes [first, first + count) of a stored tree `level` (a multiple of 4, so every tile level),
   * all full subtrees: one range read (a tile's worth).
   */
  async hashes (level: number, first: number, count: number): Promise<Uint8Array[]> {
    if (!Number.isSafeInteger(level) || level < 0 || level > 52 || !isStoredLevel(level)) throw new IndexOutOfRangeError('level', level, 52)
    this.#checkRange(first * 2 ** level, count * 2 ** level)
    const values = await this.#db.values({ gte: hashKey(level, first), lt: hashKey(level, first + count) }).all()
    if (values.length !== count) throw new LogCorruptedError('hashes of full subtrees are missing', { level, first, count, found: values.length })
    return values.map(asBytes)
  }

  /** Every checkpoint the log has issued, smallest first (stored notes). */
  async checkpoints (): Promise<string[]> {
    const notes = await this.#db.values({ gte: CHECKPOINT_FIRST, lt: CHECKPOINT_END }).all()
    return notes.map((n) => decoder.decode(n))
  }

  /** Finishes pending appends, issues a last checkpoint if the log grew, and stops (the db stays open). */
  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#committing
    await this.#issue().catch(() => {})
  }

  #checkIndex (index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) throw new IndexOutOfRangeError('index', index, this.size - 1)
  }

  #checkRange (first: number, count: number): void {
    if (!Number.isSafeInteger(first) || first < 0) throw new IndexOutOfRangeError('first', first, this.size)
    if (!Number.isSafeInteger(count) || count < 0 || first + count > this.size) throw new IndexOutOfRangeError('count', count, this.size - first)
  }
}

interface AgencyKey { bytes: Uint8Array, agency: string, origin: string }

function agencyKeyOf (agencyKey: string | Uint8Array, chainId: number | bigint): AgencyKey {
  let bytes: Uint8Array
  let agency: string
  try {
    bytes = typeof agencyKey === 'string' ? fromHex(agencyKey) : agencyKey.slice()
    // Lowercase, as the checkpoint origin names it.
    agency = addressOfPrivateKey(bytes).toLowerCase()
  } catch (cause) {
    throw new InvalidAgencyKeyError(cause)
  }
  return { bytes, agency, origin: checkpointOrigin(chainId, agency) }
}

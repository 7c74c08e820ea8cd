// Anchoring (docs/design.md §2 step 8): every `anchorIntervalMs` the agency anchors its latest checkpoint in
// AuditAnchor if the log grew since the last anchor. It goes through the chain client's persistent queue,
// which waits out RPC outages and restarts, so an anchor asked for is never lost; one is in flight at a
// time (ticks during an outage are skipped, and the next tick after it anchors the then-latest checkpoint).
// Each anchor sent in its own transaction is recorded here with its transaction hash.
import { EventEmitter } from 'node:events'
import type { AnchorOutcome } from '../chain/index.js'
import type { AgencyLog, IssuedCheckpoint } from './agency-log.js'
import { InvalidAnchorIntervalError } from './errors.js'
import { asBytes, syncOptions, type LogDatabase } from './log-database.js'

/** What the anchorer needs of the chain: ChainClient.anchor (resolves once the chain holds it). */
export interface AnchorChain {
  anchor (treeSize: number, root: Uint8Array): Promise<AnchorOutcome>
}

export interface AnchorerInit {
  log: AgencyLog
  chain: AnchorChain
  /** The anchorer's own database or sublevel, where anchors are recorded. */
  db: LogDatabase
  /** How often to anchor when the log grew, in ms; at least 1000. @default 600000 (10 minutes) */
  anchorIntervalMs?: number
}

/** An anchor this node made: the checkpoint it put on chain and the transaction that did. */
export interface AnchorRecord {
  treeSize: number
  /** 0x-hex root. */
  root: string
  /** The signed checkpoint note anchored. */
  checkpoint: string
  transactionHash: string
  blockNumber: number
  /** Unix ms when the node learned the anchor was on chain. */
  recordedAt: number
}

export interface AnchorerEvents {
  'anchor:recorded': [AnchorRecord]
  /** The chain refused an anchor (e.g. the agency is suspended); the next tick tries again. */
  'anchor:failed': [Error]
}

export const DEFAULT_ANCHOR_INTERVAL_MS = 600_000
export const MIN_ANCHOR_INTERVAL_MS = 1000

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function recordKey (treeSize: number): string {
  return treeSize.toString(16).padStart(14, '0')
}

export class Anchorer extends EventEmitter<AnchorerEvents> {
  readonly anchorIntervalMs: number
  readonly #log: AgencyLog
  readonly #chain: AnchorChain
  readonly #db: LogDatabase
  #anchoredSize: number
  #inFlight: Promise<AnchorRecord | undefined> | undefined
  #timer: NodeJS.Timeout | undefined
  #stopped = false

  private constructor (init: AnchorerInit, anchoredSize: number, intervalMs: number) {
    super()
    this.#log = init.log
    this.#chain = init.chain
    this.#db = init.db
    this.#anchoredSize = anchoredSize
    this.anchorIntervalMs = intervalMs
  }

  /** Reads what was anchored before (the anchorer resumes from the largest recorded size). */
  static async open (init: AnchorerInit): Promise<Anchorer> {
    const interval = init.anchorIntervalMs ?? DEFAULT_ANCHOR_INTERVAL_MS
    if (!Number.isSafeInteger(interval) || interval < MIN_ANCHOR_INTERVAL_MS) throw new InvalidAnchorIntervalError(interval, MIN_ANCHOR_INTERVAL_MS)
    const last = await init.db.values({ reverse: true, limit: 1 }).all()
    const anchoredSize = last.length === 0 ? 0 : (JSON.parse(decoder.decode(asBytes(last[0]!))) as AnchorRecord).treeSize
    return new Anchorer(init, anchoredSize, interval)
  }

  /** The largest tree size known to be on chain (recorded here, or reported by the chain). */
  get anchoredSize (): number {
    return this.#anchoredSize
  }

  /** Starts anchoring every interval. */
  start (): void {
    if (this.#timer !== undefined || this.#stopped) return
    this.#timer = setInterval(() => { void this.anchorNow().catch(() => {}) }, this.anchorIntervalMs)
  }

  /** Stops the timer. An anchor in flight stays in the chain client's queue (sent on its next run). */
  stop (): void {
    this.#stopped = true
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
  }

  /**
   * Anchors the latest checkpoint now if the log grew since the last anchor (issuing a checkpoint if entries
   * are not covered yet); resolves with the record, or undefined when there was nothing to anchor. While an
   * anchor is in flight, returns that one.
   */
  async anchorNow (): Promise<AnchorRecord | undefined> {
    this.#inFlight ??= this.#anchorLatest().finally(() => { this.#inFlight = undefined })
    return await this.#inFlight
  }

  async #anchorLatest (): Promise<AnchorRecord | undefined> {
    const log = this.#log
    let checkpoint: IssuedCheckpoint = log.latestCheckpoint
    if (log.size > checkpoint.size) checkpoint = await log.checkpointCovering(log.size - 1)
    if (checkpoint.size <= this.#anchoredSize) return undefined
    let outcome: AnchorOutcome
    try {
      outcome = await this.#chain.anchor(checkpoint.size, checkpoint.root)
    } catch (err) {
      if (!this.#stopped) this.emit('anchor:failed', err as Error)
      throw err
    }
    if (outcome.status !== 'anchored') {
      // The chain already holds this checkpoint or a larger one (sent before a restart): nothing to send.
      this.#anchoredSize = Math.max(this.#anchoredSize, outcome.anchoredTreeSize)
      return undefined
    }
    const record: AnchorRecord = {
      treeSize: checkpoint.size,
      root: outcome.root,
      checkpoint: checkpoint.note,
      transactionHash: outcome.transactionHash,
      blockNumber: outcome.blockNumber,
      recordedAt: Date.now()
    }
    await this.#db.put(recordKey(record.treeSize), encoder.encode(JSON.stringify(record)), syncOptions(true))
    this.#anchoredSize = Math.max(this.#anchoredSize, record.treeSize)
    this.emit('anchor:recorded', record)
    return record
  }

  /** Every anchor recorded, smallest tree size first. */
  async anchors (): Promise<AnchorRecord[]> {
    const values = await this.#db.values().all()
    return values.map((v) => JSON.parse(decoder.decode(asBytes(v))) as AnchorRecord)
  }
}

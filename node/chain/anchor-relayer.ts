// The relayer (issue 21, item 4): agencies hand it their signed checkpoints, and every `batchIntervalMs` it
// anchors the Merkle root of all it holds in one AnchorRelay transaction (docs/contracts.md, "The relayer
// path"). It checks what it takes: the agency's signature in the AnchorRelay's domain, that the agency is
// active in the registry, and that the checkpoint is larger than the one it last took from that agency, so
// no one can make it pay gas for junk. It serves each anchored checkpoint with its inclusion proof, which is
// all an auditor needs besides the chain. Who runs it: a witness (docs/decisions.md, "Cheaper anchors").
import { EventEmitter } from 'node:events'
import { getAddress } from 'ethers'
import { LRUCache } from 'lru-cache'
import { PorchlightError } from '../../protocol/errors.js'
import { toRootHex, verifyAnchor, type SignedAnchor } from './anchor-authorization.js'
import { buildRelayBatch, type RelayedAnchor } from './anchor-relay.js'
import type { ChainClient, TxResult } from './chain-client.js'

export interface AnchorRelayerInit {
  /** A client with the relayer's funded key, on a deployment with an AnchorRelay. */
  chain: ChainClient
  /** How often the open batch is anchored. @default 3600000 (an hour, the agencies' promised interval) */
  batchIntervalMs?: number
  /** Checkpoints in one batch at most; more wait for the next. @default 1024 */
  maxBatch?: number
  /** Anchored checkpoints served per agency (newest kept). @default 64 */
  keepPerAgency?: number
  /** Agencies whose anchored checkpoints are kept (least recently anchored go first). @default 4096 */
  maxAgencies?: number
}

export interface AnchorRelayerEvents {
  'anchor:accepted': [SignedAnchor]
  'anchor:refused': [{ anchor: SignedAnchor, error: PorchlightError }]
  'batch:anchored': [TxResult & { root: string, count: number }]
  'batch:failed': [PorchlightError]
}

/** The checkpoint's signature is not its agency's in the AnchorRelay's domain. */
export class RelayedAnchorSignatureError extends PorchlightError {
  static override readonly code = 'RELAYED_ANCHOR_SIGNATURE'
  static override readonly status = 400
  constructor (details: { agency: string, treeSize: number }) {
    super(RelayedAnchorSignatureError.code, 'the checkpoint is not signed by its agency for this AnchorRelay', { details })
    this.name = 'RelayedAnchorSignatureError'
  }
}

/** The agency is not active in the registry: the relayer anchors for registered agencies only. */
export class RelayedAnchorAgencyNotActiveError extends PorchlightError {
  static override readonly code = 'RELAYED_ANCHOR_AGENCY_NOT_ACTIVE'
  static override readonly status = 403
  constructor (details: { agency: string, status: string }) {
    super(RelayedAnchorAgencyNotActiveError.code, `the agency is not active (${details.status})`, { details })
    this.name = 'RelayedAnchorAgencyNotActiveError'
  }
}

/** The relayer already holds (or anchored) a checkpoint of this log at this size or larger. */
export class RelayedAnchorStaleError extends PorchlightError {
  static override readonly code = 'RELAYED_ANCHOR_STALE'
  static override readonly status = 409
  constructor (details: { agency: string, treeSize: number, heldTreeSize: number }) {
    super(RelayedAnchorStaleError.code, 'a checkpoint of this log at this size or larger is held already', { details })
    this.name = 'RelayedAnchorStaleError'
  }
}

export class AnchorRelayer extends EventEmitter<AnchorRelayerEvents> {
  readonly batchIntervalMs: number
  readonly #chain: ChainClient
  readonly #maxBatch: number
  readonly #keep: number
  /** The open batch: one checkpoint per agency, the latest it sent. */
  readonly #open = new Map<string, SignedAnchor>()
  /** The largest size taken per agency (open or anchored), so a replayed older signature costs nothing. */
  readonly #held: LRUCache<string, number>
  readonly #anchored: LRUCache<string, RelayedAnchor[]>
  #flushing: Promise<unknown> | undefined
  #timer: NodeJS.Timeout | undefined

  constructor (init: AnchorRelayerInit) {
    super()
    if (init.chain.relayDomain === undefined) throw new RangeError('the chain client names no AnchorRelay')
    this.#chain = init.chain
    this.batchIntervalMs = init.batchIntervalMs ?? 3_600_000
    this.#maxBatch = init.maxBatch ?? 1024
    this.#keep = init.keepPerAgency ?? 64
    this.#held = new LRUCache({ max: init.maxAgencies ?? 4096 })
    this.#anchored = new LRUCache({ max: init.maxAgencies ?? 4096 })
  }

  start (): void {
    this.#timer ??= setInterval(() => { void this.flush().catch(() => {}) }, this.batchIntervalMs)
  }

  async stop (): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
    await this.#flushing?.catch(() => {})
  }

  /** Checkpoints waiting for the next batch. */
  get pending (): number {
    return this.#open.size
  }

  /** Takes an agency's signed checkpoint into the open batch (replacing an older one of the same log). */
  async submit (anchor: SignedAnchor): Promise<void> {
    const signed = { ...anchor, agency: getAddress(anchor.agency), root: toRootHex(anchor.root) }
    try {
      if (!verifyAnchor(this.#chain.relayDomain!, signed)) throw new RelayedAnchorSignatureError({ agency: signed.agency, treeSize: signed.treeSize })
      const held = this.#held.get(signed.agency) ?? 0
      if (signed.treeSize <= held) throw new RelayedAnchorStaleError({ agency: signed.agency, treeSize: signed.treeSize, heldTreeSize: held })
      const info = await this.#chain.agencyInfo(signed.agency)
      if (!await this.#chain.isActive(signed.agency)) throw new RelayedAnchorAgencyNotActiveError({ agency: signed.agency, status: info.status })
    } catch (err) {
      if (err instanceof PorchlightError) this.emit('anchor:refused', { anchor: signed, error: err })
      throw err
    }
    this.#held.set(signed.agency, signed.treeSize)
    this.#open.set(signed.agency, signed)
    this.emit('anchor:accepted', signed)
  }

  /** Anchors the open batch now (one at a time); undefined when it was empty. */
  async flush (): Promise<(TxResult & { root: string, count: number }) | undefined> {
    const run = (this.#flushing ?? Promise.resolve()).catch(() => {}).then(async () => await this.#flushOnce())
    this.#flushing = run
    return await run
  }

  async #flushOnce (): Promise<(TxResult & { root: string, count: number }) | undefined> {
    const batch = [...this.#open.values()].slice(0, this.#maxBatch)
    if (batch.length === 0) return undefined
    for (const a of batch) this.#open.delete(a.agency)
    const { root, proofs } = await buildRelayBatch(batch)
    let tx: TxResult
    try {
      tx = await this.#chain.anchorBatchRoot(root, batch.length)
    } catch (err) {
      // Put them back unless a newer checkpoint of the same log came meanwhile: the next flush tries again.
      for (const a of batch) if (!this.#open.has(a.agency)) this.#open.set(a.agency, a)
      if (err instanceof PorchlightError) this.emit('batch:failed', err)
      throw err
    }
    batch.forEach((anchor, i) => {
      const list = this.#anchored.get(anchor.agency) ?? []
      list.push({ anchor, batch: { ...proofs[i]!, transactionHash: tx.transactionHash, blockNumber: tx.blockNumber } })
      this.#anchored.set(anchor.agency, list.slice(-this.#keep))
    })
    const result = { ...tx, root, count: batch.length }
    this.emit('batch:anchored', result)
    return result
  }

  /** The agency's anchored checkpoints with their proofs, oldest first (the newest `keepPerAgency`). */
  relayed (agency: string): RelayedAnchor[] {
    return [...(this.#anchored.get(getAddress(agency)) ?? [])]
  }
}

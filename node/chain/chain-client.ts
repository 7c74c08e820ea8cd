// The node's view of the contracts, over ethers v6. Registry reads are cached per agency and dropped when
// the registry emits an event about that agency (followed with eth_getLogs); the witness set is cached whole
// and dropped on any WitnessRegistry event. Anchors go through the persistent AnchorQueue: `anchor()`
// stores first, then sends, and retries while the RPC is unreachable. On a chain that can reorganise, every
// read and every event is taken `confirmations` blocks below the head, and an anchor is settled only once its
// transaction is that deep: one that a reorg dropped is sent again (docs/contracts.md, "Confirmations").
// Every revert comes back as the contract's custom error (errors.ts); gas figures come from receipts.
import { EventEmitter } from 'node:events'
import { LRUCache } from 'lru-cache'
import { setTimeout as delay } from 'node:timers/promises'
import { Contract, Wallet, getAddress, type JsonRpcProvider, type Log, type TransactionReceipt, type TypedDataDomain } from 'ethers'
import { agencyRegistryArtifact, agencyRegistryInterface, anchorRelayArtifact, auditAnchorArtifact, auditAnchorInterface, witnessRegistryArtifact, witnessRegistryInterface } from './artifacts.js'
import { anchorDomain, signAnchor, toRootHex, type SignedAnchor } from './anchor-authorization.js'
import { relayDomain } from './anchor-relay.js'
import { AnchorQueue, type AnchorQueueStore, type QueuedAnchor } from './anchor-queue.js'
import { agencyStatuses, cellsToUint64, isActiveRecord, uint64ToCell, type AgencyInfo } from './agency-info.js'
import type { Deployment } from './deployment.js'
import type { Registrar } from './council.js'
import { AuditAnchorNonMonotonic, ChainUnavailableError, toChainError } from './errors.js'
import { connectProvider } from './provider.js'
import { checkWitnessEndpoints, checkWitnessRecord, toWitnessSet, type IgnoredWitness } from './witness-set.js'
import { PorchlightError } from '../../protocol/errors.js'
import type { RegisteredWitness, WitnessSet } from '../../protocol/api/witnesses.js'

export interface ChainClientOptions {
  deployment: Deployment
  /** Private key (0x-hex) of the account that signs: the council, an agency or a relayer. */
  privateKey?: string
  /**
   * Where queued anchors are kept: a `level` sublevel (string keys and values) or a database path.
   * Required for `anchor()`.
   */
  anchorQueue?: AnchorQueueStore | string
  /** Follow registry and anchor events from this block; default: the latest block at the first sync. */
  fromBlock?: number
  /** How often events are polled; 0 polls only on `sync()`. @default 1000 */
  pollingIntervalMs?: number
  /** Retry delays while the RPC is unreachable: doubling from min to max. @default { minDelayMs: 100, maxDelayMs: 5000 } */
  retry?: { minDelayMs?: number, maxDelayMs?: number }
  /**
   * How many agencies' records the registry cache keeps (least recently used go first). Announcements name
   * any address a sender likes: unbounded, the cache would be a way to fill a node's memory. @default 1024
   */
  registryCacheSize?: number
  /**
   * How deep a block must be before the client relies on it: registry records, the witness set and the
   * events it follows are read at the head minus this many blocks, and an anchor counts as on chain once
   * its transaction has this many blocks on top. @default defaultConfirmations(chainId)
   */
  confirmations?: number
  /** How often a mined anchor's depth is checked while it waits for its confirmations. @default 1000 */
  confirmationPollingMs?: number
  /**
   * Where the registrar writes (register, suspend, addWitness, …) go when the registries are governed by a
   * council: its proposals, approvals and timelock (node/chain/council.ts). Without it they are sent from
   * `privateKey`, which works only where that key holds the roles (the test-only single-key chain).
   */
  registrar?: Registrar | undefined
}

/** The embedded chain (Hardhat, id 31337) has one miner and never reorganises; anywhere else, 12 blocks. */
export const EMBEDDED_CHAIN_ID = 31337
export const DEFAULT_CONFIRMATIONS = 12

export function defaultConfirmations (chainId: number): number {
  return chainId === EMBEDDED_CHAIN_ID ? 0 : DEFAULT_CONFIRMATIONS
}

/** What a transaction cost and where it landed, from its receipt. */
export interface TxResult {
  transactionHash: string
  blockNumber: number
  gasUsed: number
}

export interface AgencyRecordInput {
  name: string
  /** H3 cells (h3-js strings) of resolution ≤ 7; sorted and deduplicated here. */
  cells: readonly string[]
  /** Unix seconds, or a Date. */
  validUntil: number | Date
}

export interface AnchorEvent {
  agency: string
  treeSize: number
  root: string
  blockNumber: number
  transactionHash: string
  logIndex: number
}

export type SkipReason = 'invalid-signature' | 'not-active' | 'non-monotonic' | 'fork'
const skipReasons: readonly SkipReason[] = ['invalid-signature', 'not-active', 'non-monotonic', 'fork']

export interface SkippedAnchor {
  agency: string
  treeSize: number
  root: string
  reason: SkipReason
}

export interface BatchResult extends TxResult {
  anchored: AnchorEvent[]
  skipped: SkippedAnchor[]
}

export interface LatestAnchor {
  treeSize: number
  root: string
  /** Unix seconds of the block that anchored it. */
  anchoredAt: number
}

/**
 * How a queued anchor ended: sent in its own transaction (`anchored`), covered by a larger checkpoint
 * sent instead (`superseded`), or found on chain already — e.g. after a receipt lost to an outage.
 */
export type AnchorOutcome =
  | ({ status: 'anchored', treeSize: number, root: string } & TxResult)
  | { status: 'superseded' | 'already-anchored', treeSize: number, root: string, anchoredTreeSize: number }

/** A change of the witness set, from WitnessRegistry's events (what an auditor reports). */
export interface WitnessEvent {
  kind: 'added' | 'updated' | 'removed' | 'quorum'
  /** The witness's name (all but `quorum`). */
  name?: string
  /** The new quorum (`quorum` only). */
  quorum?: number
  /** `added`: its verifier key. */
  vkey?: string
  /** `added` and `updated`: how it is reached ('' = none). */
  url?: string
  multiaddr?: string
  /** `removed`: the council's reason. */
  reason?: string
  blockNumber: number
  transactionHash: string
}

export interface ChainClientEvents {
  'anchor:queued': [QueuedAnchor]
  /** An anchor's transaction was mined; it waits for its confirmations (only with `confirmations` > 0). */
  'anchor:sent': [QueuedAnchor]
  /** A reorg dropped a mined anchor's transaction before it was confirmed: it is sent again. */
  'anchor:dropped': [{ anchor: QueuedAnchor, transactionHash: string, blockNumber: number }]
  /** The block this client had followed to is no longer on the chain: caches were dropped. */
  'chain:reorged': [{ blockNumber: number }]
  'anchor:anchored': [AnchorOutcome]
  'anchor:retrying': [{ error: PorchlightError, attempt: number, delayMs: number }]
  'anchor:failed': [{ anchor: QueuedAnchor, error: PorchlightError }]
  'sync:error': [PorchlightError]
  /** A read or write failed (unreachable RPC, a revert, a refused transaction): what /metrics counts. */
  'rpc:error': [PorchlightError]
  /**
   * The event follower saw a registry event about this agency (registered, updated, suspended, reinstated,
   * revoked): its cached record is dropped first, so `agencyInfo` reads it anew. Once per agency and sync.
   */
  'agency:changed': [string]
  /** The event follower saw the witness set change (the cached set is dropped first). */
  'witnesses:changed': [WitnessEvent[]]
  /** A registered witness no node may trust was left out of the set; once per entry and client. */
  'witness:ignored': [IgnoredWitness]
}

const registryEvents = new Set(['AgencyRegistered', 'AgencyUpdated', 'AgencySuspended', 'AgencyReinstated', 'AgencyRevoked'])

function toSeconds (t: number | Date): number {
  return t instanceof Date ? Math.floor(t.getTime() / 1000) : t
}

function toTreeSize (treeSize: number | bigint): number {
  const n = Number(treeSize)
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError('treeSize must be a positive safe integer')
  return n
}

export class ChainClient extends EventEmitter<ChainClientEvents> {
  readonly deployment: Deployment
  readonly provider: JsonRpcProvider
  /** The signing account, if any. */
  readonly wallet: Wallet | undefined
  /** The EIP-712 domain of anchor authorizations. */
  readonly anchorDomain: TypedDataDomain
  readonly registry: Contract
  readonly auditAnchor: Contract
  readonly witnessRegistry: Contract
  /** The relayer path's contract and the domain agencies sign for it; undefined on a deployment without one. */
  readonly anchorRelay: Contract | undefined
  readonly relayDomain: TypedDataDomain | undefined
  /** Blocks below the head that reads and events are taken from; an anchor settles this deep. */
  readonly confirmations: number

  readonly #queue: AnchorQueue | undefined
  readonly #registrar: Registrar | undefined
  readonly #waiters = new Map<number, { resolve: (o: AnchorOutcome) => void, reject: (e: PorchlightError) => void }>()
  readonly #agencies: LRUCache<string, AgencyInfo>
  readonly #anchoredListeners = new Set<(event: AnchorEvent) => void>()
  readonly #abort = new AbortController()
  readonly #retry: { minDelayMs: number, maxDelayMs: number }
  readonly #rpcErrors = new Map<string, number>()
  #witnessSet: Promise<WitnessSet> | undefined
  readonly #ignoredWitnesses = new Set<string>()
  #syncedBlock: number | undefined
  /** The hash of `#syncedBlock` when it was read (with confirmations only): a reorg below it changes it. */
  #syncedHash: string | undefined
  readonly #confirmationPollingMs: number
  #anchorsDropped = 0
  #reorgsBelowDepth = 0
  #syncing: Promise<void> | undefined
  #draining: Promise<void> | undefined
  #poller: NodeJS.Timeout | undefined

  private constructor (opts: ChainClientOptions, queue: AnchorQueue | undefined) {
    super()
    // One listener per inbox on `agency:changed`, and a simulator's nodes share one client (sharedChain).
    this.setMaxListeners(0)
    this.deployment = opts.deployment
    this.provider = connectProvider(opts.deployment.rpc, opts.deployment.chainId)
    this.wallet = opts.privateKey === undefined ? undefined : new Wallet(opts.privateKey, this.provider)
    const runner = this.wallet ?? this.provider
    this.registry = new Contract(opts.deployment.contracts.AgencyRegistry, agencyRegistryArtifact.abi, runner)
    this.auditAnchor = new Contract(opts.deployment.contracts.AuditAnchor, auditAnchorArtifact.abi, runner)
    this.witnessRegistry = new Contract(opts.deployment.contracts.WitnessRegistry, witnessRegistryArtifact.abi, runner)
    this.anchorDomain = anchorDomain(opts.deployment.chainId, opts.deployment.contracts.AuditAnchor)
    const relay = opts.deployment.contracts.AnchorRelay
    this.anchorRelay = relay === undefined ? undefined : new Contract(relay, anchorRelayArtifact.abi, runner)
    this.relayDomain = relay === undefined ? undefined : relayDomain(opts.deployment.chainId, relay)
    this.#queue = queue
    this.#registrar = opts.registrar
    this.#agencies = new LRUCache({ max: opts.registryCacheSize ?? 1024 })
    this.#syncedBlock = opts.fromBlock === undefined ? undefined : opts.fromBlock - 1
    this.#retry = { minDelayMs: opts.retry?.minDelayMs ?? 100, maxDelayMs: opts.retry?.maxDelayMs ?? 5000 }
    const confirmations = opts.confirmations ?? defaultConfirmations(opts.deployment.chainId)
    if (!Number.isSafeInteger(confirmations) || confirmations < 0) throw new ChainClientConfigError('confirmations must be a whole number of blocks, 0 or more')
    this.confirmations = confirmations
    this.#confirmationPollingMs = opts.confirmationPollingMs ?? 1000
    const every = opts.pollingIntervalMs ?? 1000
    if (every > 0) {
      this.#poller = setInterval(() => { this.sync().catch(() => {}) }, every)
      this.#poller.unref()
    }
  }

  /** Opens the anchor queue (if given) and resumes sending what it holds. Needs no RPC to succeed. */
  static async connect (opts: ChainClientOptions): Promise<ChainClient> {
    const queue = opts.anchorQueue === undefined ? undefined : await AnchorQueue.open(opts.anchorQueue)
    const client = new ChainClient(opts, queue)
    if (queue !== undefined && queue.size > 0) client.#drain()
    return client
  }

  /** Failed reads and writes so far, by error code (also emitted as 'rpc:error' as they happen). */
  get rpcErrors (): ReadonlyMap<string, number> {
    return this.#rpcErrors
  }

  /** Agency records the registry cache holds now (at most `registryCacheSize`). */
  get registryCacheEntries (): number {
    return this.#agencies.size
  }

  /** Mined anchors (and batch roots) a reorg dropped before their confirmations; each was sent again. */
  get anchorsDropped (): number {
    return this.#anchorsDropped
  }

  /** Times the block this client had followed to was no longer on the chain (a reorg below the depth). */
  get reorgsBelowDepth (): number {
    return this.#reorgsBelowDepth
  }

  /** Registered witnesses left out of the set because no node may trust them (each counted once). */
  get ignoredWitnessEntries (): number {
    return this.#ignoredWitnesses.size
  }

  /** The signing account's address. */
  get address (): string {
    return this.#requireWallet().address
  }

  // ---- registry reads (cached) ----

  /** The agency's record, from the cache or the chain (status `none` when not registered). */
  async agencyInfo (agency: string): Promise<AgencyInfo> {
    const address = getAddress(agency)
    const cached = this.#agencies.get(address)
    if (cached !== undefined) return cached
    const blockTag = await this.#read(async () => await this.confirmedBlockTag())
    const r = await this.#read(() => this.registry.getFunction('agencyInfo')(address, { blockTag })) as { name: string, cells: bigint[], validUntil: bigint, status: bigint }
    const info: AgencyInfo = {
      address,
      name: r.name,
      cells: r.cells.map(uint64ToCell),
      validUntil: Number(r.validUntil),
      status: agencyStatuses[Number(r.status)] ?? 'none'
    }
    this.#agencies.set(address, info)
    return info
  }

  /** Active and within its validity at `atSeconds` (default: now), per the cached record. */
  async isActive (agency: string, atSeconds = Math.floor(Date.now() / 1000)): Promise<boolean> {
    return isActiveRecord(await this.agencyInfo(agency), atSeconds)
  }

  async jurisdictionOf (agency: string): Promise<string[]> {
    return (await this.agencyInfo(agency)).cells
  }

  // ---- registry writes (the registrar role) ----

  async registerAgency (agency: string, record: AgencyRecordInput): Promise<TxResult> {
    return await this.#council(agency, 'register', [getAddress(agency), record.name, cellsToUint64(record.cells), toSeconds(record.validUntil)])
  }

  async updateAgency (agency: string, record: AgencyRecordInput): Promise<TxResult> {
    return await this.#council(agency, 'update', [getAddress(agency), record.name, cellsToUint64(record.cells), toSeconds(record.validUntil)])
  }

  async suspendAgency (agency: string, reason = ''): Promise<TxResult> {
    return await this.#council(agency, 'suspend', [getAddress(agency), reason])
  }

  async reinstateAgency (agency: string): Promise<TxResult> {
    return await this.#council(agency, 'reinstate', [getAddress(agency)])
  }

  async revokeAgency (agency: string, reason = ''): Promise<TxResult> {
    return await this.#council(agency, 'revoke', [getAddress(agency), reason])
  }

  // ---- the witness set ----

  /**
   * The witness set every node trusts, from the cache or the chain: WitnessRegistry's entries in registration
   * order, less those whose vkey is not a cosignature/v1 key of their own name or repeats an earlier entry's
   * key (each reported once as 'witness:ignored'), and the quorum (0 until the council sets it).
   */
  async witnessSet (): Promise<WitnessSet> {
    const cached = this.#witnessSet
    if (cached !== undefined) return await cached
    const loading = this.#loadWitnessSet()
    this.#witnessSet = loading
    // A failed read is not cached: the next call asks the chain again.
    loading.catch(() => { if (this.#witnessSet === loading) this.#witnessSet = undefined })
    return await loading
  }

  async #loadWitnessSet (): Promise<WitnessSet> {
    const { quorum, entries } = await this.#readWitnessRegistry()
    const { set, ignored } = toWitnessSet(quorum, entries)
    for (const entry of ignored) {
      const key = `${entry.witness.name}\n${entry.witness.vkey}`
      if (this.#ignoredWitnesses.has(key)) continue
      this.#ignoredWitnesses.add(key)
      this.emit('witness:ignored', entry)
    }
    return set
  }

  // Both views are read at one block: a set read around a change must never pair one state's witnesses with
  // another state's quorum.
  async #readWitnessRegistry (): Promise<{ quorum: number, entries: RegisteredWitness[] }> {
    return await this.#read(async () => {
      const blockTag = await this.confirmedBlockTag()
      const [entries, quorum] = await Promise.all([
        this.witnessRegistry.getFunction('witnesses')({ blockTag }) as Promise<Array<{ name: string, vkey: string, url: string, multiaddr: string }>>,
        this.witnessRegistry.getFunction('quorum')({ blockTag }) as Promise<bigint>
      ])
      return { quorum: Number(quorum), entries: entries.map((w) => ({ name: w.name, vkey: w.vkey, url: w.url, multiaddr: w.multiaddr })) }
    })
  }

  /** Registers a witness (the council). A record no node would trust is refused before any transaction. */
  async addWitness (witness: RegisteredWitness): Promise<TxResult> {
    checkWitnessRecord(witness)
    return await this.#witnessTx('addWitness', [witness.name, witness.vkey, witness.url, witness.multiaddr])
  }

  /** Changes how a witness is reached; a field left out keeps its value on chain ('' clears it). */
  async updateWitness (name: string, endpoints: { url?: string, multiaddr?: string }): Promise<TxResult> {
    let { url, multiaddr } = endpoints
    if (url === undefined || multiaddr === undefined) {
      // An unknown name goes to the contract as it is, to revert with WitnessRegistryNotRegistered.
      const current = (await this.#readWitnessRegistry()).entries.find((w) => w.name === name)
      url ??= current?.url ?? ''
      multiaddr ??= current?.multiaddr ?? ''
    }
    checkWitnessEndpoints(name, { url, multiaddr })
    return await this.#witnessTx('updateWitness', [name, url, multiaddr])
  }

  async removeWitness (name: string, reason = ''): Promise<TxResult> {
    return await this.#witnessTx('removeWitness', [name, reason])
  }

  /** Sets the quorum k (1 ≤ k ≤ the number of witnesses, as the contract enforces). */
  async setWitnessQuorum (quorum: number): Promise<TxResult> {
    if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > 255) throw new RangeError('quorum must be an integer 0..255')
    return await this.#witnessTx('setQuorum', [quorum])
  }

  /** Every change of the witness set since deployment, oldest first. */
  async witnessEvents (): Promise<WitnessEvent[]> {
    const logs = await this.#read(() => this.provider.getLogs({ address: this.deployment.contracts.WitnessRegistry, fromBlock: this.deployment.deployBlock ?? 0, toBlock: 'latest' }))
    return logs.map((log) => this.#parseWitnessLog(log)).filter((e) => e !== undefined)
  }

  async #witnessTx (method: string, args: unknown[]): Promise<TxResult> {
    try {
      return this.#txResult(await this.#transact(this.witnessRegistry, method, args))
    } finally {
      this.#witnessSet = undefined
    }
  }

  #parseWitnessLog (log: Log): WitnessEvent | undefined {
    if (log.address.toLowerCase() !== this.deployment.contracts.WitnessRegistry.toLowerCase()) return undefined
    let parsed
    try { parsed = witnessRegistryInterface.parseLog(log) } catch { return undefined }
    const at = { blockNumber: log.blockNumber, transactionHash: log.transactionHash }
    const a = parsed?.args
    switch (parsed?.name) {
      case 'WitnessAdded': return { kind: 'added', name: a![0] as string, vkey: a![1] as string, url: a![2] as string, multiaddr: a![3] as string, ...at }
      case 'WitnessUpdated': return { kind: 'updated', name: a![0] as string, url: a![1] as string, multiaddr: a![2] as string, ...at }
      case 'WitnessRemoved': return { kind: 'removed', name: a![0] as string, reason: a![1] as string, ...at }
      case 'WitnessQuorumSet': return { kind: 'quorum', quorum: Number(a![0]), ...at }
      default: return undefined
    }
  }

  // ---- anchoring ----

  /**
   * Anchors this account's log at (treeSize, root) through the persistent queue: resolves once the chain
   * holds it or a larger checkpoint; waits out RPC outages; rejects with the contract's error when the
   * chain refuses it (AuditAnchorFork, AuditAnchorNotActive, …).
   */
  async anchor (treeSize: number | bigint, root: Uint8Array | string): Promise<AnchorOutcome> {
    const queue = this.#queue
    if (queue === undefined) throw new ChainClientConfigError('anchor() needs the anchorQueue option')
    this.#requireWallet()
    const entry = await queue.add(toTreeSize(treeSize), toRootHex(root))
    const outcome = new Promise<AnchorOutcome>((resolve, reject) => { this.#waiters.set(entry.id, { resolve, reject }) })
    this.emit('anchor:queued', entry)
    this.#drain()
    return await outcome
  }

  /** Anchors queued and not yet confirmed. */
  pendingAnchors (): QueuedAnchor[] {
    return this.#queue?.entries() ?? []
  }

  /** This account's authorization of (treeSize, root) for a relayer's `anchorBatch`. */
  async signAnchor (treeSize: number | bigint, root: Uint8Array | string): Promise<SignedAnchor> {
    return await signAnchor(this.#requireWallet(), this.anchorDomain, toTreeSize(treeSize), root)
  }

  /** This account's signed checkpoint for a relayer's batch root (the AnchorRelay's domain). */
  async signRelayedAnchor (treeSize: number | bigint, root: Uint8Array | string): Promise<SignedAnchor> {
    return await signAnchor(this.#requireWallet(), this.#requireRelay().domain, toTreeSize(treeSize), root)
  }

  /**
   * Anchors a relayer's batch root (AnchorRelay.anchorBatchRoot) and resolves once the transaction has its
   * confirmations; one that a reorg dropped meanwhile is sent again. Not queued on disk: a relayer that
   * stops loses its open batch, and the agencies in it send their checkpoints again (anchor-relayer.ts).
   */
  async anchorBatchRoot (root: string, count: number): Promise<TxResult & { logIndex: number }> {
    const { contract } = this.#requireRelay()
    for (;;) {
      const receipt = await this.#transact(contract, 'anchorBatchRoot', [toRootHex(root), count])
      const confirmed = this.confirmations === 0 ? receipt : await this.#awaitDepth(receipt.hash)
      if (confirmed === 'closed') throw new ChainClientClosedError()
      if (confirmed === 'dropped') { this.#anchorsDropped++; continue }
      const log = confirmed.logs.find((l) => l.address.toLowerCase() === this.deployment.contracts.AnchorRelay!.toLowerCase())
      return { ...this.#txResult(confirmed), logIndex: log?.index ?? 0 }
    }
  }

  #requireRelay (): { contract: Contract, domain: TypedDataDomain } {
    if (this.anchorRelay === undefined || this.relayDomain === undefined) throw new ChainClientConfigError('the deployment names no AnchorRelay')
    return { contract: this.anchorRelay, domain: this.relayDomain }
  }

  /** Submits many agencies' signed anchors in one transaction; entries the contract skips are reported. */
  async anchorBatch (anchors: readonly SignedAnchor[]): Promise<BatchResult> {
    const receipt = await this.#transact(this.auditAnchor, 'anchorBatch', [anchors.map((a) => ({ ...a, agency: getAddress(a.agency) }))])
    const anchored: AnchorEvent[] = []
    const skipped: SkippedAnchor[] = []
    for (const log of receipt.logs) {
      const event = this.#parseAnchorLog(log)
      if (event !== undefined) { anchored.push(event); continue }
      const parsed = this.#parse(log)
      if (parsed?.name === 'AnchorSkipped') {
        skipped.push({ agency: parsed.args[0] as string, treeSize: Number(parsed.args[1]), root: parsed.args[2] as string, reason: skipReasons[Number(parsed.args[3])]! })
      }
    }
    return { ...this.#txResult(receipt), anchored, skipped }
  }

  /**
   * The block reads are taken at: the head less `confirmations` (a number), or 'latest' with none. Every
   * registry read goes through it, so a record a reorg may still undo is never acted on.
   */
  async confirmedBlockTag (): Promise<number | 'latest'> {
    if (this.confirmations === 0) return 'latest'
    return Math.max(0, await this.provider.getBlockNumber() - this.confirmations)
  }

  /** The latest anchor of `agency`'s log (at `blockTag`, default the head), or undefined before its first. */
  async latestAnchor (agency: string, blockTag: number | 'latest' = 'latest'): Promise<LatestAnchor | undefined> {
    const [treeSize, root, anchoredAt] = await this.#read(() => this.auditAnchor.getFunction('latestAnchor')(getAddress(agency), { blockTag })) as [bigint, string, bigint]
    if (treeSize === 0n) return undefined
    return { treeSize: Number(treeSize), root, anchoredAt: Number(anchoredAt) }
  }

  /** Every Anchored event (of one agency, or all), oldest first. */
  async getAnchors (agency?: string): Promise<AnchorEvent[]> {
    const filter = this.auditAnchor.filters.Anchored!(agency === undefined ? undefined : getAddress(agency))
    const logs = await this.#read(() => this.auditAnchor.queryFilter(filter, this.deployment.deployBlock ?? 0))
    return logs.map((log) => this.#parseAnchorLog(log)!)
  }

  /** Calls `listener` for every Anchored event found by the event follower; returns the unsubscribe. */
  onAnchored (listener: (event: AnchorEvent) => void): () => void {
    this.#anchoredListeners.add(listener)
    return () => { this.#anchoredListeners.delete(listener) }
  }

  /**
   * Reads the contracts' events up to the latest block now: drops changed agencies from the cache and
   * calls the Anchored listeners. The poller calls this every `pollingIntervalMs`.
   */
  async sync (): Promise<void> {
    this.#syncing ??= this.#syncOnce().finally(() => { this.#syncing = undefined })
    await this.#syncing
  }

  /** Stops polling and retrying and closes the queue; queued anchors stay stored for the next run. */
  async close (): Promise<void> {
    if (this.#poller !== undefined) clearInterval(this.#poller)
    this.#abort.abort()
    await this.#draining?.catch(() => {})
    await this.#syncing?.catch(() => {})
    for (const [, waiter] of this.#waiters) waiter.reject(new ChainClientClosedError())
    this.#waiters.clear()
    await this.#queue?.close()
    this.provider.destroy()
  }

  // ---- internals ----

  #requireWallet (): Wallet {
    if (this.wallet === undefined) throw new ChainClientConfigError('this operation signs: give the privateKey option')
    return this.wallet
  }

  async #read<T> (fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      throw this.#failed(err)
    }
  }

  /** The typed error of a failed RPC call, counted. */
  #failed (err: unknown): PorchlightError {
    const error = toChainError(err, this.deployment.rpc)
    this.#rpcErrors.set(error.code, (this.#rpcErrors.get(error.code) ?? 0) + 1)
    this.emit('rpc:error', error)
    return error
  }

  async #transact (contract: Contract, method: string, args: unknown[]): Promise<TransactionReceipt> {
    const registrar = contract === this.auditAnchor ? undefined : this.#registrar
    if (registrar === undefined) this.#requireWallet()
    try {
      if (registrar !== undefined) return await registrar.send({ to: await contract.getAddress(), data: contract.interface.encodeFunctionData(method, args) }, this.provider)
      const tx = await contract.getFunction(method).send(...args)
      const receipt = await tx.wait()
      if (receipt === null) throw new ChainUnavailableError(this.deployment.rpc)
      return receipt
    } catch (err) {
      throw this.#failed(err)
    }
  }

  #txResult (receipt: TransactionReceipt): TxResult {
    return { transactionHash: receipt.hash, blockNumber: receipt.blockNumber, gasUsed: Number(receipt.gasUsed) }
  }

  async #council (agency: string, method: string, args: unknown[]): Promise<TxResult> {
    try {
      return this.#txResult(await this.#transact(this.registry, method, args))
    } finally {
      this.#agencies.delete(getAddress(agency))
    }
  }

  #parse (log: Log): ReturnType<typeof auditAnchorInterface.parseLog> {
    const iface = log.address.toLowerCase() === this.deployment.contracts.AuditAnchor.toLowerCase() ? auditAnchorInterface : agencyRegistryInterface
    try { return iface.parseLog(log) } catch { return null }
  }

  #parseAnchorLog (log: Log): AnchorEvent | undefined {
    if (log.address.toLowerCase() !== this.deployment.contracts.AuditAnchor.toLowerCase()) return undefined
    const parsed = this.#parse(log)
    if (parsed?.name !== 'Anchored') return undefined
    return {
      agency: parsed.args[0] as string,
      treeSize: Number(parsed.args[1]),
      root: parsed.args[2] as string,
      blockNumber: log.blockNumber,
      transactionHash: log.transactionHash,
      logIndex: log.index
    }
  }

  async #syncOnce (): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#readEvents()
        return
      } catch (err) {
        const error = this.#failed(err)
        // Reads are safe to repeat, and the usual transport failure is a keep-alive socket the RPC server
        // closed just as it was reused (ECONNRESET): one immediate retry on a fresh socket.
        if (attempt === 1 && error instanceof ChainUnavailableError && !this.#abort.signal.aborted) continue
        this.emit('sync:error', error)
        throw error
      }
    }
  }

  /** Reads the events since the last sync. Both reads come before any effect, so a failed one changes nothing. */
  async #readEvents (): Promise<void> {
    const latest = Math.max(0, await this.provider.getBlockNumber() - this.confirmations)
    if (this.#syncedBlock === undefined) {
      // Following starts here: what was cached before may predate a change the follower will never see.
      this.#agencies.clear()
      this.#witnessSet = undefined
      this.#syncedBlock = latest
      this.#syncedHash = await this.#blockHash(latest)
      return
    }
    if (this.#syncedHash !== undefined && await this.#blockHash(this.#syncedBlock) !== this.#syncedHash) {
      // A reorg deeper than `confirmations`: records cached since may come from the dropped blocks.
      this.#agencies.clear()
      this.#witnessSet = undefined
      this.#reorgsBelowDepth++
      this.emit('chain:reorged', { blockNumber: this.#syncedBlock })
    }
    if (latest <= this.#syncedBlock) { this.#syncedHash = await this.#blockHash(this.#syncedBlock); return }
    const logs = await this.provider.getLogs({
      address: [this.deployment.contracts.AgencyRegistry, this.deployment.contracts.AuditAnchor, this.deployment.contracts.WitnessRegistry],
      fromBlock: this.#syncedBlock + 1,
      toBlock: latest
    })
    const witnessChanges: WitnessEvent[] = []
    const changedAgencies = new Set<string>()
    for (const log of logs) {
      const witnessChange = this.#parseWitnessLog(log)
      if (witnessChange !== undefined) { witnessChanges.push(witnessChange); continue }
      const anchored = this.#parseAnchorLog(log)
      if (anchored !== undefined) {
        for (const listener of this.#anchoredListeners) listener(anchored)
        continue
      }
      const parsed = this.#parse(log)
      if (parsed !== null && registryEvents.has(parsed.name)) {
        const agency = getAddress(parsed.args[0] as string)
        this.#agencies.delete(agency)
        changedAgencies.add(agency)
      }
    }
    this.#syncedBlock = latest
    this.#syncedHash = await this.#blockHash(latest)
    for (const agency of changedAgencies) this.emit('agency:changed', agency)
    if (witnessChanges.length > 0) {
      this.#witnessSet = undefined
      this.emit('witnesses:changed', witnessChanges)
    }
  }

  // Only with confirmations: on the embedded chain nothing can reorganise, and the follower costs no extra call.
  async #blockHash (blockNumber: number): Promise<string | undefined> {
    if (this.confirmations === 0) return undefined
    return (await this.provider.getBlock(blockNumber))?.hash ?? undefined
  }

  // One sender at a time: it always sends the largest queued checkpoint, which settles every smaller one.
  #drain (): void {
    this.#draining ??= this.#drainLoop().finally(() => {
      this.#draining = undefined
      if (!this.#abort.signal.aborted && (this.#queue?.size ?? 0) > 0) this.#drain()
    })
  }

  async #drainLoop (): Promise<void> {
    const queue = this.#queue!
    let attempt = 0
    for (let next = queue.next(); next !== undefined && !this.#abort.signal.aborted; next = queue.next()) {
      try {
        if (next.sent === undefined) {
          const receipt = await this.#transact(this.auditAnchor, 'anchor', [next.treeSize, next.root])
          if (this.confirmations === 0) {
            await this.#settle(next.treeSize, next.root, { ...this.#txResult(receipt), sent: next })
            attempt = 0
            continue
          }
          next = await queue.markSent(next, { transactionHash: receipt.hash, blockNumber: receipt.blockNumber })
          this.emit('anchor:sent', next)
        }
        const confirmed = await this.#awaitDepth(next.sent!.transactionHash)
        if (confirmed === 'closed') return
        if (confirmed === 'dropped') {
          const { transactionHash, blockNumber } = next.sent!
          await queue.markSent(next, undefined)
          this.#anchorsDropped++
          this.emit('anchor:dropped', { anchor: next, transactionHash, blockNumber })
          continue
        }
        await this.#settle(next.treeSize, next.root, { ...this.#txResult(confirmed), sent: next })
        attempt = 0
      } catch (err) {
        const error = toChainError(err, this.deployment.rpc)
        if (error instanceof ChainUnavailableError) {
          const delayMs = Math.min(this.#retry.maxDelayMs, this.#retry.minDelayMs * 2 ** attempt)
          this.emit('anchor:retrying', { error, attempt: ++attempt, delayMs })
          try { await delay(delayMs, undefined, { signal: this.#abort.signal }) } catch { return }
          continue
        }
        if (error instanceof AuditAnchorNonMonotonic && await this.#settleFromChain(next)) continue
        await queue.remove([next])
        this.#waiters.get(next.id)?.reject(error)
        this.#waiters.delete(next.id)
        this.emit('anchor:failed', { anchor: next, error })
      }
    }
  }

  /**
   * Waits until the mined transaction `hash` has `confirmations` blocks on top, reading its receipt anew
   * each time (a reorg may have moved it to another block). 'dropped' when the chain no longer has it, mined
   * or pending: a reorg took it out and no node holds it any more, so it must be sent again.
   */
  async #awaitDepth (hash: string): Promise<TransactionReceipt | 'dropped' | 'closed'> {
    for (;;) {
      try {
        const [head, receipt] = await Promise.all([this.provider.getBlockNumber(), this.provider.getTransactionReceipt(hash)])
        if (receipt !== null && head >= receipt.blockNumber + this.confirmations) return receipt
        if (receipt === null && await this.provider.getTransaction(hash) === null) return 'dropped'
      } catch (err) {
        // Unreachable for a while: the transaction is where it was; ask again at the next poll.
        this.#failed(err)
      }
      try { await delay(this.#confirmationPollingMs, undefined, { signal: this.#abort.signal }) } catch { return 'closed' }
    }
  }

  // The chain already holds this size or more (an earlier attempt whose receipt was lost, or another
  // sender of the same key): settle what it covers. A transport failure here is retried by the loop.
  // With confirmations, only what is that deep settles; what the head holds above it is waited for.
  async #settleFromChain (entry: QueuedAnchor): Promise<boolean> {
    const agency = this.#requireWallet().address
    const latest = await this.latestAnchor(agency, await this.confirmedBlockTag())
    if (this.confirmations > 0 && (latest === undefined || latest.treeSize < entry.treeSize)) {
      const head = await this.latestAnchor(agency)
      if (head === undefined || head.treeSize < entry.treeSize) return false
      // A close ends the wait; the loop then sees the abort and stops.
      await delay(this.#confirmationPollingMs, undefined, { signal: this.#abort.signal }).catch(() => undefined)
      return true
    }
    if (latest === undefined || latest.treeSize < entry.treeSize) return false
    if (latest.treeSize === entry.treeSize && latest.root !== entry.root) return false
    await this.#settle(latest.treeSize, latest.root, undefined)
    return true
  }

  async #settle (treeSize: number, root: string, sent: (TxResult & { sent: QueuedAnchor }) | undefined): Promise<void> {
    const queue = this.#queue!
    const covered = queue.coveredBy(treeSize, root)
    await queue.remove(covered)
    for (const entry of covered) {
      const outcome: AnchorOutcome = sent !== undefined && entry.id === sent.sent.id
        ? { status: 'anchored', treeSize, root, transactionHash: sent.transactionHash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed }
        : { status: sent === undefined && entry.treeSize === treeSize ? 'already-anchored' : 'superseded', treeSize: entry.treeSize, root: entry.root, anchoredTreeSize: treeSize }
      this.#waiters.get(entry.id)?.resolve(outcome)
      this.#waiters.delete(entry.id)
      this.emit('anchor:anchored', outcome)
    }
  }
}

/** The client was used in a way its options do not allow (no key, no queue). */
export class ChainClientConfigError extends PorchlightError {
  static override readonly code = 'CHAIN_CLIENT_CONFIG'
  static override readonly status = 500
  constructor (shortMessage: string) {
    super(ChainClientConfigError.code, shortMessage)
    this.name = 'ChainClientConfigError'
  }
}

/** The client was closed while an anchor was waiting; the anchor stays queued for the next run. */
export class ChainClientClosedError extends PorchlightError {
  static override readonly code = 'CHAIN_CLIENT_CLOSED'
  static override readonly status = 503
  constructor () {
    super(ChainClientClosedError.code, 'the chain client was closed; the anchor stays queued')
    this.name = 'ChainClientClosedError'
  }
}

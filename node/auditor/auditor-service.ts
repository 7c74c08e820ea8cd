// The auditor role's node service: audits at start, on every Anchored event the node's chain client sees,
// on an interval, and when a checkpoint it had not seen reaches it; one pass at a time (events during a pass
// ask for one more), keeping its state in the node's store. It listens on the request topics of the
// jurisdictions it audits (refreshed after every pass, so a registry change is followed at the next one) and
// keeps every checkpoint that comes by; it publishes nothing. Its routes are routes.ts.
import { EventEmitter } from 'node:events'
import { PorchlightError } from '../../protocol/errors.js'
import type {
  AuditedEntryFilter, AuditedEntryList, AuditProgress, ReceiptAccepted, ReceiptSubmission, RegisteredWitness, RequestHistory
} from '../../protocol/index.js'
import type { AuditConfig } from '../config/index.js'
import type { ChainService } from '../chain/chain-service.js'
import type { RequestNetwork, ValidatedEvent } from '../network/index.js'
import type { PorchlightLibp2p } from '../p2p/index.js'
import type { Logger } from '../logging/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import { levelAuditStateStore, type AuditStateStore } from './audit-state.js'
import { Auditor, type AuditorEvents } from './auditor.js'
import type { AuditReport } from './report.js'
import { levelEntryIndex, type EntryIndex } from './entry-index.js'
import { RequestNotInLogError } from './errors.js'
import type { WitnessCheckpoints } from './witness-ports.js'
import { witnessClient } from '../witness/client.js'

export interface AuditorServiceEvents {
  'audit:completed': [AuditReport]
  'audit:failed': [Error]
  /** The auditor's own (auditor.ts), passed on: it exists only once started. */
  'checkpoint:sighted': AuditorEvents['checkpoint:sighted']
  'checkpoint:refused': AuditorEvents['checkpoint:refused']
}

/** The auditor has no chain to read (config.json names none). */
export class AuditorNoChainError extends PorchlightError {
  static override readonly code = 'AUDITOR_NO_CHAIN'
  static override readonly status = 503
  constructor () {
    super(AuditorNoChainError.code, 'this auditor has no chain configured (porchlight init --chain FILE)')
    this.name = 'AuditorNoChainError'
  }
}

export type AuditorComponents = Pick<NodeComponents, 'config' | 'store' | 'libp2p' | 'logger'> & {
  chain: ChainService
  /** The request network it listens on (read-only); without one it sees only what it fetches and is handed. */
  network?: RequestNetwork
}

export interface AuditorServiceInit {
  /** A client for a registered witness. @default node/witness's `witnessClient` */
  witnessClient?: (witness: RegisteredWitness, libp2p: PorchlightLibp2p) => WitnessCheckpoints
}

export class AuditorService extends EventEmitter<AuditorServiceEvents> implements NodeService {
  readonly #components: AuditorComponents
  readonly #settings: AuditConfig
  readonly #store: AuditStateStore
  readonly #entries: EntryIndex
  readonly #init: AuditorServiceInit
  readonly #log: Logger
  #auditor: Auditor | undefined
  #timer: NodeJS.Timeout | undefined
  #unsubscribe: (() => void) | undefined
  #running: Promise<void> | undefined
  #again = false
  #stopped = false

  readonly #onValidated = (event: ValidatedEvent): void => {
    // Whatever the validator decided: a checkpoint it refused (a private fork) is evidence all the same.
    if (this.#auditor?.observeAnnouncement(event.bytes, event.topic === undefined ? 'catch-up' : 'gossip', event.from ?? 'local') === true) this.#schedule()
  }

  constructor (components: AuditorComponents, init: AuditorServiceInit = {}) {
    super()
    this.#components = components
    this.#init = init
    this.#log = components.logger.child({ component: 'auditor' })
    this.#settings = components.config.audit ?? { logs: {}, peers: [], anchorIntervalSeconds: 600, anchorGraceSeconds: 60, intervalSeconds: 300 }
    this.#store = levelAuditStateStore(components.store.sublevel<string, string>('audit', { valueEncoding: 'utf8' }))
    this.#entries = levelEntryIndex(components.store.sublevel<string, string>('audit-entries', { valueEncoding: 'utf8' }))
  }

  /** The auditor, once started with a chain. */
  get auditor (): Auditor | undefined {
    return this.#auditor
  }

  /** The report as of the last pass. */
  async report (): Promise<AuditReport> {
    if (this.#auditor === undefined) throw new AuditorNoChainError()
    return await this.#auditor.report()
  }

  /** Keeps the checkpoint of a receipt a resident submits, for the next pass (which it asks for). */
  submitReceipt (submission: ReceiptSubmission): ReceiptAccepted {
    if (this.#auditor === undefined) throw new AuditorNoChainError()
    const accepted = this.#auditor.submitReceipt(submission)
    if (accepted.fresh) this.#schedule()
    return accepted
  }

  /** The pass under way, or the last one. */
  progress (): AuditProgress {
    return this.#started().progress
  }

  async entries (agency: string, filter: AuditedEntryFilter): Promise<AuditedEntryList> {
    return await this.#started().entries(agency, filter)
  }

  async requestHistory (agency: string, request: string): Promise<RequestHistory> {
    const history = await this.#started().requestHistory(agency, request)
    if (history === undefined) throw new RequestNotInLogError(agency, request)
    return history
  }

  #started (): Auditor {
    if (this.#auditor === undefined) throw new AuditorNoChainError()
    return this.#auditor
  }

  /** Runs one pass now (of one agency, or all) and returns the report. */
  async audit (opts: { agency?: string } = {}): Promise<AuditReport> {
    if (this.#auditor === undefined) throw new AuditorNoChainError()
    return await this.#auditor.audit(opts)
  }

  async start (): Promise<void> {
    const chain = this.#components.chain.client
    if (chain === undefined) return // nothing to audit against; /api/report answers AUDITOR_NO_CHAIN
    const { libp2p, network } = this.#components
    const witnessClientOf = this.#init.witnessClient ?? witnessClient
    this.#auditor = new Auditor({
      chain,
      logs: this.#settings.logs,
      peers: this.#settings.peers,
      store: this.#store,
      entries: this.#entries,
      libp2p,
      policy: { anchorIntervalSeconds: this.#settings.anchorIntervalSeconds, anchorGraceSeconds: this.#settings.anchorGraceSeconds },
      witnesses: chain,
      witnessClient: (w: RegisteredWitness) => witnessClientOf(w, libp2p)
    })
    this.#auditor.on('checkpoint:sighted', (s) => this.emit('checkpoint:sighted', s))
    this.#auditor.on('checkpoint:refused', (r) => this.emit('checkpoint:refused', r))
    network?.on('announcement:validated', this.#onValidated)
    this.on('audit:completed', () => { this.#listen() })
    this.#unsubscribe = chain.onAnchored(() => { this.#schedule() })
    this.#timer = setInterval(() => { this.#schedule() }, this.#settings.intervalSeconds * 1000)
    this.#timer.unref()
    this.#schedule()
  }

  async stop (): Promise<void> {
    this.#stopped = true
    this.#components.network?.off('announcement:validated', this.#onValidated)
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#unsubscribe?.()
    await this.#running
  }

  /** Joins the request topics of the audited jurisdictions as of the latest pass. */
  #listen (): void {
    const network = this.#components.network
    const cells = this.#auditor?.gossipCells ?? []
    if (network === undefined || cells.length === 0) return
    const before = network.cells().length
    network.join(cells)
    if (network.cells().length !== before) this.#log.info({ topics: network.cells().length }, 'auditor: listening on the request topics of the audited jurisdictions')
  }

  /** Runs a pass now, or right after the running one. */
  #schedule (): void {
    if (this.#stopped || this.#auditor === undefined) return
    if (this.#running !== undefined) { this.#again = true; return }
    const auditor = this.#auditor
    this.#running = auditor.audit().then(
      (report) => { this.emit('audit:completed', report) },
      (err: unknown) => { this.emit('audit:failed', err instanceof Error ? err : new Error(String(err))) }
    ).finally(() => {
      this.#running = undefined
      if (this.#again) { this.#again = false; this.#schedule() }
    })
  }
}

/** The auditor service factory for a node's `services`. */
export function auditorService (init: AuditorServiceInit = {}): (components: AuditorComponents) => AuditorService {
  return (components) => new AuditorService(components, init)
}

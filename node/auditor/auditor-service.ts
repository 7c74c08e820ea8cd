// The auditor role's node service: audits at start, on every Anchored event the node's chain client sees
// and on an interval, one pass at a time (events during a pass ask for one more), keeping its state in the
// node's store. Its report and a pass on demand are served by routes.ts.
import { EventEmitter } from 'node:events'
import { PorchlightError } from '../../protocol/errors.js'
import type { AuditConfig } from '../config/index.js'
import type { ChainService } from '../chain/chain-service.js'
import type { NodeComponents, NodeService } from '../service.js'
import { levelAuditStateStore, type AuditStateStore } from './audit-state.js'
import { Auditor } from './auditor.js'
import type { AuditReport } from './report.js'

export interface AuditorServiceEvents {
  'audit:completed': [AuditReport]
  'audit:failed': [Error]
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

export type AuditorComponents = Pick<NodeComponents, 'config' | 'store' | 'libp2p'> & { chain: ChainService }

export class AuditorService extends EventEmitter<AuditorServiceEvents> implements NodeService {
  readonly #components: AuditorComponents
  readonly #settings: AuditConfig
  readonly #store: AuditStateStore
  #auditor: Auditor | undefined
  #timer: NodeJS.Timeout | undefined
  #unsubscribe: (() => void) | undefined
  #running: Promise<void> | undefined
  #again = false
  #stopped = false

  constructor (components: AuditorComponents) {
    super()
    this.#components = components
    this.#settings = components.config.audit ?? { logs: {}, peers: [], anchorIntervalSeconds: 600, anchorGraceSeconds: 60, intervalSeconds: 300 }
    this.#store = levelAuditStateStore(components.store.sublevel<string, string>('audit', { valueEncoding: 'utf8' }))
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

  /** Runs one pass now (of one agency, or all) and returns the report. */
  async audit (opts: { agency?: string } = {}): Promise<AuditReport> {
    if (this.#auditor === undefined) throw new AuditorNoChainError()
    return await this.#auditor.audit(opts)
  }

  async start (): Promise<void> {
    const chain = this.#components.chain.client
    if (chain === undefined) return // nothing to audit against; /api/report answers AUDITOR_NO_CHAIN
    this.#auditor = new Auditor({
      chain,
      logs: this.#settings.logs,
      peers: this.#settings.peers,
      store: this.#store,
      libp2p: this.#components.libp2p,
      policy: { anchorIntervalSeconds: this.#settings.anchorIntervalSeconds, anchorGraceSeconds: this.#settings.anchorGraceSeconds }
    })
    this.#unsubscribe = chain.onAnchored(() => { this.#schedule() })
    this.#timer = setInterval(() => { this.#schedule() }, this.#settings.intervalSeconds * 1000)
    this.#timer.unref()
    this.#schedule()
  }

  async stop (): Promise<void> {
    this.#stopped = true
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#unsubscribe?.()
    await this.#running
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
export function auditorService (): (components: AuditorComponents) => AuditorService {
  return (components) => new AuditorService(components)
}

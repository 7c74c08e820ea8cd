// The auditor role's node service: audits at start, on every Anchored event the chain client sees and on
// an interval, one pass at a time (events during a pass ask for one more), keeping its state in the node's
// store. Serves the report at GET /api/report (public: an auditor publishes) and runs a pass on
// POST /api/audit (token).
import { TypedEventEmitter } from '@libp2p/interface'
import { PorchlightError } from '../../protocol/errors.js'
import type { AuditReport as AuditReportView } from '../../protocol/index.js'
import { ChainClient } from '../chain/index.js'
import { resolveChain, type AuditConfig } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import { levelAuditStateStore, type AuditStateStore } from './audit-state.js'
import { Auditor } from './auditor.js'
import type { AuditReport } from './report.js'

export interface AuditorServiceEvents {
  'audit:completed': CustomEvent<AuditReport>
  'audit:failed': CustomEvent<Error>
}

/** The auditor has no chain to read (config.json names none). */
export class AuditorNoChainError extends PorchlightError {
  constructor () {
    super('AUDITOR_NO_CHAIN', 'this auditor has no chain configured (porchlight init --chain FILE)')
    this.name = 'AuditorNoChainError'
  }
}

export interface AuditorServiceInit {
  /** How often the chain client polls for events, ms. @default 1000 */
  pollingIntervalMs?: number
}

export class AuditorService extends TypedEventEmitter<AuditorServiceEvents> implements NodeService {
  readonly #components: NodeComponents
  readonly #settings: AuditConfig
  readonly #pollingIntervalMs: number
  readonly #store: AuditStateStore
  #chain: ChainClient | undefined
  #auditor: Auditor | undefined
  #timer: NodeJS.Timeout | undefined
  #unsubscribe: (() => void) | undefined
  #running: Promise<void> | undefined
  #again = false
  #stopped = false

  constructor (components: NodeComponents, init: AuditorServiceInit = {}) {
    super()
    this.#components = components
    this.#settings = components.config.audit ?? { logs: {}, peers: [], anchorIntervalSeconds: 600, anchorGraceSeconds: 60, intervalSeconds: 300 }
    this.#pollingIntervalMs = init.pollingIntervalMs ?? 1000
    const store = levelAuditStateStore(components.store.sublevel<string, string>('audit', { valueEncoding: 'utf8' }))
    components.api.mapErrors({ AUDITOR_NO_CHAIN: 503 })
    components.api.addRoutes(async (app) => {
      app.get('/api/report', {
        config: { public: true },
        schema: { summary: "The auditor's report: per agency, verified size, request rates and every finding" }
      }, async (): Promise<AuditReportView> => {
        if (this.#auditor === undefined) throw new AuditorNoChainError()
        return await this.#auditor.report()
      })
      app.post('/api/audit', {
        schema: {
          summary: 'Runs one audit pass now (of one agency, or all) and returns the report',
          body: { type: 'object', additionalProperties: false, required: [], properties: { agency: { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } } }
        }
      }, async (request): Promise<AuditReportView> => {
        if (this.#auditor === undefined) throw new AuditorNoChainError()
        const { agency } = (request.body ?? {}) as { agency?: string }
        return await this.#auditor.audit(agency === undefined ? {} : { agency })
      })
    })
    this.#store = store
  }

  /** The chain client, once started with a chain (for /metrics and /readyz). */
  get chainClient (): ChainClient | undefined {
    return this.#chain
  }

  /** The auditor, once started with a chain. */
  get auditor (): Auditor | undefined {
    return this.#auditor
  }

  async start (): Promise<void> {
    const endpoint = await resolveChain(this.#components.config, this.#components.dir ?? process.cwd())
    if (endpoint === undefined) return // nothing to audit against; /api/report answers AUDITOR_NO_CHAIN
    this.#chain = await ChainClient.connect({ deployment: endpoint, pollingIntervalMs: this.#pollingIntervalMs })
    this.#auditor = new Auditor({
      chain: this.#chain,
      logs: this.#settings.logs,
      peers: this.#settings.peers,
      store: this.#store,
      libp2p: this.#components.libp2p,
      policy: { anchorIntervalSeconds: this.#settings.anchorIntervalSeconds, anchorGraceSeconds: this.#settings.anchorGraceSeconds }
    })
    this.#unsubscribe = this.#chain.onAnchored(() => { this.#schedule() })
    this.#timer = setInterval(() => { this.#schedule() }, this.#settings.intervalSeconds * 1000)
    this.#timer.unref()
    this.#schedule()
  }

  async stop (): Promise<void> {
    this.#stopped = true
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#unsubscribe?.()
    await this.#running
    await this.#chain?.close()
  }

  /** Runs a pass now, or right after the running one. */
  #schedule (): void {
    if (this.#stopped || this.#auditor === undefined) return
    if (this.#running !== undefined) { this.#again = true; return }
    const auditor = this.#auditor
    this.#running = auditor.audit().then(
      (report) => { this.safeDispatchEvent('audit:completed', { detail: report }) },
      (err: unknown) => { this.safeDispatchEvent('audit:failed', { detail: err instanceof Error ? err : new Error(String(err)) }) }
    ).finally(() => {
      this.#running = undefined
      if (this.#again) { this.#again = false; this.#schedule() }
    })
  }
}

/** The auditor service factory for a node's `services`. */
export function auditorService (init: AuditorServiceInit = {}): (components: NodeComponents) => AuditorService {
  return (components) => new AuditorService(components, init)
}

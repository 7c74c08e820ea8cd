// The auditor: audits every agency the chain knows (registered or anchoring) and every configured log, one
// pass at a time, keeping each agency's state so the next pass reads only what is new. It trusts the chain
// for registrations and anchors, and nothing an agency says about itself.
import { getAddress } from 'ethers'
import type { ChainClient } from '../chain/index.js'
import type { PorchlightLibp2p } from '../p2p/index.js'
import { auditAgency, type AuditPolicy } from './audit-agency.js'
import { emptyAgencyState, memoryAuditStateStore, mergeFindings, type AuditStateStore } from './audit-state.js'
import { ChainFollower, type ChainView } from './chain-view.js'
import type { Finding } from './findings.js'
import { logSourceFor, type LogSource } from './log-source.js'
import { agencyReport, type AuditReport } from './report.js'

export interface AuditorInit {
  chain: ChainClient
  /** Each agency's log endpoint: an http(s) base URL, or a multiaddr (with /p2p/<id>) when `libp2p` is given. */
  logs?: Record<string, string>
  /** Where agency states are kept. @default in memory */
  store?: AuditStateStore
  policy?: AuditPolicy
  /** For multiaddr endpoints (/porchlight/audit/1.0.0). */
  libp2p?: PorchlightLibp2p
  /** Other auditors' report URLs; their agency-signed checkpoints join the split-view check. */
  peers?: string[]
  /** Builds the source of an endpoint (tests); default: HTTP or libp2p by the endpoint's form. */
  sourceFor?: (endpoint: string) => LogSource
}

export interface AuditPassOptions {
  /** Audit only this agency. */
  agency?: string
}

export class Auditor {
  readonly #chain: ChainClient
  readonly #logs: Map<string, string>
  readonly #store: AuditStateStore
  readonly #policy: AuditPolicy
  readonly #libp2p: PorchlightLibp2p | undefined
  readonly #peers: string[]
  readonly #sourceFor: (endpoint: string) => LogSource
  readonly #peerNotes: Array<{ agency: string, note: string, from: string }> = []
  readonly #follower: ChainFollower
  #view: ChainView | undefined
  #lastPass = 0
  #tail: Promise<unknown> = Promise.resolve()

  constructor (init: AuditorInit) {
    this.#chain = init.chain
    this.#follower = new ChainFollower(init.chain)
    this.#logs = new Map(Object.entries(init.logs ?? {}).map(([a, e]) => [getAddress(a), e]))
    this.#store = init.store ?? memoryAuditStateStore()
    this.#policy = init.policy ?? {}
    this.#libp2p = init.libp2p
    this.#peers = init.peers ?? []
    this.#sourceFor = init.sourceFor ?? ((endpoint) => logSourceFor(endpoint, this.#libp2p))
  }

  /** Adds checkpoints another auditor saw (e.g. from its report's `checkpoints`); checked at the next pass. */
  addPeerCheckpoints (checkpoints: ReadonlyArray<{ agency: string, note: string, from: string }>): void {
    for (const c of checkpoints) {
      if (this.#peerNotes.some((p) => p.note === c.note)) continue
      this.#peerNotes.push({ agency: getAddress(c.agency), note: c.note, from: c.from })
    }
  }

  /** One audit pass; resolves with the report. Passes run one after another, never overlapping. */
  async audit (options: AuditPassOptions = {}): Promise<AuditReport> {
    const run = this.#tail.catch(() => {}).then(async () => await this.#pass(options))
    this.#tail = run
    return await run
  }

  async #pass (options: AuditPassOptions): Promise<AuditReport> {
    await this.#fetchPeers()
    const view = await this.#follower.load()
    this.#view = view
    this.#lastPass = view.now
    const agencies = new Set<string>([...view.agencies.keys(), ...view.anchors.keys(), ...this.#logs.keys()])
    const only = options.agency === undefined ? undefined : getAddress(options.agency)
    for (const agency of agencies) {
      if (only !== undefined && agency !== only) continue
      const endpoint = this.#logs.get(agency)
      const before = await this.#store.get(agency)
      if (endpoint === undefined && !view.anchors.has(agency) && before === undefined) continue // nothing logged, nothing to check
      let source: LogSource | undefined
      if (endpoint !== undefined) source = this.#sourceFor(endpoint)
      const result = await auditAgency({
        agency, source, chain: view, state: before, policy: this.#policy,
        peerNotes: this.#peerNotes.filter((p) => p.agency === agency)
      })
      // Warnings say what this pass could not check: only the latest pass's stand. Violations stay.
      result.state.findings = result.state.findings.filter((f) => f.severity !== 'warning')
      mergeFindings(result.state.findings, result.findings)
      await this.#store.put(agency, result.state)
    }
    return await this.report()
  }

  /** The report from the stored states (as of the latest pass). */
  async report (): Promise<AuditReport> {
    const view = this.#view
    const agencies = (await this.#store.agencies()).sort()
    const reports = []
    const findings: Finding[] = []
    const checkpoints: AuditReport['checkpoints'] = []
    for (const agency of agencies) {
      const state = (await this.#store.get(agency)) ?? emptyAgencyState()
      reports.push(agencyReport(agency, state, view, view?.history(agency), this.#logs.get(agency), this.#lastPass))
      findings.push(...state.findings)
      for (const o of state.observations) if (o.source === 'checkpoint' && o.note !== undefined) checkpoints.push({ agency, note: o.note, from: o.from })
    }
    findings.sort((a, b) => a.agency.localeCompare(b.agency) || (a.entryIndex ?? -1) - (b.entryIndex ?? -1) || a.rule.localeCompare(b.rule))
    return {
      chainId: this.#chain.deployment.chainId,
      auditedAt: this.#lastPass,
      agencies: reports,
      findings,
      violations: findings.filter((f) => f.severity === 'violation').length,
      checkpoints
    }
  }

  async #fetchPeers (): Promise<void> {
    for (const url of this.#peers) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
        if (!response.ok) continue
        const report = await response.json() as Partial<AuditReport>
        const list = Array.isArray(report.checkpoints) ? report.checkpoints : []
        this.addPeerCheckpoints(list.filter((c) => typeof c?.agency === 'string' && typeof c.note === 'string' && /^0x[0-9a-fA-F]{40}$/.test(c.agency)).map((c) => ({ agency: c.agency, note: c.note, from: url })))
      } catch { /* an unreachable peer adds nothing this pass */ }
    }
  }
}

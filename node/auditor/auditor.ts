// The auditor: audits every agency the chain knows (registered or anchoring) and every configured log, one
// pass at a time, keeping each agency's state so the next pass reads only what is new. It trusts the chain
// for registrations and anchors, and nothing an agency says about itself. Between passes it collects the
// agency-signed checkpoints that reach it as they reach residents (gossip, catch-up, receipts, witnesses);
// each pass compares them with the public log (sightings.ts).
import { EventEmitter } from 'node:events'
import { getAddress } from 'ethers'
import {
  checkpointOrigin, decodeAnnouncement, encodeSignedReceipt, isPorchlightError, openCheckpoint, parseCheckpoint, parseCheckpointOrigin, parseSignedNote,
  parseVerifierKey, toHex, verifyCosignature, verifySigned, WrongOriginError, type PorchlightError, type ReceiptAccepted,
  type ReceiptSubmission, type RegisteredWitness, type SignedReceipt, type WitnessReport, type AuditProgress, type AuditedEntryFilter,
  type AuditedEntry, type AuditedEntryList, type RequestHistory
} from '../../protocol/index.js'
import type { ChainClient } from '../chain/index.js'
import type { PorchlightLibp2p } from '../p2p/index.js'
import { auditAgency, type AuditPolicy } from './audit-agency.js'
import { emptyAgencyState, memoryAuditStateStore, mergeFindings, type AuditStateStore } from './audit-state.js'
import { ChainFollower, type ChainView, type RelayedAnchorSource } from './chain-view.js'
import { AgencyNotAuditedError, ReceiptNotVerifiedError } from './errors.js'
import { listEntries, requestHistory } from './drill-down.js'
import { NO_ENTRIES, type EntryIndex } from './entry-index.js'
import { finding, findingKey, type Finding } from './findings.js'
import { gossipCells, MAX_AUDIT_TOPICS, type GossipCells } from './gossip-cells.js'
import { logSourceFor, type LogSource } from './log-source.js'
import { agencyReport, type AuditReport } from './report.js'
import { SightingBook, type Sighting, type SightingBookInit, type SightingSource } from './sightings.js'
import type { WitnessCheckpoints, WitnessRegistryView } from './witness-ports.js'

export interface AuditorInit {
  chain: ChainClient
  /** Each agency's log endpoint: an http(s) base URL, or a multiaddr (with /p2p/<id>) when `libp2p` is given. */
  logs?: Record<string, string>
  /** Where agency states are kept. @default in memory */
  store?: AuditStateStore
  /** Where verified entries are kept for the drill-down. @default none: the drill-down lists nothing (a one-off `porchlight audit` needs no index) */
  entries?: EntryIndex
  policy?: AuditPolicy
  /** For multiaddr endpoints (/porchlight/audit/1.0.0). */
  libp2p?: PorchlightLibp2p
  /** Other auditors' report URLs; their agency-signed checkpoints join the split-view check. */
  peers?: string[]
  /** Builds the source of an endpoint (tests); default: HTTP or libp2p by the endpoint's form. */
  sourceFor?: (endpoint: string) => LogSource
  /** The council's witness set and its changes (the chain client, once it reads WitnessRegistry). */
  witnesses?: WitnessRegistryView
  /** A client for a registered witness, to poll its latest cosigned checkpoints; without it, none is polled. */
  witnessClient?: (witness: RegisteredWitness) => WitnessCheckpoints
  /** How long one witness may take to answer one poll, ms. @default 5000 */
  witnessTimeoutMs?: number
  /** Bounds of the checkpoints kept between passes. */
  sightings?: SightingBookInit
  /** Most request topics to join. @default MAX_AUDIT_TOPICS */
  maxTopics?: number
  /** The wall clock, unix seconds; a pass runs at the later of it and the chain head's time. @default the system clock */
  clock?: () => number
  /** Agencies' relayed checkpoints with their proofs (issue 21's relayer path); without it, only direct anchors count. */
  relayed?: RelayedAnchorSource
}

export interface AuditorEvents {
  /** A checkpoint not held before was kept for the next pass. */
  'checkpoint:sighted': [Sighting]
  /** Something handed to the auditor as a checkpoint was not one it can use (the code says why). */
  'checkpoint:refused': [{ source: SightingSource, code: string }]
  /** A pass moved on (an agency started, a bundle of entries checked, the pass ended). */
  'audit:progress': [AuditProgress]
}

export interface AuditPassOptions {
  /** Audit only this agency. */
  agency?: string
}

export class Auditor extends EventEmitter<AuditorEvents> {
  readonly #chain: ChainClient
  readonly #logs: Map<string, string>
  readonly #store: AuditStateStore
  readonly #entries: EntryIndex | undefined
  #progress: AuditProgress = { running: false, agencies: 0, agenciesDone: 0, entriesDone: 0, entriesTotal: 0, entriesVerified: 0 }
  readonly #policy: AuditPolicy
  readonly #libp2p: PorchlightLibp2p | undefined
  readonly #peers: string[]
  readonly #sourceFor: (endpoint: string) => LogSource
  readonly #peerNotes: Array<{ agency: string, note: string, from: string }> = []
  readonly #follower: ChainFollower
  readonly #sightings: SightingBook
  readonly #witnesses: WitnessRegistryView | undefined
  readonly #witnessClient: ((witness: RegisteredWitness) => WitnessCheckpoints) | undefined
  readonly #witnessTimeoutMs: number
  readonly #maxTopics: number
  readonly #clock: () => number
  #witnessReport: WitnessReport | undefined
  #gossip: GossipCells = { cells: [], capped: [] }
  #view: ChainView | undefined
  #lastPass = 0
  #tail: Promise<unknown> = Promise.resolve()

  constructor (init: AuditorInit) {
    super()
    this.#sightings = new SightingBook(init.sightings)
    this.#witnesses = init.witnesses
    this.#witnessClient = init.witnessClient
    this.#witnessTimeoutMs = init.witnessTimeoutMs ?? 5000
    this.#maxTopics = init.maxTopics ?? MAX_AUDIT_TOPICS
    this.#clock = init.clock ?? (() => Math.floor(Date.now() / 1000))
    this.#chain = init.chain
    this.#follower = new ChainFollower(init.chain, init.relayed)
    this.#logs = new Map(Object.entries(init.logs ?? {}).map(([a, e]) => [getAddress(a), e]))
    this.#store = init.store ?? memoryAuditStateStore()
    this.#entries = init.entries
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
    const run = this.#tail.catch(() => {}).then(async () => await this.#tracked(options))
    this.#tail = run
    return await run
  }

  /** The pass under way, or the last one. */
  get progress (): AuditProgress {
    return { ...this.#progress }
  }

  #setProgress (change: Partial<AuditProgress>): void {
    this.#progress = { ...this.#progress, ...change }
    this.emit('audit:progress', this.progress)
  }

  async #tracked (options: AuditPassOptions): Promise<AuditReport> {
    const known = new Set((await this.report()).findings.map(findingKey))
    this.#progress = { running: true, startedAt: this.#clock(), agencies: 0, agenciesDone: 0, entriesDone: 0, entriesTotal: 0, entriesVerified: 0 }
    this.emit('audit:progress', this.progress)
    try {
      const report = await this.#pass(options)
      const { agency: _, ...rest } = this.#progress
      this.#progress = { ...rest, running: false, finishedAt: this.#clock(), newFindings: report.findings.filter((f) => !known.has(findingKey(f))).length }
      this.emit('audit:progress', this.progress)
      return report
    } catch (err) {
      this.#setProgress({ running: false, finishedAt: this.#clock(), error: isPorchlightError(err) ? err.code : (err as Error).message })
      throw err
    }
  }

  /** An agency's verified entries matching `filter`, each with what this auditor concluded of it. */
  async entries (agency: string, filter: AuditedEntryFilter = {}): Promise<AuditedEntryList> {
    const address = getAddress(agency)
    const state = await this.#store.get(address)
    if (state === undefined) throw new AgencyNotAuditedError(address)
    return await listEntries(address, state, this.#entries ?? NO_ENTRIES, filter)
  }

  /** One request's history in an agency's log (by request id or case code); undefined when the log has none. */
  async requestHistory (agency: string, request: string): Promise<RequestHistory | undefined> {
    const address = getAddress(agency)
    const state = await this.#store.get(address)
    if (state === undefined) throw new AgencyNotAuditedError(address)
    return await requestHistory(address, request, state, this.#entries ?? NO_ENTRIES, this.#lastPass)
  }

  async #pass (options: AuditPassOptions): Promise<AuditReport> {
    await this.#fetchPeers()
    const view = await this.#follower.load()
    this.#view = view
    const clock = this.#clock()
    this.#lastPass = Math.max(view.now, clock)
    this.#gossip = gossipCells(new Map([...this.#logs.keys()].map((a) => [a, view.history(a).at(view.now).cells])), this.#maxTopics)
    const agencies = new Set<string>([...view.agencies.keys(), ...view.anchors.keys(), ...this.#logs.keys()])
    const only = options.agency === undefined ? undefined : getAddress(options.agency)
    const audited: string[] = []
    for (const agency of agencies) {
      if (only !== undefined && agency !== only) continue
      const before = await this.#store.get(agency)
      if (!this.#logs.has(agency) && !view.anchors.has(agency) && before === undefined) continue // nothing logged, nothing to check
      audited.push(agency)
    }
    this.#setProgress({ agencies: audited.length })
    const witnessFindings = await this.#pollWitnesses(audited, view)
    for (const agency of audited) {
      this.#setProgress({ agency, entriesDone: 0, entriesTotal: 0 })
      const endpoint = this.#logs.get(agency)
      const before = await this.#store.get(agency)
      let source: LogSource | undefined
      if (endpoint !== undefined) source = this.#sourceFor(endpoint)
      const result = await auditAgency({
        agency, source, chain: view, state: before, policy: this.#policy, clock,
        peerNotes: this.#peerNotes.filter((p) => p.agency === agency),
        sightings: this.#sightings.pending(agency),
        onProgress: (done, total) => { this.#setProgress({ entriesDone: done, entriesTotal: total }) },
        ...(this.#entries === undefined ? {} : { onEntries: async (entries: AuditedEntry[]) => { await this.#entries!.put(agency, entries) } })
      })
      this.#sightings.settle(agency, result.checked)
      const capped = this.#gossip.capped.find((c) => c.agency === agency)
      if (capped !== undefined) {
        result.findings.push(finding(agency, 'GOSSIP_TOPICS_CAPPED', "the jurisdiction's request topics do not fit in this auditor's bound; it listens on part of them", { cells: capped.cells, joined: capped.joined, limit: this.#maxTopics }, view.now))
      }
      result.findings.push(...(witnessFindings.get(agency) ?? []))
      // Warnings say what this pass could not check: only the latest pass's stand. Violations stay.
      result.state.findings = result.state.findings.filter((f) => f.severity !== 'warning')
      mergeFindings(result.state.findings, result.findings)
      await this.#store.put(agency, result.state)
      this.#setProgress({ agenciesDone: this.#progress.agenciesDone + 1, entriesVerified: this.#progress.entriesVerified + result.state.verifiedSize - (before?.verifiedSize ?? 0) })
    }
    return await this.report()
  }

  /** Checkpoints held until a pass compares them with the public log. */
  get pendingCheckpoints (): number {
    return this.#sightings.size
  }

  /** The res-7 cells of the audited agencies' jurisdictions, as of the latest pass (what to listen on). */
  get gossipCells (): string[] {
    return this.#gossip.cells
  }

  /**
   * Keeps an agency-signed checkpoint note for the next pass. Throws a typed error when it is not a signed
   * checkpoint of a log of this chain, or its agency is not one this auditor audits. Returns the sighting,
   * and whether it was new.
   */
  observe (note: string, source: SightingSource, from: string): { sighting: Sighting, fresh: boolean } {
    try {
      const { origin } = parseCheckpoint(parseSignedNote(note).text)
      const named = parseCheckpointOrigin(origin)
      const chainId = this.#chain.deployment.chainId
      if (named.chainId !== BigInt(chainId)) throw new WrongOriginError(checkpointOrigin(chainId, named.agency), origin)
      const agency = getAddress(named.agency)
      if (!this.#audits(agency)) throw new AgencyNotAuditedError(agency)
      const { checkpoint } = openCheckpoint(note, origin)
      const sighting: Sighting = { agency, size: checkpoint.size, root: toHex(checkpoint.root), note, source, from }
      const fresh = this.#sightings.record(sighting)
      if (fresh) this.emit('checkpoint:sighted', sighting)
      return { sighting, fresh }
    } catch (err) {
      this.emit('checkpoint:refused', { source, code: isPorchlightError(err) ? err.code : 'UNKNOWN' })
      throw err
    }
  }

  /**
   * Keeps the checkpoint of an announcement as it came in gossip or a catch-up answer, whatever the
   * validator made of it; returns false (counted by the event) when there is none to keep.
   */
  observeAnnouncement (bytes: Uint8Array, source: 'gossip' | 'catch-up', from: string): boolean {
    let note: string
    try {
      note = decodeAnnouncement(bytes).checkpoint
    } catch (err) {
      this.emit('checkpoint:refused', { source, code: isPorchlightError(err) ? err.code : 'UNKNOWN' })
      return false
    }
    try {
      return this.observe(note, source, from).fresh
    } catch {
      return false
    }
  }

  /**
   * A receipt a resident submits: signed by the agency whose log its checkpoint is of, and that checkpoint
   * signed by it. Its checkpoint is kept for the next pass. The inclusion proof is not needed for that (a
   * checkpoint proves what the agency signed, whatever entry it was shown with), so it is not checked.
   */
  submitReceipt (submission: ReceiptSubmission): ReceiptAccepted {
    const receipt = submission.receipt as SignedReceipt
    try {
      encodeSignedReceipt(receipt) // its one strict shape and size, as the resident received it
    } catch (err) {
      this.emit('checkpoint:refused', { source: 'receipt', code: ReceiptNotVerifiedError.code })
      throw new ReceiptNotVerifiedError('shape', err)
    }
    let agency: string
    try {
      agency = getAddress(parseCheckpointOrigin(parseCheckpoint(parseSignedNote(receipt.message.checkpoint).text).origin).agency)
    } catch (err) {
      this.emit('checkpoint:refused', { source: 'receipt', code: ReceiptNotVerifiedError.code })
      throw new ReceiptNotVerifiedError('checkpoint', err)
    }
    if (!this.#audits(agency)) {
      this.emit('checkpoint:refused', { source: 'receipt', code: AgencyNotAuditedError.code })
      throw new AgencyNotAuditedError(agency)
    }
    try {
      verifySigned('Receipt', receipt, { chainId: this.#chain.deployment.chainId, verifyingContract: this.#chain.deployment.contracts.AgencyRegistry }, agency)
    } catch (err) {
      this.emit('checkpoint:refused', { source: 'receipt', code: ReceiptNotVerifiedError.code })
      throw new ReceiptNotVerifiedError('signature', err)
    }
    let seen: { sighting: Sighting, fresh: boolean }
    try {
      seen = this.observe(receipt.message.checkpoint, 'receipt', 'receipt')
    } catch (err) {
      throw new ReceiptNotVerifiedError('checkpoint', err)
    }
    return { agency, size: seen.sighting.size, root: seen.sighting.root, fresh: seen.fresh }
  }

  /** Agencies this auditor audits: those it has a log for, and those the chain names. */
  #audits (agency: string): boolean {
    return this.#logs.has(agency) || this.#view?.agencies.has(agency) === true || this.#view?.anchors.has(agency) === true
  }

  /**
   * Reads the witness set and its history, and asks every registered witness for the latest checkpoint it
   * cosigned of each audited log: kept as a sighting when the agency signed it (the pass compares it with
   * the log), FORGED_COSIGNATURE when a line in the witness's name does not verify under its key.
   */
  async #pollWitnesses (agencies: readonly string[], view: ChainView): Promise<Map<string, Finding[]>> {
    const out = new Map<string, Finding[]>()
    if (this.#witnesses === undefined) return out
    let set
    try {
      const [current, changes] = await Promise.all([this.#witnesses.witnessSet(), this.#witnesses.witnessEvents()])
      set = current
      this.#witnessReport = { quorum: current.quorum, set: current.witnesses, changes }
    } catch {
      return out // the registry unreadable now: the previous report stands, the next pass reads again
    }
    if (this.#witnessClient === undefined) return out
    const flag = (agency: string, f: Finding): void => { out.set(agency, [...(out.get(agency) ?? []), f]) }
    await Promise.all(set.witnesses.map(async (witness) => {
      let key: ReturnType<typeof parseVerifierKey>
      try { key = parseVerifierKey(witness.vkey) } catch { return } // the chain client leaves such entries out
      const client = this.#witnessClient!(witness)
      for (const agency of agencies) {
        const origin = checkpointOrigin(view.chainId, agency)
        const unavailable = (reason: string): void => {
          flag(agency, finding(agency, 'WITNESS_UNAVAILABLE', "a witness's latest checkpoint of this log could not be read or used", { witness: witness.name, reason }, view.now))
        }
        let note: string | undefined
        try {
          note = await client.latest(origin, { signal: AbortSignal.timeout(this.#witnessTimeoutMs) })
        } catch (err) {
          unavailable(isPorchlightError(err) ? err.code : 'UNREACHABLE')
          continue
        }
        if (note === undefined) continue // it has cosigned nothing of this log yet
        let body: string
        let lines: ReturnType<typeof parseSignedNote>['signatures']
        try {
          ({ text: body, signatures: lines } = parseSignedNote(note))
        } catch (err) {
          unavailable((err as PorchlightError).code)
          continue
        }
        // Lines of another key id are another key's (C2SP: ignored); one of this key that does not verify is forged.
        const mine = lines.filter((l) => l.name === witness.name && l.keyId === key.keyId)
        if (mine.length === 0) unavailable('NO_COSIGNATURE')
        for (const line of mine) {
          try {
            verifyCosignature({ name: witness.name, publicKey: key.publicKey, checkpoint: body, cosignature: line })
          } catch (err) {
            flag(agency, finding(agency, 'FORGED_COSIGNATURE', 'a witness answered with a cosignature in its name that does not verify under its registered key', {
              witness: witness.name, vkey: witness.vkey, code: isPorchlightError(err) ? err.code : 'UNKNOWN', note
            }, view.now))
          }
        }
        try {
          this.observe(note, 'witness', witness.name)
        } catch (err) {
          unavailable(isPorchlightError(err) ? err.code : 'UNKNOWN')
        }
      }
    }))
    return out
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
      registry: this.#chain.deployment.contracts.AgencyRegistry,
      auditedAt: this.#lastPass,
      agencies: reports,
      findings,
      violations: findings.filter((f) => f.severity === 'violation').length,
      checkpoints,
      ...(this.#witnessReport === undefined ? {} : { witnesses: this.#witnessReport }),
      pendingCheckpoints: this.#sightings.size
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

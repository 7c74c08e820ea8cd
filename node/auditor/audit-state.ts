// What an auditor remembers of each agency between passes, as JSON in a `level` sublevel: how far the log
// was verified (with the right edge of the tree rebuilt from the entries there), which anchors were
// checked, every (size, root) seen from any source, the rules' state and the findings so far.
import type { Sublevel } from '../storage/index.js'
import type { AnchorRecord } from './chain-view.js'
import { emptyRulesState, type RulesState } from './entry-rules.js'
import { findingKey, type Finding } from './findings.js'

/** A (size, root) the auditor saw, and where: an anchor (tx hash), a checkpoint it fetched, another auditor's. */
export interface Observation {
  size: number
  /** 0x hex. */
  root: string
  source: 'anchor' | 'checkpoint' | 'peer'
  /** The transaction hash of an anchor; the endpoint of a fetched checkpoint; the peer's report URL. */
  from: string
  /** The agency-signed checkpoint note, for checkpoints (proof a third party can check). */
  note?: string
}

export interface AgencyAuditState {
  /** Entries verified (decoded, checked against the tiles, rules applied). */
  verifiedSize: number
  /** Hashes of rootNodes(verifiedSize), 0x hex: the compact range to resume the rebuild from. */
  edge: string[]
  /** Anchors (in chain order) whose roots and consistency were checked. */
  anchorsChecked: number
  lastAnchor?: AnchorRecord
  /** The earliest-dated entry no checked anchor covers yet (anchoring cadence). */
  unanchored?: { index: number, time: number }
  rules: RulesState
  observations: Observation[]
  findings: Finding[]
  /** The latest checkpoint fetched and verified. */
  checkpoint?: { size: number, root: string, note: string, fetchedAt: number }
  /** Unix seconds of the last pass. */
  auditedAt?: number
}

export function emptyAgencyState (): AgencyAuditState {
  return { verifiedSize: 0, edge: [], anchorsChecked: 0, rules: emptyRulesState(), observations: [], findings: [] }
}

/** Adds `found` to `findings`, keeping the first of each key; returns those that were new. */
export function mergeFindings (findings: Finding[], found: readonly Finding[]): Finding[] {
  const known = new Set(findings.map(findingKey))
  const added: Finding[] = []
  for (const f of found) {
    const key = findingKey(f)
    if (known.has(key)) continue
    known.add(key)
    findings.push(f)
    added.push(f)
  }
  return added
}

/** Adds an observation unless the same (size, root, source, from) is known. */
export function addObservation (list: Observation[], o: Observation): void {
  if (list.some((x) => x.size === o.size && x.root === o.root && x.source === o.source && x.from === o.from)) return
  list.push(o)
}

/** Where agency states are kept: a sublevel (JSON values) or memory. */
export interface AuditStateStore {
  get (agency: string): Promise<AgencyAuditState | undefined>
  put (agency: string, state: AgencyAuditState): Promise<void>
  agencies (): Promise<string[]>
}

export function memoryAuditStateStore (): AuditStateStore {
  const map = new Map<string, string>()
  return {
    async get (agency) { const s = map.get(agency); return s === undefined ? undefined : JSON.parse(s) as AgencyAuditState },
    async put (agency, state) { map.set(agency, JSON.stringify(state)) },
    async agencies () { return [...map.keys()] }
  }
}

export function levelAuditStateStore (db: Sublevel<string, string>): AuditStateStore {
  return {
    async get (agency) {
      const s = await db.get(agency)
      return s === undefined ? undefined : JSON.parse(s) as AgencyAuditState
    },
    async put (agency, state) { await db.put(agency, JSON.stringify(state)) },
    async agencies () { return await db.keys().all() }
  }
}

// The auditor's drill-down into one agency: its verified entries (filtered) with what the auditor concluded
// of each, and one request's history against its retention promise. Read from the entry index and the
// agency's audit state; nothing here fetches from the agency.
import type { AuditedEntry, AuditedEntryFilter, AuditedEntryList, AuditedEntryView, RequestHistory } from '../../protocol/index.js'
import type { AgencyAuditState } from './audit-state.js'
import { MAX_ENTRIES_LISTED, type EntryIndex } from './entry-index.js'
import type { Finding, Rule } from './findings.js'
import { clipRetention } from './report.js'

/** Violations about the log as a whole: while one stands, no entry of it is shown verified. */
export const LOG_INTEGRITY_RULES: readonly Rule[] = [
  'ANCHOR_ROOT_MISMATCH', 'ANCHOR_INCONSISTENT', 'CHECKPOINT_INVALID', 'CHECKPOINT_ROOT_MISMATCH', 'CHECKPOINT_INCONSISTENT',
  'SPLIT_VIEW', 'LOG_TRUNCATED', 'TILE_HASH_MISMATCH', 'TILE_INVALID'
]

function logViolations (state: AgencyAuditState): string[] {
  return [...new Set(state.findings.filter((f) => LOG_INTEGRITY_RULES.includes(f.rule)).map((f) => f.rule))]
}

function viewsOf (entries: readonly AuditedEntry[], state: AgencyAuditState): AuditedEntryView[] {
  const sound = logViolations(state).length === 0
  const byIndex = new Map<number, Finding[]>()
  for (const f of state.findings) if (f.entryIndex !== undefined) byIndex.set(f.entryIndex, [...(byIndex.get(f.entryIndex) ?? []), f])
  return entries.map((e) => {
    const findings = byIndex.get(e.index) ?? []
    return { ...e, verified: sound && e.leafMatches && e.kind !== 'malformed' && e.index < state.verifiedSize && findings.every((f) => f.severity !== 'violation'), findings }
  })
}

export async function listEntries (agency: string, state: AgencyAuditState, index: EntryIndex, filter: AuditedEntryFilter): Promise<AuditedEntryList> {
  const { total, entries } = await index.list(agency, state.verifiedSize, filter)
  return { agency, verifiedSize: state.verifiedSize, total, logViolations: logViolations(state), entries: viewsOf(entries, state) }
}

/** A request's entries (request, withdrawal, deliveries, and every use of its clips) and each clip's retention. */
export async function requestHistory (agency: string, request: string, state: AgencyAuditState, index: EntryIndex, now: number): Promise<RequestHistory | undefined> {
  const { entries } = await index.list(agency, state.verifiedSize, { request, limit: MAX_ENTRIES_LISTED })
  const id = entries.find((e) => e.request !== undefined)?.request ?? request
  const logged = state.rules.requests[id]
  if (logged === undefined && entries.length === 0) return undefined
  const clips = Object.entries(state.rules.clips).filter(([, c]) => c.request === id).map(([cid, c]) => clipRetention(cid, c, now))
  return {
    agency,
    request: id,
    ...(logged?.caseCode === undefined ? {} : { caseCode: logged.caseCode }),
    ...(logged === undefined ? {} : { retentionDays: logged.retentionDays }),
    ...(logged?.withdrawnAt === undefined ? {} : { withdrawnAt: logged.withdrawnAt }),
    entries: viewsOf(entries, state),
    clips
  }
}

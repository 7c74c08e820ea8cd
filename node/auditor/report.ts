// The auditor's published report: per agency, how far its log is verified, its latest checkpoint and
// anchor, its request rates, and every finding; plus every agency-signed checkpoint seen, so other
// auditors can compare views (a split view is proven by two signed checkpoints of one size).
import type { AgencyReport, AuditReport as AuditReportView, ClipRetention, DayActivity, RequestRates, RetentionTally, TransparencyFigures } from '../../protocol/index.js'
import type { AgencyAuditState } from './audit-state.js'
import type { LoggedClip, RulesState } from './entry-rules.js'
import type { AgencyHistory, ChainView } from './chain-view.js'
import type { Finding } from './findings.js'

export type { AgencyReport, RequestRates }

/** The report as the API sends it, its findings' rules those of RULES. */
export interface AuditReport extends AuditReportView {
  findings: Finding[]
}

const DAY = 86_400

export function requestRates (requestDays: Record<string, number>, now: number): RequestRates {
  const today = Math.floor(now / DAY)
  let total = 0; let last24h = 0; let last7d = 0; let last30d = 0
  const perDay: Record<string, number> = {}
  for (const [day, n] of Object.entries(requestDays)) {
    const d = Number(day)
    total += n
    if (today - d < 1) last24h += n
    if (today - d < 7) last7d += n
    if (today - d < 30) { last30d += n; perDay[new Date(d * DAY * 1000).toISOString().slice(0, 10)] = n }
  }
  return { total, last24h, last7d, last30d, perDay }
}

export function agencyReport (agency: string, state: AgencyAuditState, chain: ChainView | undefined, history: AgencyHistory | undefined, endpoint: string | undefined, now: number): AgencyReport {
  const registered = history?.at(now)
  const anchor = chain?.anchors.get(agency)?.at(-1)
  return {
    agency,
    name: registered?.name ?? '',
    status: registered?.status ?? 'none',
    ...(endpoint === undefined ? {} : { endpoint }),
    verifiedSize: state.verifiedSize,
    ...(state.checkpoint === undefined ? {} : { checkpoint: { size: state.checkpoint.size, root: state.checkpoint.root } }),
    ...(anchor === undefined ? {} : { latestAnchor: { treeSize: anchor.treeSize, root: anchor.root, transactionHash: anchor.transactionHash, anchoredAt: anchor.anchoredAt } }),
    requests: requestRates(state.rules.requestDays, now),
    violations: state.findings.filter((f) => f.severity === 'violation').length,
    warnings: state.findings.filter((f) => f.severity === 'warning').length,
    ...(state.auditedAt === undefined ? {} : { auditedAt: state.auditedAt }),
    activity: activityByDate(state.rules.activityDays ?? {}),
    transparency: transparencyFigures(state.rules, now)
  }
}

const NONE: DayActivity = { requests: 0, deliveries: 0, accesses: 0, shares: 0, deletions: 0 }

/** Unix day numbers to ISO dates, in date order; kinds a state saved before they were counted lacks are 0. */
export function activityByDate (days: Record<string, Partial<DayActivity>>): Record<string, DayActivity> {
  const out: Record<string, DayActivity> = {}
  for (const d of Object.keys(days).map(Number).sort((a, b) => a - b)) out[new Date(d * DAY * 1000).toISOString().slice(0, 10)] = { ...NONE, ...days[String(d)]! }
  return out
}

/** A delivered clip against its request's retention promise, as of `now`. */
export function clipRetention (cid: string, clip: LoggedClip, now: number): ClipRetention {
  const base = { clip: cid, deliveredAt: clip.deliveredAt, ...(clip.deletedAt === undefined ? {} : { deletedAt: clip.deletedAt }) }
  if (clip.retentionDays === undefined) return { ...base, state: 'unknown' }
  const deadline = clip.deliveredAt + clip.retentionDays * DAY
  // The same comparisons as DELETION_LATE and RETENTION_EXCEEDED (entry-rules.ts).
  const state = clip.deletedAt !== undefined ? (clip.deletedAt > deadline ? 'missed' : 'met') : now > deadline ? 'missed' : 'pending'
  return { ...base, deadline, state }
}

/** Per category and month, withdrawals, shares by recipient and retention, from the rules' state. */
export function transparencyFigures (rules: RulesState, now: number): TransparencyFigures {
  const categories: Record<string, number> = {}
  let withdrawn = 0
  for (const r of Object.values(rules.requests)) {
    const c = r.category ?? 'unknown'
    categories[c] = (categories[c] ?? 0) + 1
    if (r.withdrawnAt !== undefined) withdrawn++
  }
  const months: Record<string, DayActivity> = {}
  for (const [day, counts] of Object.entries(activityByDate(rules.activityDays ?? {}))) {
    const m = months[day.slice(0, 7)] ??= { ...NONE }
    for (const k of Object.keys(NONE) as Array<keyof DayActivity>) m[k] += counts[k]
  }
  const retention: RetentionTally = { deletedOnTime: 0, deletedLate: 0, overdue: 0, pending: 0, unknown: 0 }
  for (const [cid, clip] of Object.entries(rules.clips)) {
    const r = clipRetention(cid, clip, now)
    if (r.state === 'unknown') retention.unknown++
    else if (r.state === 'pending') retention.pending++
    else if (r.state === 'met') retention.deletedOnTime++
    else if (r.deletedAt !== undefined) retention.deletedLate++
    else retention.overdue++
  }
  const shares = Object.entries(rules.shares ?? {}).map(([recipient, s]) => ({ recipient, ...s })).sort((a, b) => b.count - a.count || a.recipient.localeCompare(b.recipient))
  return { categories, months, withdrawn, shares, retention }
}

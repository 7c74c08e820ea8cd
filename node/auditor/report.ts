// The auditor's published report: per agency, how far its log is verified, its latest checkpoint and
// anchor, its request rates, and every finding; plus every agency-signed checkpoint seen, so other
// auditors can compare views (a split view is proven by two signed checkpoints of one size).
import type { AgencyReport, AuditReport as AuditReportView, DayActivity, RequestRates } from '../../protocol/index.js'
import type { AgencyAuditState } from './audit-state.js'
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
    activity: activityByDate(state.rules.activityDays ?? {})
  }
}

/** Unix day numbers to ISO dates, in date order. */
export function activityByDate (days: Record<string, DayActivity>): Record<string, DayActivity> {
  const out: Record<string, DayActivity> = {}
  for (const d of Object.keys(days).map(Number).sort((a, b) => a - b)) out[new Date(d * DAY * 1000).toISOString().slice(0, 10)] = { ...days[String(d)]! }
  return out
}

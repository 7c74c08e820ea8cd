// One agency's verification status from the auditor's report: verified only when its whole signed log was
// checked (verified size = checkpoint size) with no violation and nothing left unchecked.
import type { AgencyReport, Finding } from '../api/types.js'

export interface AgencyStatus {
  state: 'ok' | 'fail' | 'unknown'
  label: string
}

export function agencyStatus (a: AgencyReport, findings: readonly Finding[]): AgencyStatus {
  const mine = findings.filter((f) => f.agency.toLowerCase() === a.agency.toLowerCase())
  const violations = Math.max(a.violations, mine.filter((f) => f.severity === 'violation').length)
  if (violations > 0) return { state: 'fail', label: `✗ ${violations} violation${violations === 1 ? '' : 's'}` }
  const warnings = Math.max(a.warnings, mine.length)
  if (warnings > 0) return { state: 'unknown', label: `? ${warnings} warning${warnings === 1 ? '' : 's'}` }
  if (a.checkpoint === undefined) return { state: 'unknown', label: '? no checkpoint yet' }
  if (a.verifiedSize < a.checkpoint.size) return { state: 'unknown', label: `? ${a.verifiedSize} of ${a.checkpoint.size} checked` }
  return { state: 'ok', label: '✓ verified' }
}

export interface ActivityPoint { day: string, at: number, requests: number, deliveries: number, accesses: number, shares?: number, deletions?: number }

/** The report's per-day activity, oldest first, with each day's Unix time for the chart's axis. */
export function activityOf (a: AgencyReport): ActivityPoint[] {
  const at = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000
  return Object.entries(a.activity).map(([day, v]) => ({ day, at: at(day), ...v })).sort((x, y) => x.at - y.at)
}

/** The chart's series, in the order bars stand in each group. */
export const SERIES = [
  { key: 'requests', label: 'requests', color: '#2563eb' },
  { key: 'deliveries', label: 'deliveries', color: '#059669' },
  { key: 'accesses', label: 'accesses', color: '#b45309' },
  { key: 'shares', label: 'shares', color: '#7c3aed' },
  { key: 'deletions', label: 'deletions', color: '#dc2626' }
] as const

export type SeriesKey = typeof SERIES[number]['key']
export type Bucket = { label: string } & Record<SeriesKey, number>

/** Beyond this many days from first to last, the chart counts per month. */
export const MAX_DAYS_CHARTED = 92

const DAY_MS = 86_400_000

/**
 * The chart's buckets: every day from the first day with activity to the last (days without any are zero,
 * so the axis is time, not a list of dates), or every month when that is more than MAX_DAYS_CHARTED days.
 */
export function bucketsOf (a: AgencyReport): { unit: 'day' | 'month', buckets: Bucket[] } {
  const days = activityOf(a)
  if (days.length === 0) return { unit: 'day', buckets: [] }
  const zero = (label: string): Bucket => ({ label, requests: 0, deliveries: 0, accesses: 0, shares: 0, deletions: 0 })
  const fill = (b: Bucket, v: Partial<Record<SeriesKey, number>>): void => { for (const s of SERIES) b[s.key] += v[s.key] ?? 0 }
  const first = days[0]!.at * 1000
  const last = days.at(-1)!.at * 1000
  if ((last - first) / DAY_MS < MAX_DAYS_CHARTED) {
    const buckets: Bucket[] = []
    for (let t = first; t <= last; t += DAY_MS) buckets.push(zero(new Date(t).toISOString().slice(0, 10)))
    for (const d of days) fill(buckets[Math.round((d.at * 1000 - first) / DAY_MS)]!, d)
    return { unit: 'day', buckets }
  }
  const buckets: Bucket[] = []
  const month = (t: number): string => new Date(t).toISOString().slice(0, 7)
  for (let d = new Date(first); month(d.getTime()) <= month(last); d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) buckets.push(zero(month(d.getTime())))
  for (const d of days) fill(buckets.find((b) => b.label === d.day.slice(0, 7))!, d)
  return { unit: 'month', buckets }
}

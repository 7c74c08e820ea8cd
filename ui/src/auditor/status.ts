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

export interface ActivityPoint { day: string, at: number, requests: number, deliveries: number, accesses: number }

/** The report's per-day activity, oldest first, with each day's Unix time for the chart's axis. */
export function activityOf (a: AgencyReport): ActivityPoint[] {
  const at = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000
  return Object.entries(a.activity).map(([day, v]) => ({ day, at: at(day), ...v })).sort((x, y) => x.at - y.at)
}

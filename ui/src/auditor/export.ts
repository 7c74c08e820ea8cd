// The transparency report as files: JSON (the figures as the auditor's API sends them) and CSV (one row per
// agency, section and key, so a spreadsheet can pivot it). RFC 4180 quoting is three lines; a CSV library
// would be the largest part of this page's bundle for it.
import type { AuditReport } from '../api/types.js'

export interface TransparencyExport {
  format: 'porchlight-transparency/1'
  chainId: number
  registry: string
  auditedAt: number
  agencies: Array<{ agency: string, name: string, status: string, verifiedSize: number, violations: number } & AuditReport['agencies'][number]['transparency']>
}

export function transparencyJson (report: AuditReport): TransparencyExport {
  return {
    format: 'porchlight-transparency/1',
    chainId: report.chainId,
    registry: report.registry,
    auditedAt: report.auditedAt,
    agencies: report.agencies.map((a) => ({ agency: a.agency, name: a.name, status: a.status, verifiedSize: a.verifiedSize, violations: a.violations, ...a.transparency }))
  }
}

const cell = (v: string | number | boolean): string => {
  const s = String(v)
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** Columns: agency, name, section, key, then the counts that section has (blank where it has none). */
export function transparencyCsv (report: AuditReport): string {
  const header = ['agency', 'name', 'section', 'key', 'requests', 'deliveries', 'accesses', 'shares', 'deletions', 'count', 'registered']
  const rows: Array<Array<string | number | boolean>> = [header]
  for (const a of report.agencies) {
    const t = a.transparency
    const row = (section: string, key: string, counts: Readonly<Partial<Record<string, number | boolean>>>): void => {
      rows.push([a.agency, a.name, section, key, ...header.slice(4).map((h) => counts[h] ?? '')])
    }
    for (const [month, m] of Object.entries(t.months)) row('month', month, { ...m })
    for (const [category, n] of Object.entries(t.categories)) row('category', category, { count: n })
    row('withdrawn', 'requests', { count: t.withdrawn })
    for (const s of t.shares) row('share', s.recipient, { count: s.count, registered: s.registered })
    for (const [k, n] of Object.entries(t.retention) as Array<[string, number]>) row('retention', k, { count: n })
  }
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}

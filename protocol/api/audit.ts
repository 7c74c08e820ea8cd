// The auditor's published report, as GET /api/report and POST /api/audit send it.

export type Severity = 'violation' | 'warning'

export interface Finding {
  /** The agency's checksummed address. */
  agency: string
  /** The rule's stable code (node/auditor's RULES). */
  rule: string
  severity: Severity
  /** The log entry the finding is about, when there is one. */
  entryIndex?: number
  /** What a reader needs to re-check it: sizes, roots and hashes (0x hex), transaction hashes, times. */
  evidence: Record<string, unknown>
  /** A sentence for people. */
  message: string
  /** Unix seconds of the pass that first found it. */
  foundAt: number
}

/** One day of an agency's logged activity. */
export interface DayActivity {
  requests: number
  deliveries: number
  accesses: number
}

export interface RequestRates {
  total: number
  last24h: number
  last7d: number
  last30d: number
  /** Requests per UTC day (YYYY-MM-DD), last 30 days with any. */
  perDay: Record<string, number>
}

export interface AgencyReport {
  agency: string
  /** From the registry (empty when it never registered). */
  name: string
  status: string
  /** Where the auditor reads its log; absent when unknown. */
  endpoint?: string
  verifiedSize: number
  checkpoint?: { size: number, root: string }
  latestAnchor?: { treeSize: number, root: string, transactionHash: string, anchoredAt: number }
  requests: RequestRates
  violations: number
  warnings: number
  auditedAt?: number
  /** Per UTC day (YYYY-MM-DD) with any, oldest first: requests, deliveries and accesses in the verified entries. */
  activity: Record<string, DayActivity>
}

export interface AuditReport {
  chainId: number
  /** Unix seconds (chain time) of the latest pass. */
  auditedAt: number
  agencies: AgencyReport[]
  /** Every finding, by agency then entry index. */
  findings: Finding[]
  violations: number
  /** Every agency-signed checkpoint this auditor fetched (for other auditors' split-view checks). */
  checkpoints: Array<{ agency: string, note: string, from: string }>
}

// The auditor's published report, as GET /api/report and POST /api/audit send it.
import type { LogEntry } from '../messages/types.js'
import type { RegisteredWitness } from './witnesses.js'

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

/** One day (or month) of an agency's logged activity: entries of each kind, on the day each entry claims. */
export interface DayActivity {
  requests: number
  deliveries: number
  accesses: number
  shares: number
  deletions: number
}

/** What happened to delivered clips against the retention their request promised. */
export interface RetentionTally {
  /** Deleted on or before the deadline. */
  deletedOnTime: number
  /** Deleted after it (DELETION_LATE). */
  deletedLate: number
  /** Still kept past it, with no delete entry (RETENTION_EXCEEDED). */
  overdue: number
  /** Kept, the deadline still ahead. */
  pending: number
  /** Delivered for a request the log never held: no promise to measure against. */
  unknown: number
}

/** The transparency figures of one agency, from its verified entries. */
export interface TransparencyFigures {
  /** Requests per category (docs/design.md §4's closed list). */
  categories: Record<string, number>
  /** Per UTC month (YYYY-MM), oldest first. */
  months: Record<string, DayActivity>
  /** Requests the agency withdrew. */
  withdrawn: number
  /** Share entries per recipient; `registered` when it was an active registered agency at the time. */
  shares: Array<{ recipient: string, registered: boolean, count: number }>
  retention: RetentionTally
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
  /** Per UTC day (YYYY-MM-DD) with any, oldest first: entries of each kind in the verified entries. */
  activity: Record<string, DayActivity>
  transparency: TransparencyFigures
}

export interface AuditReport {
  chainId: number
  /** The AgencyRegistry this auditor reads (the EIP-712 verifying contract of receipts and requests). */
  registry: string
  /** Unix seconds (chain time) of the latest pass. */
  auditedAt: number
  agencies: AgencyReport[]
  /** Every finding, by agency then entry index. */
  findings: Finding[]
  violations: number
  /** Every agency-signed checkpoint this auditor fetched (for other auditors' split-view checks). */
  checkpoints: Array<{ agency: string, note: string, from: string }>
  /** The council's witnesses as of the latest pass, and every change to them; absent when the chain has no WitnessRegistry. */
  witnesses?: WitnessReport
  /** Agency-signed checkpoints seen in gossip, receipts and at witnesses, held until a pass compares them with the log. */
  pendingCheckpoints: number
}

/** One WitnessRegistry event: a witness added, updated or removed, or the quorum set. */
export interface WitnessChange {
  kind: 'added' | 'updated' | 'removed' | 'quorum'
  name?: string
  quorum?: number
  blockNumber: number
  transactionHash: string
}

export interface WitnessReport {
  quorum: number
  set: RegisteredWitness[]
  /** Oldest first. */
  changes: WitnessChange[]
}

/** What a resident submits to an auditor (POST /api/receipts): a receipt the agency signed, as the share API shows it. */
export interface ReceiptSubmission {
  receipt: { message: { consent: string, request: string, logIndex: number, checkpoint: string, proof: string[] }, signature: string }
}

/** The auditor's answer: the checkpoint the receipt carries, now held for the next pass. */
export interface ReceiptAccepted {
  agency: string
  size: number
  root: string
  /** False when this (size, root) was already held. */
  fresh: boolean
}

/** One verified entry of an agency's log, decoded, as GET /api/agencies/:agency/entries lists it. */
export interface AuditedEntry {
  index: number
  /** The entry's kind, or `malformed` when it does not decode (ENTRY_MALFORMED). */
  kind: LogEntry['kind'] | 'malformed'
  /** The time the entry claims (issued at, or when the act happened), unix seconds. */
  time?: number
  /** The RFC 9162 leaf hash, 0x hex. */
  leaf: string
  /** The leaf hash matched the agency's level-0 tile. */
  leafMatches: boolean
  /** The request the entry is about (for uses of a clip: the request it was delivered for). */
  request?: string
  caseCode?: string
  /** The agency-side user the entry names (`actor`, and a share's `approvedBy`), when it names one. */
  users: string[]
  /** The decoded entry, as logged. */
  entry?: LogEntry
}

/** An entry with what the auditor concluded of it. */
export interface AuditedEntryView extends AuditedEntry {
  /** In the verified log, no violation about it, and the log itself sound. */
  verified: boolean
  /** The findings that name this entry. */
  findings: Finding[]
}

export interface AuditedEntryFilter {
  kind?: AuditedEntry['kind']
  /** Unix seconds, inclusive. */
  from?: number
  to?: number
  /** A request id or case code. */
  request?: string
  /** An agency-side user id. */
  user?: string
  offset?: number
  limit?: number
}

export interface AuditedEntryList {
  agency: string
  verifiedSize: number
  /** Entries that match the filter (before offset and limit). */
  total: number
  /** The log-level violations that make no entry verified (a split view, a root mismatch …). */
  logViolations: string[]
  entries: AuditedEntryView[]
}

/** A delivered clip of a request against its retention promise. */
export interface ClipRetention {
  clip: string
  deliveredAt: number
  /** Unix seconds; absent when the request was never logged. */
  deadline?: number
  deletedAt?: number
  /** met: deleted by the deadline; missed: deleted late, or kept past it; pending: kept, deadline ahead. */
  state: 'met' | 'missed' | 'pending' | 'unknown'
}

/** GET /api/agencies/:agency/requests/:request — one request's history in the agency's log. */
export interface RequestHistory {
  agency: string
  request: string
  caseCode?: string
  retentionDays?: number
  withdrawnAt?: number
  entries: AuditedEntryView[]
  clips: ClipRetention[]
}

/** GET /api/audit/progress — the pass under way, or the last one. */
export interface AuditProgress {
  running: boolean
  startedAt?: number
  finishedAt?: number
  /** Agencies the pass audits, and how many are done. */
  agencies: number
  agenciesDone: number
  /** The agency being read now. */
  agency?: string
  /** Entries of that agency read so far in this pass, and how many it has to read. */
  entriesDone: number
  entriesTotal: number
  /** Entries verified over the whole pass. */
  entriesVerified: number
  /** Findings the pass added (new since the pass before). */
  newFindings?: number
  error?: string
}

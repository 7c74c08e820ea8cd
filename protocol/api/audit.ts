// The auditor's published report, as GET /api/report and POST /api/audit send it.
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

// What the node's API answers, as the UI reads it. Shapes follow the route files (node/resident/routes.ts,
// node/clips/routes.ts, node/log/log-routes.ts, node/node-routes.ts); fields marked optional are those a
// route may not send yet, and the UI says "not reported" rather than guessing.
import type { DeliveryEntry, Eip712Json, SignedReceipt, SignedRequest } from '../../../protocol/index.js'

export type Role = 'resident' | 'agency' | 'auditor'

export interface NodeView {
  role: Role
  name: string
  peerId: string
  addrs: string[]
  address?: string
}

/** What the node's validator checked about a request (it reads the registry; the browser cannot). */
export interface Verification {
  signer: string
  agency: { name: string, status: string, validUntil: number }
  insideJurisdiction: boolean
  log: { origin: string, logIndex: number, treeSize: number, root: string }
  checkedAt: number
}

/** A log inclusion proof as gossiped with a request (the announcement's fields). */
export interface InclusionEvidence {
  logIndex: number
  checkpoint: string
  proof: string[]
}

export type InboxStatus = 'new' | 'ignored' | 'withdrawn' | 'shared'

export interface InboxSummary {
  id: string
  title: string
  category: string
  caseCode: string
  agency: string
  agencyName: string
  issuedAt: number
  expiresAt: number
  status: InboxStatus
  expired: boolean
  receivedAt: number
  /** How many of this node's clips match (camera in the area, span in the window). */
  clips?: number
}

export interface InboxItemView extends Partial<InclusionEvidence> {
  id: string
  request: SignedRequest
  status: InboxStatus
  ignored?: { by: 'resident' } | { by: 'policy', reason: string }
  /** Names of this node's cameras in the area. */
  cameras: string[]
  verification: Verification
  receivedAt: number
  withdrawnAt?: number
  eip712: Eip712Json
  signature: string
  cells: string[]
  expired: boolean
  /** The announcement's proof, when the node keeps it. */
  announcement?: InclusionEvidence
  /** This node's clips the request asks for (camera in the area, span overlapping the window). */
  clips?: Clip[]
}

export interface InboxPolicy {
  ignoreCategories: string[]
  ignoreAgencies: string[]
}

export interface PolicyView {
  effective: InboxPolicy
  config: InboxPolicy
  api: InboxPolicy
}

export interface Clip {
  cid: string
  size: number
  camera: string
  start: number
  end: number
  addedAt: number
  contentType: string
}

/** A resident's own camera, with its position: only ever sent to this resident's browser. */
export interface CameraView {
  name: string
  lat: number
  lng: number
  /** The camera's res-9 H3 cell. */
  cell?: string
}

export interface ShareView {
  request: string
  consent?: string
  agencyName?: string
  agency?: string
  clips: Array<{ cid: string, size: number }>
  status: string
  /** Bytes sent so far and in all, while delivering. */
  progress?: { sent: number, total: number }
  receipt?: SignedReceipt
  /** The delivery entry the receipt proves (so the browser can check the proof itself). */
  entry?: DeliveryEntry
  anchored?: boolean
  error?: { code: string, message: string }
  at?: number
}

/** An agency's request as the UI uses it (the client normalizes node/agency's RequestView into this). */
export interface AgencyRequestView extends Partial<InclusionEvidence> {
  id: string
  request: SignedRequest
  eip712?: Eip712Json
  /** 'live' | 'expired' | 'withdrawn' */
  status?: string
  /** Deliveries received; who ignored is never known. */
  deliveries?: number
}

/** The body of POST /api/requests (node/agency/routes.ts requestDraftSchema). */
export interface RequestDraftBody {
  caseCode: string
  title: string
  details: string
  category: string
  cells: string[]
  /** ISO 8601 date-times. */
  windowStart: string
  windowEnd: string
  lifetimeHours: number
  retentionDays: number
}

/** One delivery for a request (node/footage/footage-keeper.ts `DeliveryView`). */
export interface DeliveryView {
  consentId: string
  clips: Array<{ cid: string, size: number, ciphertextSize: number, deleted: boolean }>
  /** Unix seconds. */
  deliveredAt: number
  logIndex: number
}

/** One agency in the auditor's report (node/auditor/report.ts). */
export interface AgencyReport {
  agency: string
  name: string
  status: string
  endpoint?: string
  verifiedSize: number
  checkpoint?: { size: number, root: string }
  latestAnchor?: { treeSize: number, root: string, transactionHash: string, anchoredAt: number }
  requests: { total: number, last24h: number, last7d: number, last30d: number, perDay: Record<string, number> }
  violations: number
  warnings: number
  auditedAt?: number
  /** Per UTC day (YYYY-MM-DD) with any, oldest first: requests, deliveries and accesses in the verified entries (node/auditor sends it; optional for older auditors). */
  activity?: Record<string, { requests: number, deliveries: number, accesses: number }>
}

export interface Finding {
  agency: string
  rule: string
  severity: 'violation' | 'warning'
  entryIndex?: number
  evidence: Record<string, unknown>
  message: string
  foundAt: number
}

export interface AuditReport {
  chainId: number
  auditedAt: number
  agencies: AgencyReport[]
  findings: Finding[]
  violations: number
  checkpoints: Array<{ agency: string, note: string, from: string }>
}

/** An anchor an agency put on chain (node/log/anchor-history.ts AnchorView). */
export interface AnchorView {
  treeSize: number
  root: string
  /** The anchored checkpoint note, when the node recorded the anchor itself. */
  checkpoint?: string
  transactionHash: string
  blockNumber: number
  /** Unix ms. */
  recordedAt: number
}

// The Porchlight messages (docs/design.md §2, §5) as plain objects. Ids are strings (CIDv1 base32), times
// are unix seconds, addresses are EIP-55 checksummed, hex is lowercase with 0x: every value has one
// spelling, so every message has one encoding and one id.
import type { Category } from '../limits/table.js'

export type { Category }

/** An agency's request for footage of an incident, signed by the agency (EIP-712). */
export interface Request {
  /** The agency's registered address. */
  agency: string
  caseCode: string
  title: string
  details: string
  category: Category
  /** The incident area: H3 res-9 cells, sorted, unique. */
  cells: string[]
  /** The time window of wanted footage, unix seconds. */
  windowStart: number
  windowEnd: number
  issuedAt: number
  expiresAt: number
  /** The age X25519 recipient (`age1…`) that clips for this request are encrypted to. */
  recipient: string
  /** The agency node's libp2p peer id (base58btc) and addresses, to dial for delivery. */
  peerId: string
  addrs: string[]
  /** How long the agency promises to keep delivered footage, days. */
  retentionDays: number
  /** 32 random bytes (0x hex) so two otherwise equal requests have different ids. */
  nonce: string
}

/** The agency takes a request back before it expires. */
export interface Withdrawal {
  /** The request id. */
  request: string
  agency: string
  issuedAt: number
}

/**
 * One clip a resident shares: its CID (raw, sha2-256 of the plaintext), size in bytes and time span, and
 * what the resident's node says of it (issue 19): its media type, its length and the camera's label.
 * These travel only in the consent (to the agency), never in the public log's `delivery` entry.
 */
export interface ClipRef {
  cid: string
  size: number
  /** The recorded span, unix seconds; `start = end` for a snapshot. */
  start: number
  end: number
  /** The media type of the bytes as the resident's node stored them (`video/mp4`), lowercase, no parameters. */
  mediaType: string
  /** Its length in milliseconds (0 for a still image). */
  durationMs: number
  /** The camera's label as the resident let it go: the camera's name by default, edited, or `''` when dropped. */
  camera: string
}

/** A resident's consent to share clips for one request, signed by a fresh key made for this consent. */
export interface Consent {
  request: string
  clips: ClipRef[]
  /** The terms the resident acknowledged, verbatim. */
  terms: string
  /** The address of the per-consent key that signs this consent (and later deletion requests). */
  consentKey: string
  issuedAt: number
}

/** The agency's receipt for a delivery: where the `delivery` entry sits in its log, with proof. */
export interface Receipt {
  consent: string
  request: string
  logIndex: number
  /** The signed checkpoint (C2SP tlog-checkpoint text) the proof leads to. */
  checkpoint: string
  /** The inclusion proof: 32-byte hashes as 0x hex. */
  proof: string[]
}

/** A resident asks the agency to delete clips it delivered; signed by that consent's key. */
export interface DeletionRequest {
  consent: string
  clips: string[]
  issuedAt: number
}

/** A message with its EIP-712 signature (65 bytes r ‖ s ‖ v, 0x lowercase hex). */
export interface Signed<T> {
  message: T
  signature: string
}

export type SignedRequest = Signed<Request>
export type SignedWithdrawal = Signed<Withdrawal>
export type SignedConsent = Signed<Consent>
export type SignedReceipt = Signed<Receipt>
export type SignedDeletionRequest = Signed<DeletionRequest>

/** Why a clip was deleted. */
export type DeletionReason = 'retention' | 'resident-request' | 'agency'
export const DELETION_REASONS: readonly DeletionReason[] = ['retention', 'resident-request', 'agency']

// The public log's entries. None carries a resident's identity: a delivery names the consent by id
// only, and a consent key is fresh for every consent.
export interface RequestEntry { kind: 'request', request: SignedRequest }
export interface WithdrawEntry { kind: 'withdraw', withdrawal: SignedWithdrawal }
export interface DeliveryEntry { kind: 'delivery', request: string, consent: string, clips: Array<{ cid: string, size: number }>, at: number }
/** `actor` is an opaque agency-side user id, never a name. */
export interface AccessEntry { kind: 'access', clip: string, actor: string, purpose: string, at: number }
/**
 * `recipient` is an agency address, or a named body with a `legalBasis`. `actor` proposed the share and
 * `approvedBy` is the supervisor who approved it (the same id when a supervisor shared on their own authority).
 */
export interface ShareEntry { kind: 'share', clip: string, recipient: string, legalBasis: string, actor: string, approvedBy: string, at: number }
/**
 * `deletionRequest` is present exactly when `reason` is `resident-request`. `actor` is the agency user who
 * deleted, or `'retention'` (the retention job) or `'resident-request'` (a resident's signed request).
 */
export interface DeleteEntry { kind: 'delete', clip: string, reason: DeletionReason, actor: string, at: number, deletionRequest?: SignedDeletionRequest }

export type LogEntry = RequestEntry | WithdrawEntry | DeliveryEntry | AccessEntry | ShareEntry | DeleteEntry
export type LogEntryKind = LogEntry['kind']

/**
 * What the agency gossips: a signed request or withdrawal with the proof that its log entry is in the
 * agency's public log (the inclusion proof of entry `logIndex` against the signed `checkpoint`). A node
 * shows or relays nothing that is not logged.
 */
export interface RequestAnnouncement {
  kind: 'request'
  request: SignedRequest
  logIndex: number
  /** The agency-signed checkpoint (C2SP signed note text) the proof leads to. */
  checkpoint: string
  /** The inclusion proof: 32-byte hashes as 0x hex. */
  proof: string[]
}
export interface WithdrawalAnnouncement {
  kind: 'withdraw'
  withdrawal: SignedWithdrawal
  logIndex: number
  checkpoint: string
  proof: string[]
}
export type Announcement = RequestAnnouncement | WithdrawalAnnouncement

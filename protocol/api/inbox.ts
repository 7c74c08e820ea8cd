// The resident's inbox as its API sends it: GET /api/inbox, /api/inbox/:id and the policy (the cameras: cameras.ts).
import type { Eip712Json } from '../signing/index.js'
import type { SignedRequest } from '../messages/index.js'
import type { ClipView } from './clips.js'
import type { RegisteredWitness } from './witnesses.js'

/** A share does not change an inbox item (the shares are their own list): there is no 'shared'. */
export type InboxStatus = 'new' | 'ignored' | 'withdrawn'

export type IgnoreReason = 'category' | 'agency'

/**
 * The agency's registry record as the node reads it now (its registry cache follows the registry's events),
 * not as it was when the request arrived (that is `Verification.agency`). A resident can consent only while
 * `active`; absent when the node could not read the registry.
 */
export interface AgencyStanding {
  /** 'active' | 'suspended' | 'revoked' | 'none' (AgencyRegistry's status). */
  status: string
  /** Unix seconds; the agency is valid through this second. */
  validUntil: number
  /** Active and within its validity now. */
  active: boolean
  /** Unix seconds when the node read it. */
  checkedAt: number
}

/** What the node's validator checked about a request (it reads the registry; a browser cannot). */
export interface Verification {
  /** The recovered EIP-712 signer (checksummed). */
  signer: string
  agency: { name: string, status: string, validUntil: number }
  insideJurisdiction: boolean
  log: { origin: string, logIndex: number, treeSize: number, root: string }
  /**
   * The witness quorum the checkpoint met: k, n, the witnesses whose cosignatures counted, and the set as the
   * node read it from WitnessRegistry (so the browser can check the cosignatures itself). Absent on items
   * validated before witnessed checkpoints (issue 14).
   */
  witnesses?: WitnessVerification
  /** Unix seconds when the node checked it. */
  checkedAt: number
}

/** Verification.witnesses. */
export interface WitnessVerification {
  quorum: number
  total: number
  cosigned: Array<{ name: string, timestamp: number }>
  set: RegisteredWitness[]
}

/** The log evidence a request was announced with (the announcement's own fields). */
export interface InclusionEvidence {
  logIndex: number
  /** The agency-signed C2SP checkpoint note text, with the witnesses' cosignature lines after the agency's. */
  checkpoint: string
  /** 0x-hex 32-byte hashes. */
  proof: string[]
}

/** One line of GET /api/inbox. */
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
  /** Unix seconds when the resident first opened it; absent while unread. */
  seenAt?: number
  /** The agency's status now (the registry's, not as at arrival). */
  agencyStatus?: AgencyStanding
  /** How many of this node's clips match (camera in the area, span in the window), when it has a clip store. */
  clips?: number
}

/**
 * An item waits for the resident while it can still be answered (status `new`, not expired) and was never
 * opened: an ignored, withdrawn or expired one asks nothing of anyone, so it is not counted. The node counts
 * GET /api/inbox's `unread` with it and the UI marks its rows with it.
 */
export function isUnread (item: Pick<InboxSummary, 'status' | 'expired' | 'seenAt'>): boolean {
  return item.status === 'new' && !item.expired && item.seenAt === undefined
}

/** GET /api/inbox, newest first. */
export interface InboxList {
  items: InboxSummary[]
  /** Items still open to an answer (status `new`, not expired) that the resident has not opened. */
  unread: number
}

/**
 * GET /api/inbox/:id (and POST …/ignore): the request with its EIP-712 JSON form and signature, what was
 * verified, the area's cells, and the inclusion evidence both nested (`announcement`) and flat.
 */
export interface InboxItemView extends Partial<InclusionEvidence> {
  id: string
  request: SignedRequest
  status: InboxStatus
  /** Who ignored it and why (the resident, or a policy). */
  ignored?: { by: 'resident' } | { by: 'policy', reason: IgnoreReason }
  /** Names of this node's cameras in the area (never their positions). */
  cameras: string[]
  verification: Verification
  /** The agency's status now (the registry's); `verification.agency` is what it was when the request arrived. */
  agencyStatus?: AgencyStanding
  /** Unix seconds. */
  receivedAt: number
  /** Unix seconds when the resident first opened it (POST /api/inbox/:id/seen); absent while unread. */
  seenAt?: number
  withdrawnAt?: number
  /** Absent on items stored before the evidence was kept, once the live announcement is gone. */
  announcement?: InclusionEvidence
  eip712: Eip712Json
  signature: string
  cells: string[]
  expired: boolean
  /** This node's clips the request asks for (camera in the area, span overlapping the window), when it has a clip store. */
  clips?: ClipView[]
  /**
   * What this node's recording cameras (source rtsp or frigate) in the area recorded inside the window: one
   * entry per continuous run, with thumbnails made on the node. Nothing is cut or sent before a consent.
   */
  recordings?: RecordingOverlap[]
}

/** One continuous run of a camera's recording inside a window. Times are unix seconds. */
export interface Overlap {
  camera: string
  from: number
  to: number
  /** Seconds. */
  duration: number
  estimatedBytes: number
}

/** An overlap as the inbox shows it: with API paths of its thumbnails (`/api/inbox/:id/thumbnails/:camera/:n.jpg`, token-guarded). */
export type RecordingOverlap = Overlap & { thumbnails: string[] }

/** A range of a camera's recording a consent shares (`ranges` of POST /api/inbox/:id/consent). Unix seconds. */
export interface ConsentRange {
  camera: string
  from: number
  to: number
  /** The camera label sent with the cut clip: absent, the camera's name; `null`, none (`''`); a string, that (trimmed). */
  label?: string | null
}

/**
 * The body of POST /api/inbox/:id/consent. `labels` edits or drops the camera label each clip is sent with,
 * by CID (`null` drops it); a clip without an entry goes with its camera's name (docs/footage.md says why).
 */
export interface ConsentBody {
  clips?: string[]
  ranges?: ConsentRange[]
  labels?: Record<string, string | null>
}

/** The label a clip is sent with, from what the resident chose (`given`) and the camera's name. */
export function consentLabel (given: string | null | undefined, cameraName: string): string {
  if (given === null) return ''
  // A camera's name may hold what a label may not (padding, DEL or C1 controls): its default leaves them out.
  return (given ?? cameraName.replace(/\p{Cc}/gu, '')).trim()
}

/** Auto-ignore rules (they only ever ignore). Also the body of PUT /api/inbox/policy. */
export interface InboxPolicy {
  ignoreCategories: string[]
  /** EIP-55 addresses. */
  ignoreAgencies: string[]
}

/** GET and PUT /api/inbox/policy: from config.json, set through the API, and both together. */
export interface PolicyView {
  effective: InboxPolicy
  config: InboxPolicy
  api: InboxPolicy
}

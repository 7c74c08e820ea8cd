// The agency's requests and their footage as its API sends them: /api/requests[/:id], the deliveries of a
// request, and the footage actions.
import type { Category } from '../limits/index.js'
import type { Request, Withdrawal } from '../messages/index.js'
import type { Eip712Json } from '../signing/index.js'

export type RequestStatus = 'live' | 'expired' | 'withdrawn'

/** The body of POST /api/requests: what the agency's staff type; the node adds the rest. */
export interface RequestDraftBody {
  caseCode: string
  title: string
  details: string
  category: Category
  /** The area as H3 res-9 cells … */
  cells?: string[]
  /** … or as a circle. */
  center?: { lat: number, lng: number }
  radiusMeters?: number
  /** ISO 8601 date-times. */
  windowStart: string
  windowEnd: string
  lifetimeHours: number
  retentionDays: number
}

/**
 * One of the agency's requests (GET /api/requests lists them bare, newest first; POST answers the new one):
 * the message and its signature side by side, where it sits in the log, and its EIP-712 form.
 */
export interface AgencyRequestView {
  id: string
  request: Request
  signature: string
  logIndex: number
  /** The agency-signed checkpoint note the proof is against. */
  checkpoint: string
  /** 0x-hex hashes. */
  proof: string[]
  /** The request as EIP-712 typed data: verifiable with any EIP-712 tool and `signature`. */
  eip712: Eip712Json
  status: RequestStatus
  /** The gossip topics it was announced on. */
  topics: string[]
  /** Deliveries received for it (who ignored it is never known). */
  deliveries: number
  withdrawal?: { id: string, withdrawal: Withdrawal, signature: string, logIndex: number, checkpoint: string, proof: string[], eip712: Eip712Json }
}

/**
 * One delivered clip. `start`, `end` (unix seconds), `durationMs`, `mediaType` and `camera` (the label the
 * resident let go, `''` when dropped) are what the signed consent says; absent on deliveries received before
 * issue 19, whose consents said nothing of them.
 */
export interface DeliveredClipView {
  cid: string
  size: number
  ciphertextSize: number
  deleted: boolean
  start?: number
  end?: number
  durationMs?: number
  mediaType?: string
  camera?: string
}

/** One delivery for a request. */
export interface DeliveryView {
  consentId: string
  /** The request's id and its case code. */
  request: string
  caseCode: string
  clips: DeliveredClipView[]
  /** Unix seconds (the `delivery` entry's `at`). */
  deliveredAt: number
  logIndex: number
}

/** GET /api/requests/:id/deliveries (oldest first) and GET /api/deliveries (newest first). */
export interface DeliveryList {
  items: DeliveryView[]
}

/** POST /api/footage/:cid/share and DELETE /api/footage/:cid: the index of the entry logged. */
export interface FootageLogged {
  logIndex: number
}

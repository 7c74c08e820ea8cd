// A request as the agency's staff describe it (the API body, the CLI flags), and the Request it becomes.
// Everything a person would type is here; what the node knows itself (agency, peer, addresses, the
// recipient, the time, the nonce) is added by the desk.
import { randomBytes } from 'node:crypto'
import { areaFromCells, areaFromCircle, LIMITS, type Request, type RequestDraftBody } from '../../protocol/index.js'
import { InvalidAreaError, InvalidTimeError } from './errors.js'

/** The body of POST /api/requests; the CLI builds one from its flags. */
export type RequestDraft = RequestDraftBody

/** What the node adds to a draft. */
export interface RequestOrigin {
  agency: string
  peerId: string
  addrs: string[]
  recipient: string
  /** Unix seconds. */
  issuedAt: number
}

function seconds (field: string, iso: string): number {
  // Date.parse accepts more than ISO 8601; the schema's date-time format has already narrowed it.
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) throw new InvalidTimeError(field, iso)
  return Math.floor(ms / 1000)
}

/** The area's res-9 cells, sorted; exactly one of the two forms must be given. */
export function draftArea (draft: Pick<RequestDraft, 'cells' | 'center' | 'radiusMeters'>): string[] {
  const circle = draft.center !== undefined || draft.radiusMeters !== undefined
  if (draft.cells !== undefined && circle) throw new InvalidAreaError('give cells or center and radiusMeters, not both')
  if (draft.cells !== undefined) return areaFromCells(draft.cells)
  if (draft.center === undefined || draft.radiusMeters === undefined) throw new InvalidAreaError('give cells, or center and radiusMeters')
  return areaFromCircle(draft.center.lat, draft.center.lng, draft.radiusMeters)
}

/** The unsigned Request (limits not yet checked). */
export function requestFromDraft (draft: RequestDraft, origin: RequestOrigin): Request {
  return {
    agency: origin.agency,
    caseCode: draft.caseCode,
    title: draft.title,
    details: draft.details,
    category: draft.category,
    cells: draftArea(draft),
    windowStart: seconds('windowStart', draft.windowStart),
    windowEnd: seconds('windowEnd', draft.windowEnd),
    issuedAt: origin.issuedAt,
    expiresAt: origin.issuedAt + Math.round(draft.lifetimeHours * 3600),
    recipient: origin.recipient,
    peerId: origin.peerId,
    addrs: origin.addrs,
    retentionDays: draft.retentionDays,
    nonce: '0x' + randomBytes(32).toString('hex')
  }
}

/** Relayed addresses a request keeps room for: one per reservation an agency may hold (`network.reservations` ≤ 4). */
export const MAX_RELAYED_REQUEST_ADDRS = 4

/**
 * The addresses a request names: at most eight distinct ones (the message allows 1–8), the agency's own first,
 * with room kept for its relayed (`/p2p-circuit`) ones, so that a household delivering only through a relay
 * (`delivery.via: "relay"`) has a path even when the agency listens on many addresses.
 */
export function requestAddrs (addrs: readonly string[]): string[] {
  const unique = [...new Set(addrs)]
  const relayed = unique.filter((a) => a.includes('/p2p-circuit')).slice(0, MAX_RELAYED_REQUEST_ADDRS)
  const own = unique.filter((a) => !a.includes('/p2p-circuit')).slice(0, LIMITS.request.maxAddrs - relayed.length)
  return [...own, ...relayed]
}

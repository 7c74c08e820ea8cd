// The agency's request form, checked live against the protocol limits (protocol/limits) before anything is
// sent: the same checkRequestLimits every relay runs, so what the form accepts the network accepts.
// Problems are explained in words with the limit and the value, and tied to the field that causes them.
import { LIMITS, areaKm2, checkRequestLimits, isPorchlightError, type Request } from '../../../protocol/index.js'
import type { RequestDraftBody } from '../api/types.js'

/** The form's state: the API's body with the area as cells (the form has no circle) and the window in unix seconds. */
export type Draft = Omit<RequestDraftBody, 'cells' | 'center' | 'radiusMeters' | 'windowStart' | 'windowEnd'> & {
  cells: string[]
  /** Unix seconds (the body carries ISO 8601 times). */
  windowStart: number
  windowEnd: number
}

export interface Problem {
  /** The form field it belongs to. */
  field: keyof Draft
  code: string
  message: string
}

const R = LIMITS.request

const hours = (s: number): string => `${Math.round(s / 360) / 10} h`
const km2 = (v: number): string => `${v.toFixed(2)} km²`

// Which form field each limit's `details.field` belongs to.
const FIELD: Record<string, keyof Draft> = {
  category: 'category', caseCode: 'caseCode', title: 'title', details: 'details', retentionDays: 'retentionDays',
  windowEnd: 'windowEnd', windowStart: 'windowStart', expiresAt: 'lifetimeHours', issuedAt: 'lifetimeHours', cells: 'cells'
}

function explain (code: string, limit: unknown, value: unknown): string {
  const n = Number(value)
  switch (code) {
    case 'AREA_TOO_LARGE': return `The area is ${km2(n)}; a request may cover at most ${km2(Number(limit))} (about half a square mile). Remove cells or shrink the radius.`
    case 'WINDOW_TOO_LONG': return `The time window is ${hours(n)}; it may be at most ${hours(Number(limit))}.`
    case 'WINDOW_TOO_SHORT': return `The time window is ${hours(n)}; it must be at least ${Number(limit) / 60} minutes.`
    case 'WINDOW_IN_FUTURE': return 'The time window must end before now: footage is asked for what already happened.'
    case 'WINDOW_TOO_OLD': return `The window starts ${hours(n)} ago; it may start at most 30 days before the request (home systems keep about 30 days).`
    case 'LIFETIME_TOO_LONG': return `The request would stay open ${hours(n)}; at most ${hours(Number(limit))} (72 h).`
    case 'LIFETIME_TOO_SHORT': return 'The request must stay open for some time.'
    case 'RETENTION_TOO_LONG': return `Footage may be kept at most ${String(limit)} days.`
    case 'UNKNOWN_CATEGORY': return 'Choose a category from the list.'
    case 'TEXT_TOO_LONG': return `This text has ${String(value)} characters; at most ${String(limit)}.`
    default: return code
  }
}

/** The request the form describes, with placeholders where the node fills in the rest when it signs. */
export function draftToRequest (draft: Draft, now: number): Request {
  return {
    agency: '0x0000000000000000000000000000000000000000',
    caseCode: draft.caseCode,
    title: draft.title,
    details: draft.details,
    category: draft.category,
    cells: draft.cells,
    windowStart: draft.windowStart,
    windowEnd: draft.windowEnd,
    issuedAt: now,
    expiresAt: now + Math.round(draft.lifetimeHours * 3600),
    recipient: '',
    peerId: '',
    addrs: [],
    retentionDays: draft.retentionDays,
    nonce: ''
  }
}

/** Every problem the form has now; empty when it can be sent. */
export function checkDraft (draft: Draft, now: number): Problem[] {
  const problems: Problem[] = []
  if (draft.caseCode.trim() === '') problems.push({ field: 'caseCode', code: 'REQUIRED', message: 'Give the case code.' })
  if (draft.title.trim() === '') problems.push({ field: 'title', code: 'REQUIRED', message: 'Give a title residents will read.' })
  if (draft.cells.length === 0) problems.push({ field: 'cells', code: 'REQUIRED', message: 'Choose the incident area on the map.' })
  if (draft.cells.length > R.maxCells) problems.push({ field: 'cells', code: 'AREA_TOO_LARGE', message: `At most ${R.maxCells} cells.` })
  // checkRequestLimits stops at the first broken limit; the area is checked on its own as well so that the
  // map's problem shows while another field is still being typed.
  const area = draft.cells.length > 0 && draft.cells.length <= R.maxCells ? areaKm2(draft.cells) : 0
  if (area > R.maxAreaKm2) problems.push({ field: 'cells', code: 'AREA_TOO_LARGE', message: explain('AREA_TOO_LARGE', R.maxAreaKm2, area) })
  if (draft.cells.length > 0) {
    try {
      checkRequestLimits(draftToRequest(draft, now), now)
    } catch (err) {
      if (!isPorchlightError(err)) throw err
      const d = (err.details ?? {}) as { field?: string, limit?: unknown, value?: unknown }
      const field = FIELD[d.field ?? ''] ?? 'cells'
      if (!problems.some((p) => p.code === err.code)) problems.push({ field, code: err.code, message: explain(err.code, d.limit, d.value) })
    }
  }
  return problems
}

/** The body POST /api/requests takes. */
export function draftBody (draft: Draft): RequestDraftBody {
  const iso = (s: number): string => new Date(s * 1000).toISOString()
  return {
    caseCode: draft.caseCode.trim(),
    title: draft.title.trim(),
    details: draft.details,
    category: draft.category,
    cells: [...draft.cells].sort(),
    windowStart: iso(draft.windowStart),
    windowEnd: iso(draft.windowEnd),
    lifetimeHours: draft.lifetimeHours,
    retentionDays: draft.retentionDays
  }
}

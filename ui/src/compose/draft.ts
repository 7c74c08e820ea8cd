// The agency's request form, checked live against the protocol limits (protocol/limits) before anything is
// sent: the same checkRequestLimits every relay runs, so what the form accepts the network accepts. Every
// broken limit shows at once (the check is run again past each one), explained in words with the limit
// and the value, and tied to the field that causes it; so do the cell cap and the agency's jurisdiction.
import { LIMITS, areaKm2, checkRequestLimits, isPorchlightError, type Request } from '../../../protocol/index.js'
import type { RequestDraftBody } from '../api/types.js'
import { formatDuration } from '../components/time.js'
import { outsideCells } from '../map/jurisdiction.js'

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

const km2 = (v: number): string => `${v.toFixed(2)} km²`
const days = (s: number): string => `${Math.round(s / 86400)} days`
/** The radius of a circle of the largest area a request may cover, for the circle's words. */
export const MAX_AREA_RADIUS_METERS = Math.round(Math.sqrt(R.maxAreaKm2 / Math.PI) * 1000)

// Which form field each limit's `details.field` belongs to.
const FIELD: Record<string, keyof Draft> = {
  category: 'category', caseCode: 'caseCode', title: 'title', details: 'details', retentionDays: 'retentionDays',
  windowEnd: 'windowEnd', windowStart: 'windowStart', expiresAt: 'lifetimeHours', issuedAt: 'lifetimeHours', cells: 'cells'
}

function explain (code: string, limit: unknown, value: unknown): string {
  const n = Number(value)
  switch (code) {
    case 'AREA_TOO_LARGE': return `The area is ${km2(n)}; a request may cover at most ${km2(Number(limit))} (about half a square mile, a circle of ${MAX_AREA_RADIUS_METERS} m). Remove cells or shrink the radius.`
    case 'WINDOW_TOO_LONG': return `The time window is ${formatDuration(n)}; it may be at most ${formatDuration(Number(limit))}.`
    case 'WINDOW_TOO_SHORT': return n <= 0
      ? 'The time window ends before it starts: make “To” later than “From”.'
      : `The time window is ${formatDuration(n)}; it must be at least ${formatDuration(Number(limit))}.`
    case 'WINDOW_IN_FUTURE': return 'The time window must end before now: footage is asked for what already happened.'
    case 'WINDOW_TOO_OLD': return `The window starts ${days(n)} before now; it may start at most ${days(Number(limit))} back (home systems keep about that long).`
    case 'LIFETIME_TOO_LONG': return `The request would stay open ${formatDuration(n)}; a request may stay open at most ${formatDuration(Number(limit))}.`
    case 'LIFETIME_TOO_SHORT': return 'The request must stay open for some time: at least 1 hour.'
    case 'RETENTION_TOO_LONG': return `Footage would be kept ${String(value)} days; at most ${String(limit)} days.`
    case 'UNKNOWN_CATEGORY': return 'Choose a category from the list.'
    case 'TEXT_TOO_LONG': return `This text has ${String(value)} characters; at most ${String(limit)}.`
    default: return code
  }
}

/**
 * The request with the field at fault made valid, so the limit check can go on to the next limit: each
 * limit is reported once, and checkRequestLimits (the relays' own check) stays the one judge.
 */
function repaired (request: Request, code: string, field: string | undefined): Request {
  const r = { ...request }
  switch (code) {
    case 'WINDOW_TOO_SHORT': case 'WINDOW_TOO_LONG': r.windowStart = r.windowEnd - 3600; return r
    case 'WINDOW_IN_FUTURE': r.windowEnd = r.issuedAt - 600; r.windowStart = r.windowEnd - 3600; return r
    case 'WINDOW_TOO_OLD': r.windowStart = r.issuedAt - 7200; r.windowEnd = r.issuedAt - 3600; return r
    case 'UNKNOWN_CATEGORY': r.category = R.categories[0]!; return r
    case 'RETENTION_TOO_LONG': r.retentionDays = 0; return r
    case 'TEXT_TOO_LONG': if (field === 'caseCode' || field === 'title' || field === 'details') r[field] = ''; return r
    default: r.expiresAt = r.issuedAt + 3600; return r // the lifetime's, issuedAt's and expiry's
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

export interface CheckOptions {
  /** The agency's jurisdiction (res ≤ 7 cells); cells outside it are a problem. Empty or absent: not checked. */
  jurisdiction?: readonly string[]
}

/** The area's size in km²: right for any number of cells (the meter shows it even past the cap). */
export const draftArea = (draft: Pick<Draft, 'cells'>): number => areaKm2(draft.cells)

/** Every problem the form has now, each limit once, all at once; empty when it can be sent. */
export function checkDraft (draft: Draft, now: number, opts: CheckOptions = {}): Problem[] {
  const problems: Problem[] = []
  if (draft.caseCode.trim() === '') problems.push({ field: 'caseCode', code: 'REQUIRED', message: 'Give the case code.' })
  if (draft.title.trim() === '') problems.push({ field: 'title', code: 'REQUIRED', message: 'Give a title residents will read.' })
  if (draft.cells.length === 0) problems.push({ field: 'cells', code: 'REQUIRED', message: 'Choose the incident area on the map.' })
  if (draft.cells.length > R.maxCells) {
    problems.push({ field: 'cells', code: 'TOO_MANY_CELLS', message: `The area has ${draft.cells.length} cells; a request may have at most ${R.maxCells} cells.` })
  }
  const area = draftArea(draft)
  if (area > R.maxAreaKm2) problems.push({ field: 'cells', code: 'AREA_TOO_LARGE', message: explain('AREA_TOO_LARGE', R.maxAreaKm2, area) })
  const outside = opts.jurisdiction === undefined ? [] : outsideCells(draft.cells, opts.jurisdiction)
  if (outside.length > 0) {
    const some = outside.slice(0, 3).join(', ') + (outside.length > 3 ? ' …' : '')
    problems.push({ field: 'cells', code: 'OUTSIDE_JURISDICTION', message: `${outside.length} cell${outside.length === 1 ? ' is' : 's are'} outside this agency's jurisdiction (marked on the map: ${some}); relays would refuse the request. Remove ${outside.length === 1 ? 'it' : 'them'}.` })
  }
  // The area was checked above, so the limit check runs without it (and on a draft with no cells yet).
  let request: Request = { ...draftToRequest(draft, now), cells: [] }
  for (let i = 0; i < 16; i++) {
    try {
      checkRequestLimits(request, now)
      break
    } catch (err) {
      if (!isPorchlightError(err)) throw err
      const d = (err.details ?? {}) as { field?: string, limit?: unknown, value?: unknown }
      const field = FIELD[d.field ?? ''] ?? 'cells'
      if (!problems.some((p) => p.code === err.code && p.field === field)) problems.push({ field, code: err.code, message: explain(err.code, d.limit, d.value) })
      request = repaired(request, err.code, d.field)
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

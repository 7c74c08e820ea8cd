// checkRequestLimits: docs/design.md §4 applied to one request at time `now`. Cheap checks come first so a
// relay rejects most bad requests before it computes an area or recovers a signature.
import { areaKm2 } from '../geo/cells.js'
import type { Request } from '../messages/types.js'
import {
  AreaTooLargeError, ExpiredError, LifetimeTooLongError, LifetimeTooShortError, NotYetValidError,
  RetentionTooLongError, TextTooLongError, UnknownCategoryError, WindowInFutureError, WindowTooLongError,
  WindowTooOldError, WindowTooShortError
} from './errors.js'
import { LIMITS, isCategory, textLength } from './table.js'

const R = LIMITS.request

function checkText (field: 'caseCode' | 'title' | 'details', text: string, limit: number): void {
  if (text.length > limit && textLength(text) > limit) throw new TextTooLongError({ field, limit, value: textLength(text) })
}

/**
 * Throws the typed error of the first limit `request` breaks at `now` (unix seconds); returns the
 * request unchanged when it is within every limit. The request's shape is the decoder's business.
 */
export function checkRequestLimits (request: Request, now: number): Request {
  if (!isCategory(request.category)) throw new UnknownCategoryError({ field: 'category', limit: R.categories, value: request.category })
  checkText('caseCode', request.caseCode, R.maxCaseCodeChars)
  checkText('title', request.title, R.maxTitleChars)
  checkText('details', request.details, R.maxDetailsChars)
  if (request.retentionDays > R.maxRetentionDays) throw new RetentionTooLongError({ field: 'retentionDays', limit: R.maxRetentionDays, value: request.retentionDays })

  const { windowStart, windowEnd, issuedAt, expiresAt } = request
  const window = windowEnd - windowStart
  if (window < R.minWindowSeconds) throw new WindowTooShortError({ field: 'windowEnd', limit: R.minWindowSeconds, value: window })
  if (window > R.maxWindowSeconds) throw new WindowTooLongError({ field: 'windowEnd', limit: R.maxWindowSeconds, value: window })
  if (windowEnd > issuedAt) throw new WindowInFutureError({ field: 'windowEnd', limit: issuedAt, value: windowEnd })
  if (issuedAt - windowStart > R.maxWindowAgeSeconds) throw new WindowTooOldError({ field: 'windowStart', limit: R.maxWindowAgeSeconds, value: issuedAt - windowStart })

  const lifetime = expiresAt - issuedAt
  if (lifetime <= 0) throw new LifetimeTooShortError({ field: 'expiresAt', limit: 1, value: lifetime })
  if (lifetime > R.maxLifetimeSeconds) throw new LifetimeTooLongError({ field: 'expiresAt', limit: R.maxLifetimeSeconds, value: lifetime })
  if (issuedAt > now + LIMITS.clockSkewSeconds) throw new NotYetValidError({ field: 'issuedAt', limit: now + LIMITS.clockSkewSeconds, value: issuedAt })
  if (now >= expiresAt) throw new ExpiredError({ field: 'expiresAt', limit: now, value: expiresAt })

  const area = areaKm2(request.cells)
  if (area > R.maxAreaKm2) throw new AreaTooLargeError({ field: 'cells', limit: R.maxAreaKm2, value: area })
  return request
}

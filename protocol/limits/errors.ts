import { PorchlightError } from '../errors.js'

/** What every limit error carries: the field, the limit and the offending value. */
export interface LimitDetails {
  field: string
  limit: number | readonly string[]
  value: unknown
}

/** The common base of the limit errors, so a relay can tell "outside the limits" from "malformed". */
export class LimitExceededError extends PorchlightError {
  // A well-formed request outside the limits: each subclass has its own code, all share this status.
  static override readonly status: number = 422
  declare readonly details: LimitDetails & Record<string, unknown>
  constructor (code: string, shortMessage: string, details: LimitDetails) {
    super(code, shortMessage, { details: { ...details } })
    this.name = 'LimitExceededError'
  }
}

export class AreaTooLargeError extends LimitExceededError {
  static override readonly code = 'AREA_TOO_LARGE'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(AreaTooLargeError.code, 'incident area is larger than allowed', d); this.name = 'AreaTooLargeError' }
}
export class WindowTooLongError extends LimitExceededError {
  static override readonly code = 'WINDOW_TOO_LONG'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(WindowTooLongError.code, 'time window is longer than allowed', d); this.name = 'WindowTooLongError' }
}
export class WindowTooShortError extends LimitExceededError {
  static override readonly code = 'WINDOW_TOO_SHORT'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(WindowTooShortError.code, 'time window is shorter than allowed', d); this.name = 'WindowTooShortError' }
}
export class WindowInFutureError extends LimitExceededError {
  static override readonly code = 'WINDOW_IN_FUTURE'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(WindowInFutureError.code, 'time window ends after the request was issued', d); this.name = 'WindowInFutureError' }
}
export class WindowTooOldError extends LimitExceededError {
  static override readonly code = 'WINDOW_TOO_OLD'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(WindowTooOldError.code, 'time window starts too long before the request', d); this.name = 'WindowTooOldError' }
}
export class LifetimeTooLongError extends LimitExceededError {
  static override readonly code = 'LIFETIME_TOO_LONG'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(LifetimeTooLongError.code, 'request lives longer than allowed', d); this.name = 'LifetimeTooLongError' }
}
export class LifetimeTooShortError extends LimitExceededError {
  static override readonly code = 'LIFETIME_TOO_SHORT'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(LifetimeTooShortError.code, 'request expires before it is issued', d); this.name = 'LifetimeTooShortError' }
}
export class ExpiredError extends LimitExceededError {
  static override readonly code = 'EXPIRED'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(ExpiredError.code, 'request has expired', d); this.name = 'ExpiredError' }
}
export class NotYetValidError extends LimitExceededError {
  static override readonly code = 'NOT_YET_VALID'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(NotYetValidError.code, 'request is issued in the future', d); this.name = 'NotYetValidError' }
}
export class RetentionTooLongError extends LimitExceededError {
  static override readonly code = 'RETENTION_TOO_LONG'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(RetentionTooLongError.code, 'retention promise is longer than allowed', d); this.name = 'RetentionTooLongError' }
}
export class UnknownCategoryError extends LimitExceededError {
  static override readonly code = 'UNKNOWN_CATEGORY'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(UnknownCategoryError.code, 'category is not in the closed list', d); this.name = 'UnknownCategoryError' }
}
export class TextTooLongError extends LimitExceededError {
  static override readonly code = 'TEXT_TOO_LONG'
  static override readonly status = 422
  constructor (d: LimitDetails) { super(TextTooLongError.code, 'text is longer than allowed', d); this.name = 'TextTooLongError' }
}

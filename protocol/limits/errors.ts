import { PorchlightError } from '../errors.js'

/** What every limit error carries: the field, the limit and the offending value. */
export interface LimitDetails {
  field: string
  limit: number | readonly string[]
  value: unknown
}

/** The common base of the limit errors, so a relay can tell "outside the limits" from "malformed". */
export class LimitExceededError extends PorchlightError {
  declare readonly details: LimitDetails & Record<string, unknown>
  constructor (code: string, shortMessage: string, details: LimitDetails) {
    super(code, shortMessage, { details: { ...details } })
    this.name = 'LimitExceededError'
  }
}

export class AreaTooLargeError extends LimitExceededError {
  constructor (d: LimitDetails) { super('AREA_TOO_LARGE', 'incident area is larger than allowed', d); this.name = 'AreaTooLargeError' }
}
export class WindowTooLongError extends LimitExceededError {
  constructor (d: LimitDetails) { super('WINDOW_TOO_LONG', 'time window is longer than allowed', d); this.name = 'WindowTooLongError' }
}
export class WindowTooShortError extends LimitExceededError {
  constructor (d: LimitDetails) { super('WINDOW_TOO_SHORT', 'time window is shorter than allowed', d); this.name = 'WindowTooShortError' }
}
export class WindowInFutureError extends LimitExceededError {
  constructor (d: LimitDetails) { super('WINDOW_IN_FUTURE', 'time window ends after the request was issued', d); this.name = 'WindowInFutureError' }
}
export class WindowTooOldError extends LimitExceededError {
  constructor (d: LimitDetails) { super('WINDOW_TOO_OLD', 'time window starts too long before the request', d); this.name = 'WindowTooOldError' }
}
export class LifetimeTooLongError extends LimitExceededError {
  constructor (d: LimitDetails) { super('LIFETIME_TOO_LONG', 'request lives longer than allowed', d); this.name = 'LifetimeTooLongError' }
}
export class LifetimeTooShortError extends LimitExceededError {
  constructor (d: LimitDetails) { super('LIFETIME_TOO_SHORT', 'request expires before it is issued', d); this.name = 'LifetimeTooShortError' }
}
export class ExpiredError extends LimitExceededError {
  constructor (d: LimitDetails) { super('EXPIRED', 'request has expired', d); this.name = 'ExpiredError' }
}
export class NotYetValidError extends LimitExceededError {
  constructor (d: LimitDetails) { super('NOT_YET_VALID', 'request is issued in the future', d); this.name = 'NotYetValidError' }
}
export class RetentionTooLongError extends LimitExceededError {
  constructor (d: LimitDetails) { super('RETENTION_TOO_LONG', 'retention promise is longer than allowed', d); this.name = 'RetentionTooLongError' }
}
export class UnknownCategoryError extends LimitExceededError {
  constructor (d: LimitDetails) { super('UNKNOWN_CATEGORY', 'category is not in the closed list', d); this.name = 'UnknownCategoryError' }
}
export class TextTooLongError extends LimitExceededError {
  constructor (d: LimitDetails) { super('TEXT_TOO_LONG', 'text is longer than allowed', d); this.name = 'TextTooLongError' }
}

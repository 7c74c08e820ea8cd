export { LIMITS, isCategory, textLength, cosignatureWindow } from './table.js'
export type { Category } from './table.js'
export { checkRequestLimits } from './check-request.js'
export { validateSignedRequest } from './validate-request.js'
export type { ValidatedRequest } from './validate-request.js'
export {
  LimitExceededError, AreaTooLargeError, WindowTooLongError, WindowTooShortError, WindowInFutureError,
  WindowTooOldError, LifetimeTooLongError, LifetimeTooShortError, ExpiredError, NotYetValidError,
  RetentionTooLongError, UnknownCategoryError, TextTooLongError
} from './errors.js'
export type { LimitDetails } from './errors.js'

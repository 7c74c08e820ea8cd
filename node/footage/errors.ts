// Every way a footage transfer or a consent can be refused, each its own class (tests match `name`/`code`).
import { PorchlightError } from '../../protocol/errors.js'

type Details = Record<string, unknown>

interface Kind {
  new (details?: Details, cause?: unknown): PorchlightError
  readonly code: string
  readonly status: number
}

function kind (name: string, code: string, status: number, message: string): Kind {
  const Err = class extends PorchlightError {
    static override readonly code = code
    static override readonly status = status
    constructor (details: Details = {}, cause?: unknown) {
      super(code, message, { details, cause })
      this.name = name
    }
  }
  Object.defineProperty(Err, 'name', { value: name })
  return Err
}

/** The consent names a request this agency did not issue (or does not know). */
export class UnknownRequestError extends kind('UnknownRequestError', 'UNKNOWN_REQUEST', 404, 'not a request of this agency') {}
/** The request is not in the agency's log yet: nothing is accepted for an unlogged request. */
export class RequestNotLoggedError extends kind('RequestNotLoggedError', 'REQUEST_NOT_LOGGED', 409, 'the request is not logged') {}
export class RequestExpiredError extends kind('RequestExpiredError', 'REQUEST_EXPIRED', 409, 'the request has expired') {}
// The same refusal as a gossiped replay of a withdrawn request: one class, one code.
export { RequestWithdrawnError } from '../network/errors.js'
/** The consent's signature does not recover its `consentKey`, or the consent does not decode. */
export class InvalidConsentError extends kind('InvalidConsentError', 'INVALID_CONSENT', 400, 'the consent is invalid') {}
/** A clip's time span does not overlap the request's window, or its camera is not in the area. */
export class ClipNotMatchingError extends kind('ClipNotMatchingError', 'CLIP_NOT_MATCHING', 422, 'a clip does not match the request') {}
/** A consent's camera label names no clip it shares, or is not a name (too long, control characters). */
export class ClipLabelError extends kind('ClipLabelError', 'CLIP_LABEL_INVALID', 400, 'a camera label is not usable') {}
/** A clip CID the resident's store does not hold. */
export class UnknownClipError extends kind('UnknownClipError', 'UNKNOWN_CLIP', 404, 'no such clip') {}
/** The declared sizes disagree with the consent, or with the age format (exact ciphertext size). */
export class DeclaredSizeMismatchError extends kind('DeclaredSizeMismatchError', 'DECLARED_SIZE_MISMATCH', 422, 'declared sizes do not match the consent') {}
/** The sender sent bytes after the last clip, or a frame where none belongs. */
export class UnexpectedDataError extends kind('UnexpectedDataError', 'UNEXPECTED_DATA', 400, 'the sender sent more than it declared') {}
/** The stream ended before every declared byte arrived. */
export class TransferIncompleteError extends kind('TransferIncompleteError', 'TRANSFER_INCOMPLETE', 400, 'the transfer stopped before every declared byte') {}
/** The decrypted bytes of a clip do not hash to the CID the consent names. */
export class ClipCidMismatchError extends kind('ClipCidMismatchError', 'CLIP_CID_MISMATCH', 422, 'a clip does not match its CID') {}
/** A clip does not decrypt (flipped byte, wrong key, truncation): the age error is the cause. */
export class ClipDecryptError extends kind('ClipDecryptError', 'CLIP_DECRYPT_FAILED', 422, 'a clip does not decrypt') {}
/** This consent was already delivered (a receipt exists), or is being delivered right now. */
export class ConsentAlreadyDeliveredError extends kind('ConsentAlreadyDeliveredError', 'CONSENT_ALREADY_DELIVERED', 409, 'this consent was already delivered') {}
export class ConsentInProgressError extends kind('ConsentInProgressError', 'CONSENT_IN_PROGRESS', 409, 'this consent is being delivered') {}
/** The agency's answer is not a valid receipt for this delivery. */
export class InvalidReceiptError extends kind('InvalidReceiptError', 'INVALID_RECEIPT', 502, 'the receipt does not verify') {}
/** The agency refused the transfer; `details.code` is its error code. */
export class TransferRefusedError extends kind('TransferRefusedError', 'TRANSFER_REFUSED', 502, 'the agency refused the transfer') {}
/** The resident withdrew the consent while it was being delivered. */
export class ShareWithdrawnError extends kind('ShareWithdrawnError', 'SHARE_WITHDRAWN', 409, 'the share was withdrawn') {}
export class ShareNotFoundError extends kind('ShareNotFoundError', 'SHARE_NOT_FOUND', 404, 'no such share') {}
/**
 * The share is in a state that does not allow this (withdraw after delivery, delete before it). The message
 * names what is possible instead (`details.possible`), so a CLI or page can say it as it is.
 */
export class ShareStateError extends PorchlightError {
  static override readonly code = 'SHARE_STATE'
  static override readonly status = 409
  constructor (details: { id: string, state?: string, action?: string, possible?: readonly string[], reason?: string }, cause?: unknown) {
    const possible = details.possible === undefined ? '' : details.possible.length === 0 ? '; nothing more can be done with it' : `; possible now: ${details.possible.join(', ')}`
    super(ShareStateError.code, `${details.action ?? 'this'} is not possible: ${details.reason ?? `the share is ${details.state ?? 'in another state'}`}${possible}`, { details, cause })
    this.name = 'ShareStateError'
  }
}
/** The inbox item is not a request this resident can consent to (unknown, ignored is fine, withdrawn, expired). */
export class RequestNotConsentableError extends kind('RequestNotConsentableError', 'REQUEST_NOT_CONSENTABLE', 409, 'the request cannot be consented to') {}
/** A deletion request for a consent or clips the agency did not receive. */
export class UnknownDeliveryError extends kind('UnknownDeliveryError', 'UNKNOWN_DELIVERY', 404, 'no such delivery') {}
/** A deletion request that does not decode or is not signed by the consent's key. */
export class InvalidDeletionRequestError extends kind('InvalidDeletionRequestError', 'INVALID_DELETION_REQUEST', 400, 'the deletion request is invalid') {}
/** The peer sent more than it was granted (footage flow control, credit.ts): the stream is cut off. */
export class CreditExceededError extends kind('CreditExceededError', 'CREDIT_EXCEEDED', 400, 'the peer sent more than its credit') {}
/** No delivered clip with this CID at this agency. */
export class FootageNotFoundError extends kind('FootageNotFoundError', 'FOOTAGE_NOT_FOUND', 404, 'no delivered clip with this CID') {}
/** The clip was delivered and since deleted (its `delete` entry is in the log). */
export class FootageDeletedError extends kind('FootageDeletedError', 'FOOTAGE_DELETED', 410, 'the clip was deleted') {}
/** A text the log entry needs (a purpose, a recipient) is empty or only white space. */
export class BlankFieldError extends kind('BlankFieldError', 'BLANK_FIELD', 400, 'a required text is empty') {}
/** A share with a body that is not an active registered agency names no legal basis. */
export class LegalBasisRequiredError extends kind('LegalBasisRequiredError', 'LEGAL_BASIS_REQUIRED', 422, 'a share outside the registered agencies needs a legal basis') {}
/**
 * A delivery would pass a quota of the agency's (`details.scope`: `request`, `peer`, `address` or `relay`;
 * `details.unit`: `deliveries` or `bytes`). Refused before any footage is accepted.
 */
export class DeliveryQuotaExceededError extends kind('DeliveryQuotaExceededError', 'DELIVERY_QUOTA_EXCEEDED', 429, 'a delivery quota of the agency is used up') {}
/** As many transfers as the agency allows at once run already for this sender or request (`details.scope`). */
export class TooManyTransfersError extends kind('TooManyTransfersError', 'TOO_MANY_TRANSFERS', 429, 'too many transfers at once') {}
/** The transfer outlived its deadline (declared size at the agency's slowest accepted rate, plus a base). */
export class TransferDeadlineError extends kind('TransferDeadlineError', 'TRANSFER_DEADLINE', 408, 'the transfer took longer than its deadline') {}
/** Accepting the transfer would leave less free disk than the agency keeps (`details.floor`). */
export class InsufficientStorageError extends kind('InsufficientStorageError', 'INSUFFICIENT_STORAGE', 507, 'the agency has no room for this delivery') {}
/**
 * `delivery.via: "relay"` and the request names no relayed (`/p2p-circuit`) address of the agency: the household
 * asked never to show the agency its IP address, so nothing is dialled (the share fails, and may be retried
 * once the agency holds a reservation and names it in a request).
 */
export class NoRelayPathError extends kind('NoRelayPathError', 'NO_RELAY_PATH', 502, 'the request names no relayed address of the agency') {}

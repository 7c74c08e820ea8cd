// What the auditor refuses of what others hand it (a resident's receipt, a note in gossip): each a typed error
// with its HTTP status, so POST /api/receipts answers why and /metrics counts it by code.
import { PorchlightError } from '../../protocol/errors.js'

/** The checkpoint is of an agency this auditor does not audit (not in its config, not on its chain). */
export class AgencyNotAuditedError extends PorchlightError {
  static override readonly code = 'AGENCY_NOT_AUDITED'
  static override readonly status = 422
  constructor (agency: string) {
    super(AgencyNotAuditedError.code, `this auditor does not audit ${agency}`, { details: { agency } })
    this.name = 'AgencyNotAuditedError'
  }
}

/** A submitted receipt does not verify: `details.reason` says which part, `details.code` the underlying error. */
export class ReceiptNotVerifiedError extends PorchlightError {
  static override readonly code = 'RECEIPT_NOT_VERIFIED'
  static override readonly status = 422
  constructor (reason: string, cause?: unknown) {
    const code = (cause as { code?: unknown } | undefined)?.code
    super(ReceiptNotVerifiedError.code, `the receipt does not verify: ${reason}`, { cause, details: { reason, ...(typeof code === 'string' ? { code } : {}) } })
    this.name = 'ReceiptNotVerifiedError'
  }
}

/** No verified entry of the agency's log is about this request (by id or case code). */
export class RequestNotInLogError extends PorchlightError {
  static override readonly code = 'REQUEST_NOT_IN_LOG'
  static override readonly status = 404
  constructor (agency: string, request: string) {
    super(RequestNotInLogError.code, `no verified entry of ${agency}'s log is about request ${request}`, { details: { agency, request } })
    this.name = 'RequestNotInLogError'
  }
}

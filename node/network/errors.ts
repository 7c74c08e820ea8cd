import { PorchlightError } from '../../protocol/errors.js'

/** The announcement arrived on a topic its area does not touch (a request for one place gossiped in another). */
export class WrongTopicError extends PorchlightError {
  constructor (details: { topic: string, topics: string[] }) {
    super('WRONG_TOPIC', 'announcement arrived on a topic its area does not touch', { details: { field: 'topic', ...details } })
    this.name = 'WrongTopicError'
  }
}

/** The agency is not registered, suspended, revoked or past its validity (details.status). */
export class AgencyNotActiveError extends PorchlightError {
  constructor (details: { agency: string, status: string, validUntil?: number }) {
    super('AGENCY_NOT_ACTIVE', `agency is not active (${details.status})`, { details: { field: 'agency', ...details } })
    this.name = 'AgencyNotActiveError'
  }
}

/** A request's area reaches beyond the jurisdiction the council gave its agency. */
export class OutsideJurisdictionError extends PorchlightError {
  constructor (details: { agency: string }) {
    super('OUTSIDE_JURISDICTION', 'request area is outside the agency\'s jurisdiction', { details: { field: 'cells', ...details } })
    this.name = 'OutsideJurisdictionError'
  }
}

/** The request was withdrawn by its agency; announcing it again is a replay. */
export class RequestWithdrawnError extends PorchlightError {
  constructor (details: { request: string }) {
    super('REQUEST_WITHDRAWN', 'request has been withdrawn', { details: { field: 'request', ...details } })
    this.name = 'RequestWithdrawnError'
  }
}

/** A withdrawal names a request of another agency. */
export class WithdrawalMismatchError extends PorchlightError {
  constructor (details: { request: string, agency: string, requestAgency: string }) {
    super('WITHDRAWAL_MISMATCH', 'withdrawal is signed by another agency than the request', { details: { field: 'withdrawal.agency', ...details } })
    this.name = 'WithdrawalMismatchError'
  }
}

/** Ignored, not rejected: this node already holds the announcement (no one is at fault). */
export class DuplicateAnnouncementError extends PorchlightError {
  constructor (details: { id: string }) {
    super('DUPLICATE_ANNOUNCEMENT', 'announcement already known', { details })
    this.name = 'DuplicateAnnouncementError'
  }
}

/** Ignored, not rejected: it expired within the clock-skew allowance, so an honest relay may still send it. */
export class StaleAnnouncementError extends PorchlightError {
  constructor (details: { id: string, expiresAt: number, now: number }) {
    super('STALE_ANNOUNCEMENT', 'announcement expired moments ago', { details })
    this.name = 'StaleAnnouncementError'
  }
}

/** Ignored, not rejected: the registry could not be read, which is no fault of the sender. */
export class RegistryUnavailableError extends PorchlightError {
  constructor (cause: unknown) {
    super('REGISTRY_UNAVAILABLE', 'the agency registry could not be read', { cause })
    this.name = 'RegistryUnavailableError'
  }
}

/** A catch-up request that is not `{ cells: [res-7 cells] }` within the limits. */
export class InvalidCatchUpRequestError extends PorchlightError {
  constructor (reason: string, value?: unknown) {
    super('INVALID_CATCH_UP_REQUEST', `invalid catch-up request: ${reason}`, { details: { field: 'cells', reason, value } })
    this.name = 'InvalidCatchUpRequestError'
  }
}

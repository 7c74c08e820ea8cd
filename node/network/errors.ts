import { PorchlightError } from '../../protocol/errors.js'

/** The announcement arrived on a topic its area does not touch (a request for one place gossiped in another). */
export class WrongTopicError extends PorchlightError {
  static override readonly code = 'WRONG_TOPIC'
  static override readonly status = 422
  constructor (details: { topic: string, topics: string[] }) {
    super(WrongTopicError.code, 'announcement arrived on a topic its area does not touch', { details: { field: 'topic', ...details } })
    this.name = 'WrongTopicError'
  }
}

/** The agency is not registered, suspended, revoked or past its validity (details.status, when known). */
export class AgencyNotActiveError extends PorchlightError {
  static override readonly code = 'AGENCY_NOT_ACTIVE'
  static override readonly status = 403
  constructor (details: { agency: string, status?: string, validUntil?: number }) {
    super(AgencyNotActiveError.code, details.status === undefined ? 'agency is not active' : `agency is not active (${details.status})`, { details: { field: 'agency', ...details } })
    this.name = 'AgencyNotActiveError'
  }
}

/** A request's area reaches beyond the jurisdiction the council gave its agency. */
export class OutsideJurisdictionError extends PorchlightError {
  static override readonly code = 'OUTSIDE_JURISDICTION'
  static override readonly status = 403
  /** `value`: the cells outside, when known. */
  constructor (details: { agency: string, value?: string[] }) {
    super(OutsideJurisdictionError.code, 'request area is outside the agency\'s jurisdiction', { details: { field: 'cells', ...details } })
    this.name = 'OutsideJurisdictionError'
  }
}

/** The request was withdrawn by its agency; announcing it again is a replay. */
export class RequestWithdrawnError extends PorchlightError {
  static override readonly code = 'REQUEST_WITHDRAWN'
  static override readonly status = 409
  constructor (details: { request: string }) {
    super(RequestWithdrawnError.code, 'request has been withdrawn', { details: { field: 'request', ...details } })
    this.name = 'RequestWithdrawnError'
  }
}

/** A withdrawal names a request of another agency. */
export class WithdrawalMismatchError extends PorchlightError {
  static override readonly code = 'WITHDRAWAL_MISMATCH'
  static override readonly status = 422
  constructor (details: { request: string, agency: string, requestAgency: string }) {
    super(WithdrawalMismatchError.code, 'withdrawal is signed by another agency than the request', { details: { field: 'withdrawal.agency', ...details } })
    this.name = 'WithdrawalMismatchError'
  }
}

/** Ignored, not rejected: this node already holds the announcement (no one is at fault). */
export class DuplicateAnnouncementError extends PorchlightError {
  static override readonly code = 'DUPLICATE_ANNOUNCEMENT'
  static override readonly status = 409
  constructor (details: { id: string }) {
    super(DuplicateAnnouncementError.code, 'announcement already known', { details })
    this.name = 'DuplicateAnnouncementError'
  }
}

/** Ignored, not rejected: it expired within the clock-skew allowance, so an honest relay may still send it. */
export class StaleAnnouncementError extends PorchlightError {
  static override readonly code = 'STALE_ANNOUNCEMENT'
  static override readonly status = 422
  constructor (details: { id: string, expiresAt: number, now: number }) {
    super(StaleAnnouncementError.code, 'announcement expired moments ago', { details })
    this.name = 'StaleAnnouncementError'
  }
}

/** Ignored, not rejected: the registry could not be read, which is no fault of the sender. */
export class RegistryUnavailableError extends PorchlightError {
  static override readonly code = 'REGISTRY_UNAVAILABLE'
  static override readonly status = 503
  constructor (cause: unknown) {
    super(RegistryUnavailableError.code, 'the agency registry could not be read', { cause })
    this.name = 'RegistryUnavailableError'
  }
}

/** Ignored, not rejected: the witness set could not be read, so no checkpoint can be judged (no fault of the sender). */
export class WitnessSetUnavailableError extends PorchlightError {
  static override readonly code = 'WITNESS_SET_UNAVAILABLE'
  static override readonly status = 503
  constructor (cause: unknown) {
    super(WitnessSetUnavailableError.code, 'the witness set could not be read', { cause })
    this.name = 'WitnessSetUnavailableError'
  }
}

/** A catch-up request that is not `{ cells: [res-7 cells] }` within the limits. */
export class InvalidCatchUpRequestError extends PorchlightError {
  static override readonly code = 'INVALID_CATCH_UP_REQUEST'
  static override readonly status = 400
  constructor (reason: string, value?: unknown) {
    super(InvalidCatchUpRequestError.code, `invalid catch-up request: ${reason}`, { details: { field: 'cells', reason, value } })
    this.name = 'InvalidCatchUpRequestError'
  }
}

/** A catch-up answer held more items than any honest answerer sends (MAX_CATCH_UP_ITEMS); the rest went unread. */
export class CatchUpTooManyItemsError extends PorchlightError {
  static override readonly code = 'CATCH_UP_TOO_MANY_ITEMS'
  static override readonly status = 502
  constructor (details: { peer: string, items: number, limit: number }) {
    super(CatchUpTooManyItemsError.code, `catch-up answer of more than ${details.limit} items`, { details })
    this.name = 'CatchUpTooManyItemsError'
  }
}

/** A catch-up answer reached MAX_INVALID_CATCH_UP_ITEMS refused items; reading it stopped there. */
export class CatchUpTooManyInvalidError extends PorchlightError {
  static override readonly code = 'CATCH_UP_TOO_MANY_INVALID'
  static override readonly status = 502
  constructor (details: { peer: string, invalid: number, unread: number }) {
    super(CatchUpTooManyInvalidError.code, `catch-up answer with ${details.invalid} invalid items`, { details })
    this.name = 'CatchUpTooManyInvalidError'
  }
}

/** Not asked for catch-up: the peer's gossipsub score is below the graylist threshold. */
export class CatchUpPeerGraylistedError extends PorchlightError {
  static override readonly code = 'CATCH_UP_PEER_GRAYLISTED'
  static override readonly status = 403
  constructor (details: { peer: string, score: number }) {
    super(CatchUpPeerGraylistedError.code, 'peer is graylisted: not asked for catch-up', { details })
    this.name = 'CatchUpPeerGraylistedError'
  }
}

// What the agency's request desk refuses, each as its own error. Checks run before anything is signed,
// written or logged, so a refusal changes nothing.
import { PorchlightError } from '../../protocol/errors.js'

// A request the desk refuses for its agency or area is what a resident's relay would refuse: the same classes.
export { AgencyNotActiveError, OutsideJurisdictionError } from '../network/errors.js'

/** The body names no area, or both forms of one (`cells`, or `center` with `radiusMeters`). */
export class InvalidAreaError extends PorchlightError {
  static override readonly code = 'INVALID_AREA'
  static override readonly status = 400
  constructor (reason: string) {
    super(InvalidAreaError.code, `invalid area: ${reason}`, { details: { field: 'cells', reason } })
    this.name = 'InvalidAreaError'
  }
}

/** A time in the body is not an ISO 8601 date-time. */
export class InvalidTimeError extends PorchlightError {
  static override readonly code = 'INVALID_TIME'
  static override readonly status = 400
  constructor (field: string, value: unknown) {
    super(InvalidTimeError.code, `${field} is not an ISO 8601 date-time`, { details: { field, value } })
    this.name = 'InvalidTimeError'
  }
}

/** The node has no chain configured: it cannot check its registration nor sign for a domain. */
export class NoChainError extends PorchlightError {
  static override readonly code = 'NO_CHAIN'
  static override readonly status = 503
  constructor () {
    super(NoChainError.code, 'the node has no chain configured (config.json "chain")')
    this.name = 'NoChainError'
  }
}

/** The agency log is not open (no log service, or the node is stopping). */
export class LogUnavailableError extends PorchlightError {
  static override readonly code = 'LOG_UNAVAILABLE'
  static override readonly status = 503
  constructor () {
    super(LogUnavailableError.code, 'the agency log is not available')
    this.name = 'LogUnavailableError'
  }
}

/** A node made from a config alone has no directory to keep request identities in. */
export class NoKeyFolderError extends PorchlightError {
  static override readonly code = 'NO_KEY_FOLDER'
  static override readonly status = 503
  constructor () {
    super(NoKeyFolderError.code, 'the node has no folder for request identities')
    this.name = 'NoKeyFolderError'
  }
}

export class RequestNotFoundError extends PorchlightError {
  static override readonly code = 'REQUEST_NOT_FOUND'
  static override readonly status = 404
  constructor (id: string) {
    super(RequestNotFoundError.code, 'no such request', { details: { field: 'id', value: id } })
    this.name = 'RequestNotFoundError'
  }
}

/** Only a live request can be withdrawn: not an expired or an already withdrawn one. */
export class RequestNotLiveError extends PorchlightError {
  static override readonly code = 'REQUEST_NOT_LIVE'
  static override readonly status = 409
  constructor (id: string, status: string) {
    super(RequestNotLiveError.code, `the request is ${status}`, { details: { field: 'id', value: id, status } })
    this.name = 'RequestNotLiveError'
  }
}

/** The agency service runs on a node without an agency key. */
export class MissingAgencyKeyError extends PorchlightError {
  static override readonly code = 'NO_AGENCY_KEY'
  static override readonly status = 503
  constructor () {
    super(MissingAgencyKeyError.code, 'the node has no agency key (keys/agency.key)')
    this.name = 'MissingAgencyKeyError'
  }
}

/**
 * The request identities are sealed by the operator's secret (docs/agency.md, "Keys at rest") and the node
 * was started without it: footage cannot be opened or received, and no request can be made, until it is
 * restarted with `--secret-file`, PORCHLIGHT_SECRET or `keys.kms`.
 */
export class KeysLockedError extends PorchlightError {
  static override readonly code = 'KEYS_LOCKED'
  static override readonly status = 503
  constructor () {
    super(KeysLockedError.code, 'the request keys are sealed and the node was started without the operator\'s secret: ' +
      'restart it with --secret-file FILE, PORCHLIGHT_SECRET or config keys.kms to open footage or make requests')
    this.name = 'KeysLockedError'
  }
}

/** The secret given at start does not open the seal the identities were sealed with (it is refused at start). */
export class WrongSecretError extends PorchlightError {
  static override readonly code = 'WRONG_SECRET'
  static override readonly status = 503
  constructor (source: string) {
    super(WrongSecretError.code, `the operator's secret (from ${source}) does not open this node's sealed request keys`, { details: { source } })
    this.name = 'WrongSecretError'
  }
}

/** Where the operator's secret was to come from gave none: an empty file or variable, a KMS hook that failed. */
export class SecretUnavailableError extends PorchlightError {
  static override readonly code = 'SECRET_UNAVAILABLE'
  static override readonly status = 503
  constructor (source: string, reason: string, cause?: unknown) {
    super(SecretUnavailableError.code, `no operator's secret from ${source}: ${reason}`, { details: { source, reason }, cause })
    this.name = 'SecretUnavailableError'
  }
}

/** A sealed identity file that does not open under the seal: changed, truncated, or another request's. */
export class IdentityUnsealError extends PorchlightError {
  static override readonly code = 'IDENTITY_UNSEALABLE'
  static override readonly status = 500
  constructor (request: string, cause?: unknown) {
    super(IdentityUnsealError.code, `the sealed identity of request ${request} does not open: changed, truncated or another request's`, { details: { request }, cause })
    this.name = 'IdentityUnsealError'
  }
}

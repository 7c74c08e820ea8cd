// What the agency's request desk refuses, each as its own error. Checks run before anything is signed,
// written or logged, so a refusal changes nothing.
import { PorchlightError } from '../../protocol/errors.js'

/** The registry does not list this node's agency as active (unregistered, suspended, revoked or lapsed). */
export class AgencyNotActiveError extends PorchlightError {
  constructor (agency: string) {
    super('AGENCY_NOT_ACTIVE', 'the agency is not active in the registry', { details: { agency } })
    this.name = 'AgencyNotActiveError'
  }
}

/** The request's area leaves the agency's registered jurisdiction. */
export class OutsideJurisdictionError extends PorchlightError {
  constructor (agency: string, outside: string[]) {
    super('OUTSIDE_JURISDICTION', 'the area is not inside the agency\'s jurisdiction', { details: { field: 'cells', agency, value: outside } })
    this.name = 'OutsideJurisdictionError'
  }
}

/** The body names no area, or both forms of one (`cells`, or `center` with `radiusMeters`). */
export class InvalidAreaError extends PorchlightError {
  constructor (reason: string) {
    super('INVALID_AREA', `invalid area: ${reason}`, { details: { field: 'cells', reason } })
    this.name = 'InvalidAreaError'
  }
}

/** A time in the body is not an ISO 8601 date-time. */
export class InvalidTimeError extends PorchlightError {
  constructor (field: string, value: unknown) {
    super('INVALID_TIME', `${field} is not an ISO 8601 date-time`, { details: { field, value } })
    this.name = 'InvalidTimeError'
  }
}

/** The node has no chain configured: it cannot check its registration nor sign for a domain. */
export class NoChainError extends PorchlightError {
  constructor () {
    super('NO_CHAIN', 'the node has no chain configured (config.json "chain")')
    this.name = 'NoChainError'
  }
}

/** The agency log is not open (no log service, or the node is stopping). */
export class LogUnavailableError extends PorchlightError {
  constructor () {
    super('LOG_UNAVAILABLE', 'the agency log is not available')
    this.name = 'LogUnavailableError'
  }
}

/** A node made from a config alone has no directory to keep request identities in. */
export class NoKeyFolderError extends PorchlightError {
  constructor () {
    super('NO_KEY_FOLDER', 'the node has no folder for request identities')
    this.name = 'NoKeyFolderError'
  }
}

export class RequestNotFoundError extends PorchlightError {
  constructor (id: string) {
    super('REQUEST_NOT_FOUND', 'no such request', { details: { field: 'id', value: id } })
    this.name = 'RequestNotFoundError'
  }
}

/** Only a live request can be withdrawn: not an expired or an already withdrawn one. */
export class RequestNotLiveError extends PorchlightError {
  constructor (id: string, status: string) {
    super('REQUEST_NOT_LIVE', `the request is ${status}`, { details: { field: 'id', value: id, status } })
    this.name = 'RequestNotLiveError'
  }
}

/** The agency service runs on a node without an agency key. */
export class MissingAgencyKeyError extends PorchlightError {
  constructor () {
    super('NO_AGENCY_KEY', 'the node has no agency key (keys/agency.key)')
    this.name = 'MissingAgencyKeyError'
  }
}

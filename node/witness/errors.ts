// The witness's refusals, one class each, with the HTTP status C2SP tlog-witness gives them, and the client's
// two ways a witness fails a caller. Each answer of the witness maps to one `result` label in /metrics.
import { PorchlightError } from '../../protocol/errors.js'

/** The checkpoint's origin is not a log this witness follows (not Porchlight's, another chain, an unregistered agency). */
export class UnknownOriginError extends PorchlightError {
  static override readonly code = 'UNKNOWN_ORIGIN'
  static override readonly status = 404
  constructor (origin: string, reason: string) {
    super(UnknownOriginError.code, `unknown log origin: ${reason}`, { details: { origin, reason } })
    this.name = 'UnknownOriginError'
  }
}

/**
 * A fresh origin when the witness already follows `maxOrigins`: without a chain anyone can mint agency keys,
 * and each origin is a record kept for ever. 404 like any origin the witness does not follow.
 */
export class TooManyOriginsError extends PorchlightError {
  static override readonly code = 'TOO_MANY_ORIGINS'
  static override readonly status = 404
  constructor (origin: string, limit: number) {
    super(TooManyOriginsError.code, 'the witness follows as many logs as it may', { details: { origin, limit } })
    this.name = 'TooManyOriginsError'
  }
}

/** No signature line of the checkpoint verifies under the origin's agency key (C2SP: 403). */
export class UnverifiedCheckpointError extends PorchlightError {
  static override readonly code = 'UNVERIFIED_CHECKPOINT'
  static override readonly status = 403
  constructor (origin: string, options: { cause?: unknown } = {}) {
    super(UnverifiedCheckpointError.code, 'no signature of the log\'s key verifies', { ...options, details: { origin } })
    this.name = 'UnverifiedCheckpointError'
  }
}

/** The request's old size is above the checkpoint's size (C2SP: 400). */
export class OldSizeTooLargeError extends PorchlightError {
  static override readonly code = 'OLD_SIZE_TOO_LARGE'
  static override readonly status = 400
  constructor (oldSize: number, size: number) {
    super(OldSizeTooLargeError.code, 'old size is above the checkpoint size', { details: { field: 'oldSize', value: oldSize, limit: size } })
    this.name = 'OldSizeTooLargeError'
  }
}

/** The old size is not the size of the latest checkpoint the witness cosigned (C2SP: 409 with that size). */
export class OldSizeConflictError extends PorchlightError {
  static override readonly code = 'OLD_SIZE_CONFLICT'
  static override readonly status = 409
  constructor (readonly latestSize: number, oldSize: number) {
    super(OldSizeConflictError.code, 'old size is not the latest size cosigned', { details: { latestSize, oldSize } })
    this.name = 'OldSizeConflictError'
  }
}

/**
 * The checkpoint has the size of the latest one cosigned and another root: a split view (C2SP: 409, with
 * that size, which is also the request's old size; that is how a client tells it from a stale old size).
 */
export class ConflictingRootError extends PorchlightError {
  static override readonly code = 'CONFLICTING_ROOT'
  static override readonly status = 409
  constructor (readonly latestSize: number, origin: string) {
    super(ConflictingRootError.code, 'another root at the size already cosigned', { details: { latestSize, origin } })
    this.name = 'ConflictingRootError'
  }
}

/** The consistency proof does not prove the checkpoint extends the latest one cosigned (C2SP: 422). */
export class InconsistentCheckpointError extends PorchlightError {
  static override readonly code = 'INCONSISTENT_CHECKPOINT'
  static override readonly status = 422
  constructor (origin: string, oldSize: number, size: number, options: { cause?: unknown } = {}) {
    super(InconsistentCheckpointError.code, 'consistency proof does not verify', { ...options, details: { origin, oldSize, size } })
    this.name = 'InconsistentCheckpointError'
  }
}

/** The witness has cosigned no checkpoint of that origin (GET /witness/checkpoints/…). */
export class NoCosignedCheckpointError extends PorchlightError {
  static override readonly code = 'NO_COSIGNED_CHECKPOINT'
  static override readonly status = 404
  constructor (origin: string) {
    super(NoCosignedCheckpointError.code, 'no checkpoint of this origin cosigned', { details: { origin } })
    this.name = 'NoCosignedCheckpointError'
  }
}

/** A witness node that cannot run as configured: no chain id (no chain, no `witness.chainId`), two that differ, or no witness key. */
export class WitnessConfigError extends PorchlightError {
  static override readonly code = 'WITNESS_CONFIG'
  static override readonly status = 500
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(WitnessConfigError.code, `witness config: ${reason}`, { details: { reason, ...details } })
    this.name = 'WitnessConfigError'
  }
}

/** A witness answered a refusal other than 409 (or a 409 about a root, not a size). */
export class WitnessRefusedError extends PorchlightError {
  static override readonly code = 'WITNESS_REFUSED'
  static override readonly status = 502
  constructor (details: { witness: string, status: number, reason: string }) {
    super(WitnessRefusedError.code, `witness ${details.witness} refused (${details.status} ${details.reason})`, { details })
    this.name = 'WitnessRefusedError'
  }
}

/** A witness could not be reached, did not answer in time, or answered something that is not tlog-witness. */
export class WitnessUnreachableError extends PorchlightError {
  static override readonly code = 'WITNESS_UNREACHABLE'
  static override readonly status = 503
  constructor (details: { witness: string, reason: string }, options: { cause?: unknown } = {}) {
    super(WitnessUnreachableError.code, `witness ${details.witness} unreachable (${details.reason})`, { ...options, details })
    this.name = 'WitnessUnreachableError'
  }
}

/** A request reached the witness's routes before its service started or after it stopped. */
export class WitnessNotStartedError extends PorchlightError {
  static override readonly code = 'WITNESS_NOT_STARTED'
  static override readonly status = 503
  constructor () {
    super(WitnessNotStartedError.code, 'the witness is not running')
    this.name = 'WitnessNotStartedError'
  }
}

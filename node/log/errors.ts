// The typed failures of the agency's persistent log, its serving and its anchoring.
import { PorchlightError } from '../../protocol/errors.js'

/** The log was closed; nothing more is appended or read through it. */
export class LogClosedError extends PorchlightError {
  static override readonly code = 'LOG_CLOSED'
  static override readonly status = 503
  constructor () {
    super(LogClosedError.code, 'the log is closed')
    this.name = 'LogClosedError'
  }
}

/** Not a log entry: entries are byte strings (Uint8Array). */
export class InvalidEntryError extends PorchlightError {
  static override readonly code = 'INVALID_ENTRY'
  static override readonly status = 422
  constructor (value: unknown) {
    super(InvalidEntryError.code, 'a log entry must be a Uint8Array', { details: { field: 'entry', value: typeof value } })
    this.name = 'InvalidEntryError'
  }
}

/** The database refused a group's batch: none of its entries was appended (each append rejects with this). */
export class LogWriteError extends PorchlightError {
  static override readonly code = 'LOG_WRITE_FAILED'
  static override readonly status = 500
  constructor (cause: unknown, details: { first: number, count: number }) {
    super(LogWriteError.code, 'the log could not write a group of entries; none of them was appended', { cause, details })
    this.name = 'LogWriteError'
  }
}

/** What the database holds is not a log this code wrote: a missing node, or a checkpoint past the size. */
export class LogCorruptedError extends PorchlightError {
  static override readonly code = 'LOG_CORRUPTED'
  static override readonly status = 500
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(LogCorruptedError.code, `the stored log is inconsistent: ${reason}`, { details: { reason, ...details } })
    this.name = 'LogCorruptedError'
  }
}

/** A well-formed tile or entry-bundle path the log does not (yet) hold at its latest checkpoint. */
export class TileNotFoundError extends PorchlightError {
  static override readonly code = 'TILE_NOT_FOUND'
  static override readonly status = 404
  constructor (path: string, size: number) {
    super(TileNotFoundError.code, 'no such tile at the latest checkpoint', { details: { field: 'path', value: path, size } })
    this.name = 'TileNotFoundError'
  }
}

/** A path under the log's served tree that names nothing (neither `checkpoint` nor a tile path). */
export class UnknownLogPathError extends PorchlightError {
  static override readonly code = 'UNKNOWN_LOG_PATH'
  static override readonly status = 400
  constructor (path: string) {
    super(UnknownLogPathError.code, 'not a log path (checkpoint, tile/… or tile/entries/…)', { details: { field: 'path', value: path } })
    this.name = 'UnknownLogPathError'
  }
}

/** An anchor interval outside what the anchorer allows. */
export class InvalidAnchorIntervalError extends PorchlightError {
  static override readonly code = 'INVALID_ANCHOR_INTERVAL'
  static override readonly status = 500
  constructor (value: unknown, limit: number) {
    super(InvalidAnchorIntervalError.code, 'anchorIntervalMs must be an integer of at least 1000', { details: { field: 'anchorIntervalMs', value, limit } })
    this.name = 'InvalidAnchorIntervalError'
  }
}

/** The agency key is not a 32-byte secp256k1 private key. */
export class InvalidAgencyKeyError extends PorchlightError {
  static override readonly code = 'INVALID_AGENCY_KEY'
  static override readonly status = 500
  constructor (cause: unknown) {
    super(InvalidAgencyKeyError.code, 'the agency key is not a 32-byte secp256k1 private key', { cause, details: { field: 'agencyKey' } })
    this.name = 'InvalidAgencyKeyError'
  }
}

/** One registered witness's part in a failed quorum: its name and why it has not cosigned (an error code). */
export interface WitnessFailure { name: string, error: string }

/**
 * No checkpoint covering the entry reached the council's quorum of cosignatures in time: the entry is in the
 * log, but nothing that carries it may be announced or handed out (no relay would accept it). 503: the
 * witnesses, not the caller, are at fault; the same call may succeed once they answer again.
 */
export class WitnessQuorumUnreachedError extends PorchlightError {
  static override readonly code = 'WITNESS_QUORUM_UNREACHED'
  static override readonly status = 503
  constructor (details: { required: number, cosigned: number, witnesses: WitnessFailure[], index: number }) {
    super(WitnessQuorumUnreachedError.code, details.required === 0
      ? 'the council has set no witness quorum: no checkpoint can be witnessed'
      : `only ${details.cosigned} of the ${details.required} witness cosignatures needed were collected in time` +
        (details.witnesses.length === 0 ? '' : ` (${details.witnesses.map((w) => `${w.name}: ${w.error}`).join(', ')})`), { details: { ...details } })
    this.name = 'WitnessQuorumUnreachedError'
  }
}

/** A witness did not answer one add-checkpoint attempt within its time (it may be hanging or slow). */
export class WitnessTimeoutError extends PorchlightError {
  static override readonly code = 'WITNESS_TIMEOUT'
  static override readonly status = 504
  constructor (witness: string, timeoutMs: number) {
    super(WitnessTimeoutError.code, 'the witness did not answer in time', { details: { witness, timeoutMs } })
    this.name = 'WitnessTimeoutError'
  }
}

/** A witness answered, but with nothing that counts: no line, or lines that do not verify under its key. */
export class InvalidWitnessAnswerError extends PorchlightError {
  static override readonly code = 'INVALID_WITNESS_ANSWER'
  static override readonly status = 502
  constructor (witness: string, reason: string, details: Record<string, unknown> = {}) {
    super(InvalidWitnessAnswerError.code, `the witness's answer does not count: ${reason}`, { details: { witness, reason, ...details } })
    this.name = 'InvalidWitnessAnswerError'
  }
}

/**
 * A witness says it cosigned a larger tree of this log than the log holds: no consistency proof can be
 * made for it. Either the log lost entries or someone else signed with the agency's key (a fork to report).
 */
export class WitnessAheadError extends PorchlightError {
  static override readonly code = 'WITNESS_AHEAD'
  static override readonly status = 502
  constructor (witness: string, latestSize: number, size: number) {
    super(WitnessAheadError.code, 'the witness has cosigned a larger tree of this log than the log holds', { details: { witness, latestSize, size } })
    this.name = 'WitnessAheadError'
  }
}

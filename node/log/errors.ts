// The typed failures of the agency's persistent log, its serving and its anchoring.
import { PorchlightError } from '../../protocol/errors.js'

/** The log was closed; nothing more is appended or read through it. */
export class LogClosedError extends PorchlightError {
  constructor () {
    super('LOG_CLOSED', 'the log is closed')
    this.name = 'LogClosedError'
  }
}

/** Not a log entry: entries are byte strings (Uint8Array). */
export class InvalidEntryError extends PorchlightError {
  constructor (value: unknown) {
    super('INVALID_ENTRY', 'a log entry must be a Uint8Array', { details: { field: 'entry', value: typeof value } })
    this.name = 'InvalidEntryError'
  }
}

/** The database refused a group's batch: none of its entries was appended (each append rejects with this). */
export class LogWriteError extends PorchlightError {
  constructor (cause: unknown, details: { first: number, count: number }) {
    super('LOG_WRITE_FAILED', 'the log could not write a group of entries; none of them was appended', { cause, details })
    this.name = 'LogWriteError'
  }
}

/** What the database holds is not a log this code wrote: a missing node, or a checkpoint past the size. */
export class LogCorruptedError extends PorchlightError {
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super('LOG_CORRUPTED', `the stored log is inconsistent: ${reason}`, { details: { reason, ...details } })
    this.name = 'LogCorruptedError'
  }
}

/** A well-formed tile or entry-bundle path the log does not (yet) hold at its latest checkpoint. */
export class TileNotFoundError extends PorchlightError {
  constructor (path: string, size: number) {
    super('TILE_NOT_FOUND', 'no such tile at the latest checkpoint', { details: { field: 'path', value: path, size } })
    this.name = 'TileNotFoundError'
  }
}

/** A path under the log's served tree that names nothing (neither `checkpoint` nor a tile path). */
export class UnknownLogPathError extends PorchlightError {
  constructor (path: string) {
    super('UNKNOWN_LOG_PATH', 'not a log path (checkpoint, tile/… or tile/entries/…)', { details: { field: 'path', value: path } })
    this.name = 'UnknownLogPathError'
  }
}

/** An anchor interval outside what the anchorer allows. */
export class InvalidAnchorIntervalError extends PorchlightError {
  constructor (value: unknown, limit: number) {
    super('INVALID_ANCHOR_INTERVAL', 'anchorIntervalMs must be an integer of at least 1000', { details: { field: 'anchorIntervalMs', value, limit } })
    this.name = 'InvalidAnchorIntervalError'
  }
}

/** The agency key is not a 32-byte secp256k1 private key. */
export class InvalidAgencyKeyError extends PorchlightError {
  constructor (cause: unknown) {
    super('INVALID_AGENCY_KEY', 'the agency key is not a 32-byte secp256k1 private key', { cause, details: { field: 'agencyKey' } })
    this.name = 'InvalidAgencyKeyError'
  }
}

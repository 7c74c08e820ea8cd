// The typed failures of the transparency-log core. Each is its own class so callers and tests can match on
// `name` or `code`; `details` says which field, value or limit was at fault.
import { PorchlightError } from '../errors.js'

/** A proof does not prove what it claims: wrong length, wrong hash, wrong index or size, bad root. */
export class InvalidProofError extends PorchlightError {
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super('INVALID_PROOF', `invalid proof: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidProofError'
  }
}

/** An index or tree size outside what the tree (or the call) allows. */
export class IndexOutOfRangeError extends PorchlightError {
  constructor (field: string, value: unknown, limit: unknown) {
    super('INDEX_OUT_OF_RANGE', `${field} out of range`, { details: { field, value, limit } })
    this.name = 'IndexOutOfRangeError'
  }
}

/** A hash that is not 32 bytes where a SHA-256 hash is required. */
export class InvalidHashError extends PorchlightError {
  constructor (field: string, length: number) {
    super('INVALID_HASH', `${field} is not a 32-byte hash`, { details: { field, length, limit: 32 } })
    this.name = 'InvalidHashError'
  }
}

/** A hash reader does not hold a node that a proof or root needs. */
export class MissingHashError extends PorchlightError {
  constructor (level: number, index: number, options: { cause?: unknown } = {}) {
    super('MISSING_HASH', `no hash stored for node ${level}/${index}`, { ...options, details: { level, index } })
    this.name = 'MissingHashError'
  }
}

/** Checkpoint text (or a checkpoint to be formatted) that breaks C2SP tlog-checkpoint. */
export class InvalidCheckpointError extends PorchlightError {
  constructor (field: string, reason: string, details: Record<string, unknown> = {}) {
    super('INVALID_CHECKPOINT', `invalid checkpoint ${field}: ${reason}`, { details: { field, reason, ...details } })
    this.name = 'InvalidCheckpointError'
  }
}

/** Text that is not a well-formed C2SP signed note. */
export class InvalidNoteError extends PorchlightError {
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super('INVALID_NOTE', `invalid signed note: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidNoteError'
  }
}

/** A checkpoint from another log than the one expected. */
export class WrongOriginError extends PorchlightError {
  constructor (expected: string, value: string) {
    super('WRONG_ORIGIN', 'checkpoint origin is not the expected one', { details: { field: 'origin', expected, value } })
    this.name = 'WrongOriginError'
  }
}

/** A checkpoint signed by (or for) another key than the agency's. */
export class WrongSignerError extends PorchlightError {
  constructor (expected: string, value: string) {
    super('WRONG_SIGNER', 'checkpoint is not signed by the expected agency', { details: { field: 'signer', expected, value } })
    this.name = 'WrongSignerError'
  }
}

/** A note carries no signature line by the expected key (name and key id). */
export class MissingSignatureError extends PorchlightError {
  constructor (keyName: string, keyId: number) {
    super('MISSING_SIGNATURE', 'note has no signature by the expected key', { details: { keyName, keyId } })
    this.name = 'MissingSignatureError'
  }
}

/** A signature line by the expected key whose bytes are not a valid signature. */
export class InvalidCheckpointSignatureError extends PorchlightError {
  constructor (reason: string, options: { cause?: unknown } = {}) {
    super('INVALID_CHECKPOINT_SIGNATURE', `invalid checkpoint signature: ${reason}`, { ...options, details: { reason } })
    this.name = 'InvalidCheckpointSignatureError'
  }
}

/** A path that is not a canonical C2SP tlog-tiles path. */
export class InvalidTilePathError extends PorchlightError {
  constructor (path: string, reason: string) {
    super('INVALID_TILE_PATH', `invalid tile path: ${reason}`, { details: { field: 'path', value: path, reason } })
    this.name = 'InvalidTilePathError'
  }
}

/** Tile or entry-bundle bytes that do not decode to the expected width. */
export class InvalidTileError extends PorchlightError {
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super('INVALID_TILE', `invalid tile: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidTileError'
  }
}

/** A log entry too long for an entry bundle's uint16 length prefix. */
export class EntryTooLargeError extends PorchlightError {
  constructor (size: number, limit: number) {
    super('ENTRY_TOO_LARGE', 'log entry longer than an entry bundle allows', { details: { field: 'entry', value: size, limit } })
    this.name = 'EntryTooLargeError'
  }
}

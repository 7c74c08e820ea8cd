// The typed failures of the transparency-log core. Each is its own class so callers and tests can match on
// `name` or `code`; `details` says which field, value or limit was at fault.
import { PorchlightError } from '../errors.js'

/** A proof does not prove what it claims: wrong length, wrong hash, wrong index or size, bad root. */
export class InvalidProofError extends PorchlightError {
  static override readonly code = 'INVALID_PROOF'
  static override readonly status = 422
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(InvalidProofError.code, `invalid proof: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidProofError'
  }
}

/** An index or tree size outside what the tree (or the call) allows. */
export class IndexOutOfRangeError extends PorchlightError {
  static override readonly code = 'INDEX_OUT_OF_RANGE'
  static override readonly status = 400
  constructor (field: string, value: unknown, limit: unknown) {
    super(IndexOutOfRangeError.code, `${field} out of range`, { details: { field, value, limit } })
    this.name = 'IndexOutOfRangeError'
  }
}

/** A hash that is not 32 bytes where a SHA-256 hash is required. */
export class InvalidHashError extends PorchlightError {
  static override readonly code = 'INVALID_HASH'
  static override readonly status = 400
  constructor (field: string, length: number) {
    super(InvalidHashError.code, `${field} is not a 32-byte hash`, { details: { field, length, limit: 32 } })
    this.name = 'InvalidHashError'
  }
}

/** A hash reader does not hold a node that a proof or root needs. */
export class MissingHashError extends PorchlightError {
  static override readonly code = 'MISSING_HASH'
  static override readonly status = 500
  constructor (level: number, index: number, options: { cause?: unknown } = {}) {
    super(MissingHashError.code, `no hash stored for node ${level}/${index}`, { ...options, details: { level, index } })
    this.name = 'MissingHashError'
  }
}

/** Checkpoint text (or a checkpoint to be formatted) that breaks C2SP tlog-checkpoint. */
export class InvalidCheckpointError extends PorchlightError {
  static override readonly code = 'INVALID_CHECKPOINT'
  static override readonly status = 400
  constructor (field: string, reason: string, details: Record<string, unknown> = {}) {
    super(InvalidCheckpointError.code, `invalid checkpoint ${field}: ${reason}`, { details: { field, reason, ...details } })
    this.name = 'InvalidCheckpointError'
  }
}

/** Text that is not a well-formed C2SP signed note. */
export class InvalidNoteError extends PorchlightError {
  static override readonly code = 'INVALID_NOTE'
  static override readonly status = 400
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(InvalidNoteError.code, `invalid signed note: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidNoteError'
  }
}

/** A checkpoint from another log than the one expected. */
export class WrongOriginError extends PorchlightError {
  static override readonly code = 'WRONG_ORIGIN'
  static override readonly status = 422
  constructor (expected: string, value: string) {
    super(WrongOriginError.code, 'checkpoint origin is not the expected one', { details: { field: 'origin', expected, value } })
    this.name = 'WrongOriginError'
  }
}

/** A checkpoint signed by (or for) another key than the agency's. */
export class WrongSignerError extends PorchlightError {
  static override readonly code = 'WRONG_SIGNER'
  static override readonly status = 422
  constructor (expected: string, value: string) {
    super(WrongSignerError.code, 'checkpoint is not signed by the expected agency', { details: { field: 'signer', expected, value } })
    this.name = 'WrongSignerError'
  }
}

/** A note carries no signature line by the expected key (name and key id). */
export class MissingSignatureError extends PorchlightError {
  static override readonly code = 'MISSING_SIGNATURE'
  static override readonly status = 422
  constructor (keyName: string, keyId: number) {
    super(MissingSignatureError.code, 'note has no signature by the expected key', { details: { keyName, keyId } })
    this.name = 'MissingSignatureError'
  }
}

/** A signature line by the expected key whose bytes are not a valid signature. */
export class InvalidCheckpointSignatureError extends PorchlightError {
  static override readonly code = 'INVALID_CHECKPOINT_SIGNATURE'
  static override readonly status = 422
  constructor (reason: string, options: { cause?: unknown } = {}) {
    super(InvalidCheckpointSignatureError.code, `invalid checkpoint signature: ${reason}`, { ...options, details: { reason } })
    this.name = 'InvalidCheckpointSignatureError'
  }
}

/** A path that is not a canonical C2SP tlog-tiles path. */
export class InvalidTilePathError extends PorchlightError {
  static override readonly code = 'INVALID_TILE_PATH'
  static override readonly status = 400
  constructor (path: string, reason: string) {
    super(InvalidTilePathError.code, `invalid tile path: ${reason}`, { details: { field: 'path', value: path, reason } })
    this.name = 'InvalidTilePathError'
  }
}

/** Tile or entry-bundle bytes that do not decode to the expected width. */
export class InvalidTileError extends PorchlightError {
  static override readonly code = 'INVALID_TILE'
  static override readonly status = 400
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(InvalidTileError.code, `invalid tile: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidTileError'
  }
}

/** A log entry too long for an entry bundle's uint16 length prefix. */
export class EntryTooLargeError extends PorchlightError {
  static override readonly code = 'ENTRY_TOO_LARGE'
  static override readonly status = 422
  constructor (size: number, limit: number) {
    super(EntryTooLargeError.code, 'log entry longer than an entry bundle allows', { details: { field: 'entry', value: size, limit } })
    this.name = 'EntryTooLargeError'
  }
}

/** A cosignature line whose bytes are not a C2SP tlog-cosignature/v1 timestamped Ed25519 signature. */
export class InvalidCosignatureError extends PorchlightError {
  static override readonly code = 'INVALID_COSIGNATURE'
  static override readonly status = 400
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(InvalidCosignatureError.code, `invalid cosignature: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidCosignatureError'
  }
}

/** A cosignature signed under another key name than the witness expected. */
export class WrongCosignerError extends PorchlightError {
  static override readonly code = 'WRONG_COSIGNER'
  static override readonly status = 422
  constructor (expected: string, value: string) {
    super(WrongCosignerError.code, 'cosignature is not by the expected witness', { details: { field: 'name', expected, value } })
    this.name = 'WrongCosignerError'
  }
}

/** A cosignature whose key id is not that of the witness's key under cosignature/v1. */
export class WrongCosignerKeyIdError extends PorchlightError {
  static override readonly code = 'WRONG_COSIGNER_KEY_ID'
  static override readonly status = 422
  constructor (expected: number, value: number) {
    super(WrongCosignerKeyIdError.code, 'cosignature key id is not the expected witness key\'s', { details: { field: 'keyId', expected, value } })
    this.name = 'WrongCosignerKeyIdError'
  }
}

/** A well-formed cosignature by the expected witness key whose Ed25519 signature does not verify. */
export class ForgedCosignatureError extends PorchlightError {
  static override readonly code = 'FORGED_COSIGNATURE'
  static override readonly status = 422
  constructor (name: string, keyId: number) {
    super(ForgedCosignatureError.code, 'cosignature does not verify under the witness key', { details: { name, keyId } })
    this.name = 'ForgedCosignatureError'
  }
}

/** A witness key (Ed25519 public or secret key) that is not 32 bytes or not a valid key. */
export class InvalidWitnessKeyError extends PorchlightError {
  static override readonly code = 'INVALID_WITNESS_KEY'
  static override readonly status = 400
  constructor (field: string, reason: string, options: { cause?: unknown } = {}) {
    super(InvalidWitnessKeyError.code, `invalid witness ${field}: ${reason}`, { ...options, details: { field, reason } })
    this.name = 'InvalidWitnessKeyError'
  }
}

/** Text that is not a C2SP signed-note verifier key `<name>+<hex key id>+<base64(type ‖ key)>`. */
export class InvalidVerifierKeyError extends PorchlightError {
  static override readonly code = 'INVALID_VERIFIER_KEY'
  static override readonly status = 400
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(InvalidVerifierKeyError.code, `invalid verifier key: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidVerifierKeyError'
  }
}

/** What a failed quorum check reports: cosignatures needed, valid ones in the window, valid ones outside it. */
export interface QuorumDetails {
  required: number
  valid: number
  outsideWindow: number
}

/** A checkpoint without enough valid cosignatures from distinct registered witnesses. */
export class WitnessQuorumNotMetError extends PorchlightError {
  static override readonly code = 'WITNESS_QUORUM_NOT_MET'
  static override readonly status = 422
  declare readonly details: QuorumDetails & Record<string, unknown>
  constructor (details: QuorumDetails) {
    super(WitnessQuorumNotMetError.code, 'checkpoint lacks a quorum of witness cosignatures', { details: { ...details } })
    this.name = 'WitnessQuorumNotMetError'
  }
}

/**
 * Enough valid cosignatures, but too few made within the window of the message's `issuedAt`: the witnesses
 * cosigned this checkpoint too early or too late for it to vouch for this message.
 */
export class CosignatureOutOfWindowError extends PorchlightError {
  static override readonly code = 'COSIGNATURE_OUT_OF_WINDOW'
  static override readonly status = 422
  declare readonly details: QuorumDetails & { notBefore: number, notAfter: number } & Record<string, unknown>
  constructor (details: QuorumDetails & { notBefore: number, notAfter: number }) {
    super(CosignatureOutOfWindowError.code, 'witness cosignatures were made outside the allowed window', { details: { ...details } })
    this.name = 'CosignatureOutOfWindowError'
  }
}

/** The council has not set a quorum (k = 0): no checkpoint can count, through no fault of whoever sent it. */
export class NoWitnessQuorumError extends PorchlightError {
  static override readonly code = 'NO_WITNESS_QUORUM'
  static override readonly status = 503
  constructor () {
    super(NoWitnessQuorumError.code, 'no witness quorum is set')
    this.name = 'NoWitnessQuorumError'
  }
}

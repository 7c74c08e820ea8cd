// The typed failures of the envelope (age-format clip encryption). Callers match on `name` or `code`.
import { PorchlightError } from '../errors.js'

/** A string that is not an age recipient (`age1…`) the library can encrypt to. */
export class InvalidRecipientError extends PorchlightError {
  static override readonly code = 'INVALID_AGE_RECIPIENT'
  static override readonly status = 400
  constructor (details: Record<string, unknown> = {}, cause?: unknown) {
    super(InvalidRecipientError.code, 'not a valid age recipient', { details, cause })
    this.name = 'InvalidRecipientError'
  }
}

/** A string or identity-file line that is not an age identity (`AGE-SECRET-KEY-1…`). */
export class InvalidIdentityError extends PorchlightError {
  static override readonly code = 'INVALID_AGE_IDENTITY'
  static override readonly status = 400
  constructor (details: Record<string, unknown> = {}, cause?: unknown) {
    super(InvalidIdentityError.code, 'not a valid age identity', { details, cause })
    this.name = 'InvalidIdentityError'
  }
}

/** The age header is malformed, too long, or its MAC does not verify. */
export class EnvelopeHeaderError extends PorchlightError {
  static override readonly code = 'ENVELOPE_HEADER_INVALID'
  static override readonly status = 400
  constructor (details: Record<string, unknown> = {}, cause?: unknown) {
    super(EnvelopeHeaderError.code, 'invalid age header', { details, cause })
    this.name = 'EnvelopeHeaderError'
  }
}

/** None of the given identities can unwrap the file key: the clip was encrypted to someone else. */
export class EnvelopeNoMatchingIdentityError extends PorchlightError {
  static override readonly code = 'ENVELOPE_NO_MATCHING_IDENTITY'
  static override readonly status = 422
  constructor (details: Record<string, unknown> = {}) {
    super(EnvelopeNoMatchingIdentityError.code, 'no identity matches the age file', { details })
    this.name = 'EnvelopeNoMatchingIdentityError'
  }
}

/**
 * A payload chunk does not authenticate (a flipped byte, reordered or foreign chunks, a cut inside a chunk)
 * or breaks the STREAM rules (an empty final chunk after data). No plaintext of that chunk is released.
 */
export class EnvelopeDecryptError extends PorchlightError {
  static override readonly code = 'ENVELOPE_DECRYPT_FAILED'
  static override readonly status = 422
  constructor (details: Record<string, unknown> = {}) {
    super(EnvelopeDecryptError.code, 'age payload does not authenticate', { details })
    this.name = 'EnvelopeDecryptError'
  }
}

/**
 * The ciphertext ends before its final chunk: inside the header or nonce, with fewer bytes than a tag, or
 * exactly after a chunk that authenticates as a non-final one (a cut at a chunk boundary).
 */
export class EnvelopeTruncatedError extends PorchlightError {
  static override readonly code = 'ENVELOPE_TRUNCATED'
  static override readonly status = 400
  constructor (details: Record<string, unknown> = {}) {
    super(EnvelopeTruncatedError.code, 'age file is truncated', { details })
    this.name = 'EnvelopeTruncatedError'
  }
}

/** The output stream was cancelled by its reader before the clip was complete. */
export class EnvelopeAbortedError extends PorchlightError {
  static override readonly code = 'ENVELOPE_ABORTED'
  static override readonly status = 500
  constructor (details: Record<string, unknown> = {}, cause?: unknown) {
    super(EnvelopeAbortedError.code, 'envelope stream cancelled before the end', { details, cause })
    this.name = 'EnvelopeAbortedError'
  }
}

/** A size that cannot be a clip's or an age file's size (negative, fractional, or impossible for STREAM). */
export class EnvelopeSizeError extends PorchlightError {
  static override readonly code = 'ENVELOPE_INVALID_SIZE'
  static override readonly status = 400
  constructor (details: Record<string, unknown> = {}) {
    super(EnvelopeSizeError.code, 'impossible envelope size', { details })
    this.name = 'EnvelopeSizeError'
  }
}

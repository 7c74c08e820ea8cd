// The typed failures of the envelope (age-format clip encryption). Callers match on `name` or `code`.
import { PorchlightError } from '../errors.js'

/** A string that is not an age recipient (`age1…`) the library can encrypt to. */
export class InvalidRecipientError extends PorchlightError {
  constructor (details: Record<string, unknown> = {}, cause?: unknown) {
    super('INVALID_AGE_RECIPIENT', 'not a valid age recipient', { details, cause })
    this.name = 'InvalidRecipientError'
  }
}

/** A string or identity-file line that is not an age identity (`AGE-SECRET-KEY-1…`). */
export class InvalidIdentityError extends PorchlightError {
  constructor (details: Record<string, unknown> = {}, cause?: unknown) {
    super('INVALID_AGE_IDENTITY', 'not a valid age identity', { details, cause })
    this.name = 'InvalidIdentityError'
  }
}

/** The age header is malformed, too long, or its MAC does not verify. */
export class EnvelopeHeaderError extends PorchlightError {
  constructor (details: Record<string, unknown> = {}, cause?: unknown) {
    super('ENVELOPE_HEADER_INVALID', 'invalid age header', { details, cause })
    this.name = 'EnvelopeHeaderError'
  }
}

/** None of the given identities can unwrap the file key: the clip was encrypted to someone else. */
export class EnvelopeNoMatchingIdentityError extends PorchlightError {
  constructor (details: Record<string, unknown> = {}) {
    super('ENVELOPE_NO_MATCHING_IDENTITY', 'no identity matches the age file', { details })
    this.name = 'EnvelopeNoMatchingIdentityError'
  }
}

/**
 * A payload chunk does not authenticate (a flipped byte, reordered or foreign chunks, a cut inside a chunk)
 * or breaks the STREAM rules (an empty final chunk after data). No plaintext of that chunk is released.
 */
export class EnvelopeDecryptError extends PorchlightError {
  constructor (details: Record<string, unknown> = {}) {
    super('ENVELOPE_DECRYPT_FAILED', 'age payload does not authenticate', { details })
    this.name = 'EnvelopeDecryptError'
  }
}

/**
 * The ciphertext ends before its final chunk: inside the header or nonce, with fewer bytes than a tag, or
 * exactly after a chunk that authenticates as a non-final one (a cut at a chunk boundary).
 */
export class EnvelopeTruncatedError extends PorchlightError {
  constructor (details: Record<string, unknown> = {}) {
    super('ENVELOPE_TRUNCATED', 'age file is truncated', { details })
    this.name = 'EnvelopeTruncatedError'
  }
}

/** The output stream was cancelled by its reader before the clip was complete. */
export class EnvelopeAbortedError extends PorchlightError {
  constructor (details: Record<string, unknown> = {}, cause?: unknown) {
    super('ENVELOPE_ABORTED', 'envelope stream cancelled before the end', { details, cause })
    this.name = 'EnvelopeAbortedError'
  }
}

/** A size that cannot be a clip's or an age file's size (negative, fractional, or impossible for STREAM). */
export class EnvelopeSizeError extends PorchlightError {
  constructor (details: Record<string, unknown> = {}) {
    super('ENVELOPE_INVALID_SIZE', 'impossible envelope size', { details })
    this.name = 'EnvelopeSizeError'
  }
}

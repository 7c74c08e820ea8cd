import { PorchlightError } from '../errors.js'

/** The bytes are not dag-cbor at all (truncated, trailing bytes, an unsupported type, a bad tag). */
export class MalformedEncodingError extends PorchlightError {
  static override readonly code = 'MALFORMED_ENCODING'
  static override readonly status = 400
  constructor (reason: string, options: { cause?: unknown } = {}) {
    super(MalformedEncodingError.code, `malformed dag-cbor: ${reason}`, { ...options, details: { reason } })
    this.name = 'MalformedEncodingError'
  }
}

/**
 * The bytes decode, but are not the one encoding dag-cbor gives their value. Message ids are hashes of
 * bytes, so accepting a second encoding of a message would give it a second id.
 */
export class NonCanonicalEncodingError extends PorchlightError {
  static override readonly code = 'NON_CANONICAL_ENCODING'
  static override readonly status = 400
  constructor () {
    super(NonCanonicalEncodingError.code, 'dag-cbor input is not in canonical form')
    this.name = 'NonCanonicalEncodingError'
  }
}

/** A CID string or digest that is not what the caller asked for (version, codec, hash, base). */
export class InvalidCidError extends PorchlightError {
  static override readonly code = 'INVALID_CID'
  static override readonly status = 400
  constructor (reason: string, value?: unknown) {
    super(InvalidCidError.code, `invalid CID: ${reason}`, { details: { reason, value } })
    this.name = 'InvalidCidError'
  }
}

/** A string that is not hex bytes (an odd number of digits, a character that is not a hex digit). */
export class InvalidHexError extends PorchlightError {
  static override readonly code = 'INVALID_HEX'
  static override readonly status = 400
  constructor (value: string, cause?: unknown) {
    super(InvalidHexError.code, 'not hex bytes', { cause, details: { value: value.length <= 100 ? value : `${value.slice(0, 100)}…` } })
    this.name = 'InvalidHexError'
  }
}

import { PorchlightError } from '../errors.js'

/** The bytes are not dag-cbor at all (truncated, trailing bytes, an unsupported type, a bad tag). */
export class MalformedEncodingError extends PorchlightError {
  constructor (reason: string, options: { cause?: unknown } = {}) {
    super('MALFORMED_ENCODING', `malformed dag-cbor: ${reason}`, { ...options, details: { reason } })
    this.name = 'MalformedEncodingError'
  }
}

/**
 * The bytes decode, but are not the one encoding dag-cbor gives their value. Message ids are hashes of
 * bytes, so accepting a second encoding of a message would give it a second id.
 */
export class NonCanonicalEncodingError extends PorchlightError {
  constructor () {
    super('NON_CANONICAL_ENCODING', 'dag-cbor input is not in canonical form')
    this.name = 'NonCanonicalEncodingError'
  }
}

/** A CID string or digest that is not what the caller asked for (version, codec, hash, base). */
export class InvalidCidError extends PorchlightError {
  constructor (reason: string, value?: unknown) {
    super('INVALID_CID', `invalid CID: ${reason}`, { details: { reason, value } })
    this.name = 'InvalidCidError'
  }
}

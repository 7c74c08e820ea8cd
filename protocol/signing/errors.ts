import { PorchlightError } from '../errors.js'

/** A signature that is malformed, malleable (high s), unrecoverable, or made by someone else. */
export class InvalidSignatureError extends PorchlightError {
  static override readonly code = 'INVALID_SIGNATURE'
  static override readonly status = 422
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(InvalidSignatureError.code, `invalid signature: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidSignatureError'
  }
}

/** Not a 20-byte hex address, or a mixed-case address whose EIP-55 checksum is wrong. */
export class InvalidAddressError extends PorchlightError {
  static override readonly code = 'INVALID_ADDRESS'
  static override readonly status = 400
  constructor (value: unknown, reason = 'not an address') {
    super(InvalidAddressError.code, `invalid address: ${reason}`, { details: { reason, value } })
    this.name = 'InvalidAddressError'
  }
}

export class InvalidPrivateKeyError extends PorchlightError {
  static override readonly code = 'INVALID_PRIVATE_KEY'
  static override readonly status = 400
  constructor (reason: string) {
    super(InvalidPrivateKeyError.code, `invalid private key: ${reason}`, { details: { reason } })
    this.name = 'InvalidPrivateKeyError'
  }
}

/** A value that does not fit its EIP-712 type (a wrong type, a number out of range, a bad domain). */
export class InvalidTypedDataError extends PorchlightError {
  static override readonly code = 'INVALID_TYPED_DATA'
  static override readonly status = 400
  constructor (field: string, reason: string) {
    super(InvalidTypedDataError.code, `invalid typed data at ${field}: ${reason}`, { details: { field, reason } })
    this.name = 'InvalidTypedDataError'
  }
}

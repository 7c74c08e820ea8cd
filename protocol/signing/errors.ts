import { PorchlightError } from '../errors.js'

/** A signature that is malformed, malleable (high s), unrecoverable, or made by someone else. */
export class InvalidSignatureError extends PorchlightError {
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super('INVALID_SIGNATURE', `invalid signature: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidSignatureError'
  }
}

/** Not a 20-byte hex address, or a mixed-case address whose EIP-55 checksum is wrong. */
export class InvalidAddressError extends PorchlightError {
  constructor (value: unknown, reason = 'not an address') {
    super('INVALID_ADDRESS', `invalid address: ${reason}`, { details: { reason, value } })
    this.name = 'InvalidAddressError'
  }
}

export class InvalidPrivateKeyError extends PorchlightError {
  constructor (reason: string) {
    super('INVALID_PRIVATE_KEY', `invalid private key: ${reason}`, { details: { reason } })
    this.name = 'InvalidPrivateKeyError'
  }
}

/** A value that does not fit its EIP-712 type (a wrong type, a number out of range, a bad domain). */
export class InvalidTypedDataError extends PorchlightError {
  constructor (field: string, reason: string) {
    super('INVALID_TYPED_DATA', `invalid typed data at ${field}: ${reason}`, { details: { field, reason } })
    this.name = 'InvalidTypedDataError'
  }
}

import { PorchlightError } from '../errors.js'

/**
 * A decoded value that is not the message it claims to be: a missing or unknown field, a wrong type, a
 * number out of range, a bad format. `details.field` names the field (`message.clips[2].size`).
 */
export class MalformedMessageError extends PorchlightError {
  static override readonly code = 'MALFORMED_MESSAGE'
  static override readonly status = 400
  constructor (field: string, reason: string, options: { cause?: unknown, value?: unknown } = {}) {
    super(MalformedMessageError.code, `malformed message: ${field === '' ? '(root)' : field}: ${reason}`, {
      cause: options.cause,
      details: { field, reason, ...(shortValue(options.value) ? { value: options.value } : {}) }
    })
    this.name = 'MalformedMessageError'
  }
}

/** Encoded bytes larger than the limit for their kind, rejected before decoding. */
export class MessageTooLargeError extends PorchlightError {
  static override readonly code = 'MESSAGE_TOO_LARGE'
  static override readonly status = 422
  constructor (kind: string, size: number, limit: number) {
    super(MessageTooLargeError.code, `${kind} is ${size} bytes, limit ${limit}`, { details: { field: kind, size, limit } })
    this.name = 'MessageTooLargeError'
  }
}

// Details are logged and returned over the API: keep only small scalar values.
function shortValue (value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 100)
}

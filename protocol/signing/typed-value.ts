// A message as EIP-712 values: what is hashed and signed, and what toEip712Json shows a wallet.
import { cellToUint64 } from '../geo/uint64.js'
import type { Consent, DeletionRequest, Receipt, Request, Withdrawal } from '../messages/types.js'
import { InvalidTypedDataError } from './errors.js'
import type { SignableKind } from './types.js'

/** The message type of each signed kind. */
export interface SignableMessages {
  Request: Request
  Withdrawal: Withdrawal
  Consent: Consent
  Receipt: Receipt
  DeletionRequest: DeletionRequest
}

/** The message as EIP-712 values: H3 cells become uint64 (as the contracts store them). */
export function toTypedValue<K extends SignableKind> (kind: K, message: SignableMessages[K]): Record<string, unknown> {
  if (kind !== 'Request') return message as unknown as Record<string, unknown>
  const request = message as Request
  if (!Array.isArray(request.cells)) throw new InvalidTypedDataError('Request.cells', 'must be an array')
  try {
    return { ...request, cells: request.cells.map(cellToUint64) }
  } catch {
    throw new InvalidTypedDataError('Request.cells', 'must be H3 cells')
  }
}

/** The field of a message that names its own signer, where it has one. */
export const SIGNER_FIELD: Partial<Record<SignableKind, 'agency' | 'consentKey'>> = {
  Request: 'agency',
  Withdrawal: 'agency',
  Consent: 'consentKey'
}

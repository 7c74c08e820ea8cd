// Signing and recovering EIP-712 Porchlight messages with secp256k1 (noble). Requests and withdrawals
// are signed by the agency key, consents and deletion requests by the per-consent key, receipts by
// the agency.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { hexToBytes } from '@noble/hashes/utils.js'
import { cellToUint64 } from '../geo/uint64.js'
import type { Consent, DeletionRequest, Receipt, Request, Signed, Withdrawal } from '../messages/types.js'
import { addressFromPublicKey } from './address.js'
import { InvalidPrivateKeyError, InvalidSignatureError, InvalidTypedDataError } from './errors.js'
import { formatSignature, parseSignature } from './signature.js'
import { hashTypedValue } from './typed-data.js'
import type { Domain, SignableKind } from './types.js'

/** The message type of each signed kind. */
export interface SignableMessages {
  Request: Request
  Withdrawal: Withdrawal
  Consent: Consent
  Receipt: Receipt
  DeletionRequest: DeletionRequest
}

/** The field of a message that names its own signer, where it has one. */
const SIGNER_FIELD: Partial<Record<SignableKind, 'agency' | 'consentKey'>> = {
  Request: 'agency',
  Withdrawal: 'agency',
  Consent: 'consentKey'
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

/** The 32-byte EIP-712 digest of a message in a domain. */
export function hashTypedData<K extends SignableKind> (kind: K, message: SignableMessages[K], domain: Domain): Uint8Array {
  return hashTypedValue(kind, toTypedValue(kind, message), domain)
}

function privateKeyBytes (privateKey: Uint8Array | string): Uint8Array {
  let bytes: Uint8Array
  if (typeof privateKey === 'string') {
    if (!/^0x[0-9a-fA-F]{64}$/.test(privateKey)) throw new InvalidPrivateKeyError('must be 32 bytes of 0x hex')
    bytes = hexToBytes(privateKey.slice(2))
  } else {
    bytes = privateKey
  }
  if (!(bytes instanceof Uint8Array) || !secp256k1.utils.isValidSecretKey(bytes)) throw new InvalidPrivateKeyError('not a secp256k1 secret key')
  return bytes
}

/** The checksummed address of a private key. */
export function addressOfPrivateKey (privateKey: Uint8Array | string): string {
  return addressFromPublicKey(secp256k1.getPublicKey(privateKeyBytes(privateKey), false))
}

/**
 * Signs a message. When the message names its signer (`agency`, `consentKey`), the key must be that
 * signer's: a signature by anyone else would only be rejected later.
 */
export function signTyped<K extends SignableKind> (kind: K, message: SignableMessages[K], domain: Domain, privateKey: Uint8Array | string): Signed<SignableMessages[K]> {
  const key = privateKeyBytes(privateKey)
  const field = SIGNER_FIELD[kind]
  if (field !== undefined) {
    const named = (message as unknown as Record<string, unknown>)[field]
    const own = addressFromPublicKey(secp256k1.getPublicKey(key, false))
    if (typeof named !== 'string' || named.toLowerCase() !== own.toLowerCase()) {
      throw new InvalidPrivateKeyError(`key is not the ${field} named in the message`)
    }
  }
  const digest = hashTypedData(kind, message, domain)
  const recovered = secp256k1.sign(digest, key, { prehash: false, format: 'recovered', lowS: true })
  return { message, signature: formatSignature(recovered) }
}

/** The address that signed a message (any well-formed signature recovers to some address). */
export function recoverSigner<K extends SignableKind> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain): string {
  const sig = parseSignature(signed.signature)
  const digest = hashTypedData(kind, signed.message, domain)
  let publicKey: Uint8Array
  try {
    publicKey = secp256k1.Signature.fromBytes(sig, 'recovered').recoverPublicKey(digest).toBytes(false)
  } catch (err) {
    throw new InvalidSignatureError('no public key recovers from it', { cause: String(err) })
  }
  return addressFromPublicKey(publicKey)
}

type SelfSigned = 'Request' | 'Withdrawal' | 'Consent'

/**
 * Verifies a signed message and returns its signer. The signer must be `expectedSigner` if given, and
 * the message's own `agency`/`consentKey` where it has one; receipts and deletion requests name no
 * signer, so for them the caller must say whose signature it expects.
 */
export function verifySigned<K extends SelfSigned> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain, expectedSigner?: string): string
export function verifySigned<K extends SignableKind> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain, expectedSigner: string): string
export function verifySigned<K extends SignableKind> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain, expectedSigner?: string): string {
  const field = SIGNER_FIELD[kind]
  const named = field === undefined ? undefined : (signed.message as unknown as Record<string, unknown>)[field]
  if (expectedSigner === undefined && named === undefined) throw new InvalidSignatureError('no expected signer given', { kind })
  const signer = recoverSigner(kind, signed, domain)
  for (const want of [named, expectedSigner]) {
    if (want !== undefined && (typeof want !== 'string' || want.toLowerCase() !== signer.toLowerCase())) {
      throw new InvalidSignatureError('signed by someone else', { signer, expected: want })
    }
  }
  return signer
}

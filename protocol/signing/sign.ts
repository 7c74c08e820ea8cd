// Signing and recovering EIP-712 Porchlight messages with secp256k1 (noble). Requests and withdrawals
// are signed by the agency key, consents and deletion requests by the per-consent key, receipts by
// the agency.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { hexToBytes } from '@noble/hashes/utils.js'
import type { Signed } from '../messages/types.js'
import { addressFromPublicKey } from './address.js'
import { InvalidPrivateKeyError } from './errors.js'
import { formatSignature } from './signature.js'
import { SIGNER_FIELD, toTypedValue, type SignableMessages } from './typed-value.js'
import type { Domain, SignableKind } from './types.js'
import { SignatureVerifier, type SelfSigned } from './verifier.js'

export { toTypedValue, type SignableMessages }

// noble's, keeping no keys: the plain functions stay free of state (a node that wants the cache makes its own
// SignatureVerifier, network/announcement-validator.ts).
const plain = new SignatureVerifier({ knownKeys: 0 })

/** The 32-byte EIP-712 digest of a message in a domain. */
export function hashTypedData<K extends SignableKind> (kind: K, message: SignableMessages[K], domain: Domain): Uint8Array {
  return plain.digest(kind, message, domain)
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
  return plain.recover(kind, signed, domain)
}

/**
 * Verifies a signed message and returns its signer. The signer must be `expectedSigner` if given, and
 * the message's own `agency`/`consentKey` where it has one; receipts and deletion requests name no
 * signer, so for them the caller must say whose signature it expects.
 */
export function verifySigned<K extends SelfSigned> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain, expectedSigner?: string): string
export function verifySigned<K extends SignableKind> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain, expectedSigner: string): string
export function verifySigned<K extends SignableKind> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain, expectedSigner?: string): string {
  return plain.verify(kind, signed, domain, expectedSigner as string)
}

// Signature checks where the signer is known (issue 22). A relay validates every request it forwards, and
// nearly all of them come from a handful of agencies: it recovers an agency's public key once, from a
// signature that checked out, and from then on *confirms* against it: ECDSA verification plus the recovery
// bit (SigningBackend.confirm says why v must be checked too). Which signatures are accepted does not change:
// the same parsing (hex, v, low s, r and s in range) runs first, and a signature that does not confirm under
// the address's known key is not that address's (an address is the hash of one key). What this saves depends on the backend:
// noble skips decompressing R (docs/messages.md has the figures); libsecp256k1 has no verification that
// yields R, so its confirm is a recovery and the saving is the address's Keccak.
import { addressFromPublicKey } from './address.js'
import { nobleBackend, type SigningBackend } from './backend.js'
import { InvalidSignatureError } from './errors.js'
import { parseSignature } from './signature.js'
import { SIGNER_FIELD, toTypedValue, type SignableMessages } from './typed-value.js'
import { hashTypedValue } from './typed-data.js'
import type { Domain, SignableKind } from './types.js'
import type { Signed } from '../messages/types.js'

// Kept by key: the signers that sign again and again (an agency). A consent key signs one consent and its
// deletion requests: keeping it would only push out the agencies.
const LONG_LIVED = new Set<SignableKind>(['Request', 'Withdrawal', 'Receipt'])

/** The kinds whose message names its signer. */
export type SelfSigned = 'Request' | 'Withdrawal' | 'Consent'

export interface SignatureVerifierInit {
  /** @default noble's (protocol's own, pure) */
  backend?: SigningBackend
  /**
   * How many signers' public keys to keep (by address). A consent key signs once, so only the signers that
   * were *expected* by name are kept: agencies, checkpoint signers. 0 keeps none. @default 256
   */
  knownKeys?: number
}

export class SignatureVerifier {
  readonly backend: SigningBackend
  /** By lowercase address: the public key and the address as checksummed. */
  readonly #known = new Map<string, { publicKey: Uint8Array, signer: string }>()
  readonly #capacity: number

  constructor (init: SignatureVerifierInit = {}) {
    this.backend = init.backend ?? nobleBackend
    this.#capacity = init.knownKeys ?? 256
  }

  /** The 32-byte EIP-712 digest of a message in a domain, hashed with this verifier's backend. */
  digest<K extends SignableKind> (kind: K, message: SignableMessages[K], domain: Domain): Uint8Array {
    return hashTypedValue(kind, toTypedValue(kind, message), domain, this.backend.keccak256)
  }

  /** The address that signed a message (any well-formed signature recovers to some address). */
  recover<K extends SignableKind> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain): string {
    const sig = parseSignature(signed.signature)
    return this.#recover(sig, this.digest(kind, signed.message, domain))
  }

  /**
   * Verifies a signed message and returns its signer. The signer must be `expectedSigner` if given, and the
   * message's own `agency`/`consentKey` where it has one; receipts and deletion requests name no signer, so
   * for them the caller says whose signature it expects.
   */
  verify<K extends SelfSigned> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain, expectedSigner?: string): string
  verify<K extends SignableKind> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain, expectedSigner: string): string
  verify<K extends SignableKind> (kind: K, signed: Signed<SignableMessages[K]>, domain: Domain, expectedSigner?: string): string {
    const field = SIGNER_FIELD[kind]
    const named = field === undefined ? undefined : (signed.message as unknown as Record<string, unknown>)[field]
    if (expectedSigner === undefined && named === undefined) throw new InvalidSignatureError('no expected signer given', { kind })
    const sig = parseSignature(signed.signature)
    const digest = this.digest(kind, signed.message, domain)
    const want = [named, expectedSigner].filter((w) => w !== undefined)
    for (const w of want) if (typeof w !== 'string') throw new InvalidSignatureError('signed by someone else', { expected: w })
    const address = (want[0] as string).toLowerCase()
    if (want.some((w) => (w as string).toLowerCase() !== address)) {
      // The message names one signer and the caller expects another: no signature can satisfy both.
      throw new InvalidSignatureError('signed by someone else', { signer: this.#recover(sig, digest), expected: expectedSigner })
    }
    const known = this.#known.get(address)
    if (known !== undefined) {
      if (this.backend.confirm(sig.subarray(1), sig[0]!, digest, known.publicKey)) return known.signer
      // Not the known key's, so not the address's (one key per address): refused without the recovery that
      // would name the key it is (a forger's flood costs one curve operation per message, not two).
      throw new InvalidSignatureError('signed by someone else', { expected: want[0] })
    }
    const { publicKey, signer } = this.#recoverKey(sig, digest)
    if (signer.toLowerCase() !== address) throw new InvalidSignatureError('signed by someone else', { signer, expected: want[0] })
    if (LONG_LIVED.has(kind)) this.#keep(address, publicKey, signer)
    return signer
  }

  /**
   * Recovers the signer of a compact signature r ‖ s with recovery bit over `digest` (the checks on the
   * signature's form are the caller's), using the known key of `expected` first. Answers the lowercase address
   * that signed, or throws. For signatures made over other digests than EIP-712 (a checkpoint's EIP-191).
   */
  signerOf (compact: Uint8Array, recovery: number, digest: Uint8Array, expected: string): string {
    const address = expected.toLowerCase()
    const known = this.#known.get(address)
    if (known !== undefined && this.backend.confirm(compact, recovery, digest, known.publicKey)) return address
    const publicKey = this.backend.recover(compact, recovery, digest)
    const signer = addressFromPublicKey(publicKey)
    if (signer.toLowerCase() === address) this.#keep(address, publicKey, signer)
    return signer.toLowerCase()
  }

  #recover (sig: Uint8Array, digest: Uint8Array): string {
    return this.#recoverKey(sig, digest).signer
  }

  #recoverKey (sig: Uint8Array, digest: Uint8Array): { publicKey: Uint8Array, signer: string } {
    let publicKey: Uint8Array
    try {
      publicKey = this.backend.recover(sig.subarray(1), sig[0]!, digest)
    } catch (err) {
      throw new InvalidSignatureError('no public key recovers from it', { cause: String(err) })
    }
    return { publicKey, signer: addressFromPublicKey(publicKey) }
  }

  #keep (address: string, publicKey: Uint8Array, signer: string): void {
    if (this.#capacity === 0) return
    // The oldest kept goes first; a key verified since is still kept, and costs one recovery if it went.
    if (this.#known.size >= this.#capacity) this.#known.delete(this.#known.keys().next().value!)
    this.#known.set(address, { publicKey, signer })
  }
}

// The curve and hash work behind every signature check, behind one interface so that it can be swapped:
// protocol's own is noble's (pure JavaScript, what a browser runs); a node passes libsecp256k1 and a native
// Keccak (node/crypto/signing-backend.ts), ~25× faster at the curve work (issue 22). Every check around the
// curve work (hex form, v, low s, r and s in range, the signer) stays in protocol, so both backends refuse
// the same signatures: an implementation only computes.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToNumberBE } from '@noble/curves/utils.js'

// Function-typed properties, not methods: each is passed on its own (`hashTypedValue(…, backend.keccak256)`).
export interface SigningBackend {
  /** Keccak-256 (Ethereum's, not SHA3-256) of `data`. */
  readonly keccak256: (data: Uint8Array) => Uint8Array
  /**
   * The uncompressed (65-byte) public key that made the compact signature r ‖ s (64 bytes) with recovery
   * bit `recovery` (0 or 1) over a 32-byte digest; throws when none does.
   */
  readonly recover: (signature: Uint8Array, recovery: number, digest: Uint8Array) => Uint8Array
  /**
   * Whether the compact signature r ‖ s with recovery bit `recovery` over `digest` is the uncompressed
   * public key's: exactly what recovering it would say, v included. Plain ECDSA verification ignores v, so
   * a flipped v — a second spelling, and a second message id, of one signature — would pass it.
   */
  readonly confirm: (signature: Uint8Array, recovery: number, digest: Uint8Array, publicKey: Uint8Array) => boolean
}

const { Point } = secp256k1
const Fn = Point.Fn
// The points of the public keys confirmed against, by the bytes' object (a SignatureVerifier passes the one it
// keeps), so each is decoded once.
const points = new WeakMap<Uint8Array, InstanceType<typeof Point>>()

/**
 * R = (z/s)·G + (r/s)·Q, as ECDSA verification computes it, then R's x must be r itself and R's y parity the
 * recovery bit: then recovery, which lifts R from r and that bit, would give back Q.
 */
function nobleConfirm (signature: Uint8Array, recovery: number, digest: Uint8Array, publicKey: Uint8Array): boolean {
  let sig: ReturnType<typeof secp256k1.Signature.fromBytes>
  try { sig = secp256k1.Signature.fromBytes(signature, 'compact') } catch { return false }
  let q = points.get(publicKey)
  if (q === undefined) {
    try { q = Point.fromBytes(publicKey) } catch { return false }
    points.set(publicKey, q)
  }
  const z = Fn.create(bytesToNumberBE(digest))
  const sInverse = Fn.inv(sig.s)
  const r = Point.BASE.mulAddUnsafe(Fn.mul(z, sInverse), q, Fn.mul(sig.r, sInverse))
  if (r.is0()) return false
  const { x, y } = r.toAffine()
  return x === sig.r && Number(y & 1n) === recovery
}

/** noble's, for the browser and wherever no faster one is given. */
export const nobleBackend: SigningBackend = {
  keccak256: keccak_256,
  recover: (signature, recovery, digest) =>
    secp256k1.Signature.fromBytes(signature, 'compact').addRecoveryBit(recovery).recoverPublicKey(digest).toBytes(false),
  confirm: nobleConfirm
}

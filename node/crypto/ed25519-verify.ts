// Ed25519 verification through OpenSSL (node:crypto), for the cosignatures every relay checks on every
// announcement: about twelve times noble's speed here, which keeps the quorum check within the validator's
// budget (bench/network.ts). OpenSSL, like noble with zip215 off, refuses non-canonical S and compares R by
// its encoding; the two can differ only on signatures crafted with small-order components, which only the
// key's owner can make (docs/decisions.md, "Checking cosignatures on relays").
// The witness's signer is beside it (cosignature-signer.ts).
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import { toHex, type Ed25519Verify } from '../../protocol/index.js'

// Witness keys are few (at most 16 registered) and long-lived: keep their KeyObjects, bounded all the same.
const MAX_KEYS = 64
const keys = new Map<string, KeyObject>()

function keyObject (publicKey: Uint8Array): KeyObject {
  const id = toHex(publicKey)
  let key = keys.get(id)
  if (key === undefined) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' })
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value!)
    keys.set(id, key)
  }
  return key
}

/** An Ed25519Verify for checkWitnessQuorum and verifyCosignature, backed by node:crypto. */
export const verifyEd25519Native: Ed25519Verify = (signature, message, publicKey) => {
  if (signature.length !== 64 || publicKey.length !== 32) return false
  return verify(null, message, keyObject(publicKey), signature)
}

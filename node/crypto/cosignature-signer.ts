// C2SP cosignature/v1 signing on Node's OpenSSL Ed25519: a witness signs once per add-checkpoint, and
// noble's sign (with the public key it derives again on each call) costs ~1 ms, OpenSSL's ~30 µs. The
// format stays protocol's (`cosignedMessage`, `formatCosignature`); Ed25519 is deterministic, so the lines
// are byte for byte those of protocol's `signCosignature` (test/unit/crypto/cosignature-signer.test.ts).
import { createPrivateKey, sign, type KeyObject } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { InvalidWitnessKeyError, cosignedMessage, formatCosignature, witnessKeyId } from '../../protocol/tlog/index.js'

export interface CosignatureSigner {
  readonly name: string
  readonly publicKey: Uint8Array
  readonly keyId: number
  /** The cosignature/v1 line (ending in a newline) of `checkpoint` (the note text) at `timestamp` (POSIX seconds). */
  sign (checkpoint: string, timestamp: number): string
}

/** A cosignature signer for witness `name` with its 32-byte Ed25519 secret key; the key is parsed once. */
export function nodeCosignatureSigner (name: string, secretKey: Uint8Array): CosignatureSigner {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) throw new InvalidWitnessKeyError('secretKey', 'not 32 bytes')
  const publicKey = ed25519.getPublicKey(secretKey)
  const keyId = witnessKeyId(name, publicKey)
  const key: KeyObject = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: Buffer.from(secretKey).toString('base64url'), x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk'
  })
  return {
    name,
    publicKey,
    keyId,
    sign (checkpoint, timestamp) {
      const signature = sign(null, cosignedMessage(checkpoint, timestamp), key)
      return formatCosignature({ name, keyId, timestamp, signature: new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength) })
    }
  }
}

// Ethereum's 65-byte signature form r ‖ s ‖ v (v = 27 | 28), as hex. Only low-s signatures are accepted:
// a message id hashes the signed message, so a malleated (high-s) twin would be a second id for the same
// consent or request.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { InvalidSignatureError } from './errors.js'

const SIGNATURE_PATTERN = /^0x[0-9a-f]{130}$/
const N = secp256k1.Point.CURVE().n
const HALF_N = N >> 1n

/** Checks the hex form and returns the noble `recovered` bytes (recovery ‖ r ‖ s). */
export function parseSignature (signature: string): Uint8Array {
  if (typeof signature !== 'string' || !SIGNATURE_PATTERN.test(signature)) {
    throw new InvalidSignatureError('not 65 bytes of lowercase hex')
  }
  const bytes = hexToBytes(signature.slice(2))
  const v = bytes[64]!
  if (v !== 27 && v !== 28) throw new InvalidSignatureError('v must be 27 or 28', { v })
  const r = BigInt(`0x${signature.slice(2, 66)}`)
  const s = BigInt(`0x${signature.slice(66, 130)}`)
  if (r === 0n || r >= N) throw new InvalidSignatureError('r out of range')
  if (s === 0n || s > HALF_N) throw new InvalidSignatureError('s out of range (high s is malleable)')
  const recovered = new Uint8Array(65)
  recovered[0] = v - 27
  recovered.set(bytes.subarray(0, 64), 1)
  return recovered
}

/** The hex r ‖ s ‖ v form of a noble `recovered` signature. */
export function formatSignature (recovered: Uint8Array): string {
  const out = new Uint8Array(65)
  out.set(recovered.subarray(1, 65), 0)
  out[64] = recovered[0]! + 27
  return `0x${bytesToHex(out)}`
}

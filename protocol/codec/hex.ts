// Bytes as 0x-prefixed hex, the way the API, EIP-712 and ethers write them: the one pair of helpers, over
// @noble/hashes' (which checks every digit; its own form has no prefix).
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { InvalidHexError } from './errors.js'

/** `0x` followed by lowercase hex. */
export function toHex (bytes: Uint8Array): string {
  return `0x${bytesToHex(bytes)}`
}

/** The bytes of hex with an even number of digits, `0x`-prefixed or bare; InvalidHexError otherwise. */
export function fromHex (hex: string): Uint8Array {
  try {
    return hexToBytes(hex.startsWith('0x') ? hex.slice(2) : hex)
  } catch (cause) {
    throw new InvalidHexError(hex, cause)
  }
}

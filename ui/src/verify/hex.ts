// 0x-hex ↔ bytes for proofs and roots as the API writes them.
import { bytesToHex as toHex, hexToBytes as fromHex } from '@noble/hashes/utils.js'

export function hexToBytes (hex: string): Uint8Array {
  return fromHex(hex.startsWith('0x') ? hex.slice(2) : hex)
}

export function bytesToHex (bytes: Uint8Array): string {
  return '0x' + toHex(bytes)
}

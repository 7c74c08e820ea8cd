// Ethereum addresses: the last 20 bytes of keccak-256 of the uncompressed public key, written with the
// EIP-55 mixed-case checksum. Porchlight messages carry only checksummed addresses, so one address has
// one spelling (and one message id).
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { InvalidAddressError } from './errors.js'

const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/

// A relay sees the same few agency addresses in every message, and checks each twice (the strict decode, the
// EIP-712 encoding): the spelling of the last ones seen is kept. Bounded; a full table starts again.
const spellings = new Map<string, string>()
const SPELLINGS_KEPT = 1024

/** The EIP-55 spelling of a 40-digit hex address (any case). */
function checksum (hex40: string): string {
  const lower = hex40.toLowerCase()
  let known = spellings.get(lower)
  if (known === undefined) {
    known = spell(lower)
    if (spellings.size >= SPELLINGS_KEPT) spellings.clear()
    spellings.set(lower, known)
  }
  return known
}

function spell (lower: string): string {
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)))
  let out = '0x'
  for (let i = 0; i < 40; i++) {
    const c = lower[i]!
    out += parseInt(hash[i]!, 16) >= 8 ? c.toUpperCase() : c
  }
  return out
}

/**
 * Normalizes an address to its checksummed form. All-lowercase and all-uppercase input is accepted as
 * unchecksummed; mixed case must carry a correct checksum (as ethers' `getAddress`).
 */
export function getAddress (value: string): string {
  if (typeof value !== 'string' || !ADDRESS_PATTERN.test(value)) throw new InvalidAddressError(value)
  const hex = value.slice(2)
  const result = checksum(hex)
  const mixed = hex !== hex.toLowerCase() && hex !== hex.toUpperCase()
  if (mixed && result !== value) throw new InvalidAddressError(value, 'bad checksum')
  return result
}

/** True only for an address in its exact EIP-55 form. */
export function isChecksummedAddress (value: unknown): value is string {
  return typeof value === 'string' && ADDRESS_PATTERN.test(value) && checksum(value.slice(2)) === value
}

/** The address of an uncompressed (65-byte, 0x04-prefixed) secp256k1 public key. */
export function addressFromPublicKey (uncompressed: Uint8Array): string {
  if (uncompressed.length !== 65 || uncompressed[0] !== 4) throw new InvalidAddressError('public key', 'not an uncompressed public key')
  return checksum(bytesToHex(keccak_256(uncompressed.subarray(1)).subarray(12)))
}

// DAG-CBOR (the IPLD profile of RFC 8949): deterministic map order, minimal integers, no indefinite
// lengths, no undefined. The one canonical byte form is what message ids and log leaves hash.
import * as dagCbor from '@ipld/dag-cbor'
import { UNDECIDED, decodeCanonicalSubset } from './canonical-decoder.js'
import { MalformedEncodingError, NonCanonicalEncodingError } from './errors.js'

export const DAG_CBOR_CODE = dagCbor.code

/** Encodes a value to its canonical dag-cbor bytes. */
export function encode (value: unknown): Uint8Array {
  try {
    return dagCbor.encode(value)
  } catch (err) {
    throw new MalformedEncodingError('value cannot be encoded', { cause: err })
  }
}

/**
 * Decodes dag-cbor and rejects any input that does not re-encode to exactly the same bytes, so every
 * accepted value has one byte form (and one id). Messages are checked in one pass as they are decoded
 * (canonical-decoder.ts); whatever that pass cannot judge alone goes through the round trip.
 */
export function decodeCanonical (bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) throw new MalformedEncodingError('input is not a Uint8Array')
  const value = decodeCanonicalSubset(bytes)
  return value === UNDECIDED ? decodeCanonicalByRoundTrip(bytes) : value
}

/**
 * The reference check: decode, re-encode, compare the bytes. `decodeCanonical` must accept exactly what
 * this accepts, with the same value (test/property/codec compares them).
 */
export function decodeCanonicalByRoundTrip (bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) throw new MalformedEncodingError('input is not a Uint8Array')
  let value: unknown
  try {
    value = dagCbor.decode(bytes)
  } catch (err) {
    // cborg throws plain Errors, and a deeply nested input can exhaust the stack (RangeError).
    throw new MalformedEncodingError('input is not dag-cbor', { cause: err })
  }
  let again: Uint8Array
  try {
    again = dagCbor.encode(value)
  } catch {
    throw new NonCanonicalEncodingError()
  }
  if (!equalBytes(again, bytes)) throw new NonCanonicalEncodingError()
  return value
}

function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

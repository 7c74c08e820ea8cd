// Content ids (CIDv1, multiformats): `dag-cbor` for messages and log entries, `raw` for clip bytes, both
// over sha2-256. Hashing uses @noble/hashes so it is synchronous in the browser too.
import { sha256 } from '@noble/hashes/sha2.js'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { base32 } from 'multiformats/bases/base32'
import { DAG_CBOR_CODE } from './dag-cbor.js'
import { InvalidCidError } from './errors.js'

export const RAW_CODE = 0x55
export const SHA2_256_CODE = 0x12
export { DAG_CBOR_CODE }

export type CidCodec = typeof RAW_CODE | typeof DAG_CBOR_CODE

/** The CIDv1 of a sha2-256 digest computed elsewhere (e.g. while streaming a clip). */
export function cidFromSha256Digest (digest: Uint8Array, codec: CidCodec): CID {
  if (!(digest instanceof Uint8Array) || digest.length !== 32) throw new InvalidCidError('sha2-256 digest must be 32 bytes')
  if (codec !== RAW_CODE && codec !== DAG_CBOR_CODE) throw new InvalidCidError('codec must be raw or dag-cbor', codec)
  return CID.createV1(codec, Digest.create(SHA2_256_CODE, digest))
}

/** CIDv1 `raw` sha2-256 of a clip's plaintext bytes. */
export function clipCid (bytes: Uint8Array): CID {
  return cidFromSha256Digest(sha256(bytes), RAW_CODE)
}

/** CIDv1 `dag-cbor` sha2-256 of already encoded dag-cbor bytes. */
export function dagCborCid (encoded: Uint8Array): CID {
  return cidFromSha256Digest(sha256(encoded), DAG_CBOR_CODE)
}

/**
 * Parses a CID string and insists on the one form Porchlight writes: CIDv1, the given codec, sha2-256,
 * lowercase base32 (`b…`). Any other spelling of the same CID is rejected so ids compare as strings.
 */
export function parseCid (value: string, codec: CidCodec): CID {
  if (typeof value !== 'string' || value.length === 0 || value[0] !== 'b') throw new InvalidCidError('not a base32 CIDv1 string', value)
  let cid: CID
  try {
    cid = CID.parse(value, base32)
  } catch {
    throw new InvalidCidError('unparseable', value)
  }
  if (cid.version !== 1) throw new InvalidCidError('not CIDv1', value)
  if (cid.code !== codec) throw new InvalidCidError(`codec is not 0x${codec.toString(16)}`, value)
  if (cid.multihash.code !== SHA2_256_CODE || cid.multihash.digest.length !== 32) throw new InvalidCidError('hash is not sha2-256', value)
  // Encoded afresh: multiformats' base32 decoder ignores case, and CID.parse caches the string it was
  // given as the CID's string form, so `cid.toString()` would hand back a mixed-case input unchanged.
  if (base32.encode(cid.bytes) !== value) throw new InvalidCidError('not in canonical form', value)
  return cid
}

// The canonical string of a CIDv1 sha2-256 of either codec is 'b' + base32 of 36 bytes: 01, the codec,
// 12 20, the digest. The four fixed bytes give its first six base32 characters, plus the top two bits
// (both 0) of the seventh; the last character carries 3 digest bits and 2 zero padding bits.
const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'
const BASE32_VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < 32; i++) BASE32_VALUE[BASE32_ALPHABET.charCodeAt(i)] = i
const CID_STRING_LENGTH = 1 + Math.ceil((4 + 32) * 8 / 5)
const CID_PREFIX = {
  [RAW_CODE]: cidFromSha256Digest(new Uint8Array(32), RAW_CODE).toString().slice(0, 7),
  [DAG_CBOR_CODE]: cidFromSha256Digest(new Uint8Array(32), DAG_CBOR_CODE).toString().slice(0, 7)
}

function base32Value (value: string, at: number): number {
  const code = value.charCodeAt(at)
  return code < 128 ? BASE32_VALUE[code]! : -1
}

/**
 * Whether `parseCid(value, codec)` accepts `value`, answered from the characters alone, without decoding
 * (message checks meet a CID in most log entries; test/property/codec/cid.test.ts holds it to parseCid).
 */
export function isCanonicalCid (value: string, codec: CidCodec): boolean {
  if (typeof value !== 'string' || value.length !== CID_STRING_LENGTH) return false
  const prefix = CID_PREFIX[codec]
  if (prefix === undefined || !value.startsWith(prefix)) return false
  const seventh = base32Value(value, 7)
  if (seventh < 0 || seventh > 7) return false
  for (let i = 8; i < CID_STRING_LENGTH - 1; i++) if (base32Value(value, i) < 0) return false
  const last = base32Value(value, CID_STRING_LENGTH - 1)
  return last >= 0 && (last & 3) === 0
}

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
  if (cid.toString() !== value) throw new InvalidCidError('not in canonical form', value)
  return cid
}

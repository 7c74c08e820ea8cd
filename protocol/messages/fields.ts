// Checks for the domain values inside messages: ids, cells, addresses, keys, signatures. Each accepts
// exactly one spelling of its value.
import { bech32 } from '@scure/base'
import { multiaddr } from '@multiformats/multiaddr'
import { base58btc } from 'multiformats/bases/base58'
import * as Digest from 'multiformats/hashes/digest'
import { DAG_CBOR_CODE, RAW_CODE, isCanonicalCid, parseCid, type CidCodec } from '../codec/cid.js'
import { AREA_RESOLUTION, assertCell } from '../geo/cells.js'
import { LIMITS } from '../limits/table.js'
import { isChecksummedAddress } from '../signing/address.js'
import { parseSignature } from '../signing/signature.js'
import { fail, matching, via } from './schema.js'
import type { Check } from './schema.js'

/** An EIP-55 checksummed address. */
export const address: Check<string> = (value, field) => {
  if (!isChecksummedAddress(value)) fail(field, 'must be an EIP-55 checksummed address', value)
  return value
}

// parseCid decides (and explains) only what the quick check of the characters does not accept.
const cidOf = (codec: CidCodec) => (v: string): void => { if (!isCanonicalCid(v, codec)) parseCid(v, codec) }

/** A message id: CIDv1 dag-cbor sha2-256, base32. */
export const messageIdField = via('must be a dag-cbor CIDv1 (base32, sha2-256)', cidOf(DAG_CBOR_CODE))

/** A clip id: CIDv1 raw sha2-256, base32. */
export const clipCidField = via('must be a raw CIDv1 (base32, sha2-256)', cidOf(RAW_CODE))

// RFC 6838 restricted names, lowercase (one spelling), no parameters: what a clip store keeps, not a header.
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/

/** A media type `type/subtype`, lowercase, without parameters, of at most `maxMediaTypeChars`. */
export const mediaTypeField: Check<string> = (value, field) => {
  if (typeof value !== 'string' || value.length > LIMITS.consent.maxMediaTypeChars || !MEDIA_TYPE.test(value)) {
    fail(field, `must be a lowercase media type type/subtype of at most ${LIMITS.consent.maxMediaTypeChars} characters`, typeof value === 'string' ? value.slice(0, 64) : value)
  }
  return value
}

/** An H3 resolution-9 cell, lowercase hex. */
export const areaCell = via('must be an H3 resolution-9 cell', (v) => assertCell(v, { exact: AREA_RESOLUTION }))

/** 32 bytes, 0x lowercase hex (nonces, Merkle hashes). */
export const bytes32 = matching(/^0x[0-9a-f]{64}$/, 'must be 32 bytes of 0x lowercase hex')

/** An EIP-712 signature r ‖ s ‖ v with low s. */
export const signature = via('must be a 65-byte low-s signature r‖s‖v in 0x lowercase hex', parseSignature)

const AGE_RECIPIENT = /^age1[023456789acdefghjklmnpqrstuvwxyz]{58}$/

/** An age X25519 recipient: bech32, prefix `age`, a 32-byte key, lowercase. */
export const ageRecipient = via('must be an age X25519 recipient (age1…)', (v) => {
  if (!AGE_RECIPIENT.test(v)) throw new Error('bad form')
  const { prefix, words } = bech32.decode(v as `${string}1${string}`)
  if (prefix !== 'age' || bech32.fromWords(words).length !== 32) throw new Error('not an X25519 key')
})

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/

/**
 * A libp2p peer id in its string form: base58btc of an identity multihash (inlined key, ≤ 42 bytes) or
 * a sha2-256 multihash (larger keys), as `peerId.toString()` writes it.
 */
export const peerIdField = via('must be a libp2p peer id (base58btc multihash)', (v) => {
  if (v.length > LIMITS.request.maxPeerIdChars || !BASE58.test(v)) throw new Error('bad form')
  const bytes = base58btc.baseDecode(v)
  const digest = Digest.decode(bytes)
  const ok = (digest.code === 0x00 && digest.size <= 42) || (digest.code === 0x12 && digest.size === 32)
  if (!ok || base58btc.baseEncode(bytes) !== v) throw new Error('not a peer id multihash')
})

/** A multiaddr in the form `multiaddr(s).toString()` gives back. */
export const multiaddrField = via('must be a multiaddr in canonical form', (v) => {
  if (v.length > LIMITS.request.maxAddrChars) throw new Error('too long')
  if (multiaddr(v).toString() !== v) throw new Error('not canonical')
})

export { encode, decodeCanonical, DAG_CBOR_CODE } from './dag-cbor.js'
export { cidFromSha256Digest, clipCid, dagCborCid, isCanonicalCid, parseCid, RAW_CODE, SHA2_256_CODE } from './cid.js'
export type { CidCodec } from './cid.js'
export { MalformedEncodingError, NonCanonicalEncodingError, InvalidCidError } from './errors.js'

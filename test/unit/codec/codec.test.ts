import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sha256 as webSha256 } from 'multiformats/hashes/sha2'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { base58btc } from 'multiformats/bases/base58'
import * as dagCbor from '@ipld/dag-cbor'
import { sha256 } from '@noble/hashes/sha2.js'
import {
  DAG_CBOR_CODE, RAW_CODE, cidFromSha256Digest, clipCid, dagCborCid, decodeCanonical, encode, isCanonicalCid, parseCid
} from '../../../protocol/codec/index.js'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'))

test('encode and decodeCanonical round-trip a message-like value', () => {
  const value = { b: 1, a: 'x', list: [1, 2, 3], nested: { z: true, y: null }, bytes: new Uint8Array([1, 2]) }
  assert.deepEqual(decodeCanonical(encode(value)), value)
})

test('decodeCanonical accepts the canonical form and rejects other encodings of the same value', () => {
  // {"a":1,"bb":2}: dag-cbor orders keys by length, then bytes.
  assert.deepEqual(decodeCanonical(hex('a2 61 61 01 62 62 62 02')), { a: 1, bb: 2 })
  const cases: Array<[string, string]> = [
    ['map keys out of order', 'a2 62 62 62 02 61 61 01'],
    ['float32 instead of float64', 'fa 3f c0 00 00'],
    ['integer as float', 'fb 3f f0 00 00 00 00 00 00'],
    ['undefined (dag-cbor reads it as null)', 'f7']
  ]
  for (const [why, bytes] of cases) {
    assert.throws(() => decodeCanonical(hex(bytes)), { name: 'NonCanonicalEncodingError' }, why)
  }
})

test('decodeCanonical rejects what dag-cbor rejects, as MalformedEncodingError', () => {
  const cases: Array<[string, string]> = [
    ['non-minimal integer', '18 01'],
    ['indefinite-length array', '9f 01 ff'],
    ['trailing bytes', '01 01'],
    ['truncated string', '63 61 62'],
    ['duplicate map key', 'a2 61 61 01 61 61 02'],
    ['empty input', ''],
    ['unknown tag', 'c1 01']
  ]
  for (const [why, bytes] of cases) {
    assert.throws(() => decodeCanonical(hex(bytes)), { name: 'MalformedEncodingError' }, why)
  }
})

test('deep nesting is a typed error, not a crash', () => {
  const deep = new Uint8Array(200_000).fill(0x81)
  assert.throws(() => decodeCanonical(deep), (err: Error) => err.name === 'MalformedEncodingError' || err.name === 'NonCanonicalEncodingError')
})

test('clipCid is CIDv1 raw sha2-256 (known answer: the empty clip)', async () => {
  // The well-known CID of zero bytes; multiformats' own hasher gives the same.
  assert.equal(clipCid(new Uint8Array()).toString(), 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')
  const bytes = new TextEncoder().encode('porchlight clip')
  const expected = CID.createV1(raw.code, await webSha256.digest(bytes))
  assert.equal(clipCid(bytes).toString(), expected.toString())
})

test('dagCborCid matches multiformats for encoded dag-cbor', async () => {
  const bytes = dagCbor.encode({ hello: 'world' })
  const expected = CID.createV1(dagCbor.code, await webSha256.digest(bytes))
  assert.equal(dagCborCid(bytes).toString(), expected.toString())
  assert.equal(DAG_CBOR_CODE, 0x71)
})

test('cidFromSha256Digest builds both codecs and checks its input', () => {
  const digest = sha256(new Uint8Array([1]))
  assert.equal(cidFromSha256Digest(digest, RAW_CODE).toString(), clipCid(new Uint8Array([1])).toString())
  assert.equal(cidFromSha256Digest(digest, DAG_CBOR_CODE).code, 0x71)
  assert.throws(() => cidFromSha256Digest(digest.subarray(1), RAW_CODE), { name: 'InvalidCidError' })
  assert.throws(() => cidFromSha256Digest(digest, 0x70 as typeof RAW_CODE), { name: 'InvalidCidError' })
})

test('parseCid accepts only the canonical base32 CIDv1 of the asked codec', () => {
  const cid = clipCid(new Uint8Array([7]))
  assert.equal(parseCid(cid.toString(), RAW_CODE).toString(), cid.toString())
  assert.throws(() => parseCid(cid.toString(), DAG_CBOR_CODE), { name: 'InvalidCidError' })
  assert.throws(() => parseCid(cid.toString().toUpperCase(), RAW_CODE), { name: 'InvalidCidError' })
  assert.throws(() => parseCid(cid.toString(base58btc), RAW_CODE), { name: 'InvalidCidError' })
  assert.throws(() => parseCid('QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR', RAW_CODE), { name: 'InvalidCidError' })
  assert.throws(() => parseCid('bnotacid', RAW_CODE), { name: 'InvalidCidError' })
})

test('parseCid refuses a CID with upper-case letters after its prefix (one id, one string)', () => {
  const cid = clipCid(new Uint8Array([7])).toString()
  // multiformats decodes base32 in any case and keeps the parsed string as the CID's string form.
  for (const spelled of [cid.slice(0, 7) + cid[7]!.toUpperCase() + cid.slice(8), cid.slice(0, 20) + cid.slice(20).toUpperCase()]) {
    assert.notEqual(spelled, cid)
    assert.throws(() => parseCid(spelled, RAW_CODE), { name: 'InvalidCidError' }, spelled)
    assert.equal(isCanonicalCid(spelled, RAW_CODE), false)
  }
  assert.equal(isCanonicalCid(cid, RAW_CODE), true)
})

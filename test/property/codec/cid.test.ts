// isCanonicalCid answers from the characters what parseCid decides by decoding: the two must agree on
// every string, for both codecs: valid ids, their one-character edits, ids of other codecs, hashes and
// versions, base32 strings of the right length and prefix, and any text.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { base32 } from 'multiformats/bases/base32'
import { base58btc } from 'multiformats/bases/base58'
import { DAG_CBOR_CODE, RAW_CODE, cidFromSha256Digest, isCanonicalCid, parseCid, type CidCodec } from '../../../protocol/codec/index.js'

const RUNS = 20_000
const CODECS: CidCodec[] = [RAW_CODE, DAG_CBOR_CODE]
const tally = { accepted: 0, refused: 0 }

function agree (value: string): void {
  for (const codec of CODECS) {
    let accepted = true
    try { parseCid(value, codec) } catch (err) {
      assert.equal((err as Error).name, 'InvalidCidError')
      accepted = false
    }
    assert.equal(isCanonicalCid(value, codec), accepted, `${value} as 0x${codec.toString(16)}`)
    if (accepted) tally.accepted++
    else tally.refused++
  }
}

const digest = fc.uint8Array({ minLength: 32, maxLength: 32 })
const valid = fc.tuple(digest, fc.constantFrom(...CODECS)).map(([d, c]) => cidFromSha256Digest(d, c).toString())
/** Ids that decode but are not what parseCid wants: other codecs (one- and two-byte varints), hashes, lengths, bases, versions. */
const others = fc.tuple(fc.constantFrom(0x70, 0x71, 0x55, 0x0129, 0x12), fc.constantFrom(0x12, 0x13, 0x00, 0x1e), fc.uint8Array({ minLength: 20, maxLength: 64 }), fc.constantFrom('base32', 'base58', 'v0'))
  .map(([code, hash, bytes, form]) => {
    const mh = Digest.create(hash, bytes)
    if (form === 'v0') return CID.createV0(Digest.create(0x12, bytes.subarray(0, 32).length === 32 ? bytes.subarray(0, 32) : new Uint8Array(32))).toString()
    const cid = CID.createV1(code, mh)
    return form === 'base32' ? cid.toString(base32) : cid.toString(base58btc)
  })
const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
const base32Text = (n: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...alphabet), { minLength: n, maxLength: n }).map((cs) => cs.join(''))
/** The right prefix and length, any base32 after it: reaches the seventh and last characters' rules. */
const lookalike = fc.tuple(fc.constantFrom('bafkrei', 'bafyrei', 'bafkre', 'bafyre'), fc.nat(3)).chain(([prefix, extra]) => base32Text(59 - prefix.length + (extra === 3 ? 1 : 0)).map((rest) => prefix + rest))
const edit = fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...alphabet, ...'ABFKYZ01890=_ \u00e9\u{1f600}'), fc.string({ maxLength: 2 })), fc.constantFrom('replace', 'insert', 'delete', 'upper'))

function apply (value: string, [at, text, op]: [number, string, string]): string {
  const i = at % (value.length + 1)
  if (op === 'replace') return value.slice(0, i) + text + value.slice(i + 1)
  if (op === 'insert') return value.slice(0, i) + text + value.slice(i)
  if (op === 'delete') return value.slice(0, i) + value.slice(i + 1)
  return value.toUpperCase()
}

test(`valid ids and their edits: isCanonicalCid agrees with parseCid (${RUNS} cases)`, () => {
  fc.assert(fc.property(valid, fc.array(edit, { maxLength: 2 }), (value, edits) => agree(edits.reduce(apply, value))), { numRuns: RUNS })
})

test(`ids parseCid refuses, look-alikes and any text: isCanonicalCid agrees with parseCid (${RUNS} cases)`, () => {
  fc.assert(fc.property(fc.oneof(others, lookalike, fc.string({ maxLength: 64 }), fc.string({ unit: 'binary', minLength: 59, maxLength: 59 })), agree), { numRuns: RUNS })
})

test('the cases above reached both answers', () => {
  assert.ok(tally.accepted > 5000 && tally.refused > 5000, JSON.stringify(tally))
})

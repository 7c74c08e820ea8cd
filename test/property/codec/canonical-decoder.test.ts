// The single-pass canonical decoder against the reference check (decode, re-encode, compare bytes): on
// random bytes, on CBOR built with every non-canonical spelling there is (long heads, unsorted and repeated
// keys, floats, tags, undefined, indefinite lengths, bad UTF-8, byte-order marks, deep nesting, trailing
// bytes), on canonical encodings of random values and on byte mutations of all of these. Both must accept
// the same inputs with deep-equal values (same prototypes) and refuse the rest with the same error.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import * as dagCbor from '@ipld/dag-cbor'
import { isPorchlightError } from '../../../protocol/errors.js'
import { UNDECIDED, decodeCanonicalSubset } from '../../../protocol/codec/canonical-decoder.js'
import { decodeCanonical, decodeCanonicalByRoundTrip } from '../../../protocol/codec/dag-cbor.js'
import { DAG_CBOR_CODE, cidFromSha256Digest } from '../../../protocol/codec/index.js'
import { KINDS } from '../messages/kinds.js'
import { mutate, mutation } from '../../helpers/byte-mutations.js'

const RUNS = 20_000
// A failure is reported as found: shrinking values this recursive can take minutes.
const OPTIONS = { numRuns: RUNS, endOnFailure: true }

type Verdict = { ok: true, value: unknown } | { ok: false, code: string }

function verdict (decode: (b: Uint8Array) => unknown, bytes: Uint8Array): Verdict {
  try {
    return { ok: true, value: decode(bytes) }
  } catch (err) {
    if (!isPorchlightError(err)) throw err
    return { ok: false, code: err.code }
  }
}

const tally = { decided: 0, accepted: 0, refused: 0 }

/** Asserts both decoders agree on `bytes`, and that the subset decoder never decides against the reference. */
function agree (bytes: Uint8Array): void {
  const reference = verdict(decodeCanonicalByRoundTrip, bytes)
  assert.deepStrictEqual(verdict(decodeCanonical, bytes), reference)
  // Encoders hand out Buffers: the same verdict, and plain Uint8Array byte strings, for a Buffer.
  assert.deepStrictEqual(verdict(decodeCanonical, Buffer.from(bytes)), reference)
  const subset = decodeCanonicalSubset(bytes)
  if (subset !== UNDECIDED) {
    tally.decided++
    assert.ok(reference.ok, 'the subset decoder accepted an input the round trip refuses')
    assert.deepStrictEqual(subset, reference.value)
  }
  if (reference.ok) tally.accepted++
  else tally.refused++
}

// ---- CBOR with every spelling, canonical or not -------------------------------------------------------

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return out
}

type Width = 0 | 1 | 2 | 4 | 8
/** A head of `major` with argument `arg`, in `width` extra bytes (0: the minimal form) when it fits. */
function head (major: number, arg: bigint, width: Width): Uint8Array {
  const fits = (w: number): boolean => arg < (1n << BigInt(8 * w))
  let w: number = width
  if (w === 0 || !fits(w)) w = arg < 24n ? 0 : fits(1) ? 1 : fits(2) ? 2 : fits(4) ? 4 : 8
  if (w === 0) return Uint8Array.of((major << 5) | Number(arg))
  const out = new Uint8Array(1 + w)
  out[0] = (major << 5) | { 1: 24, 2: 25, 4: 26, 8: 27 }[w]!
  for (let i = 0; i < w; i++) out[w - i] = Number((arg >> BigInt(8 * i)) & 0xffn)
  return out
}

// Mostly minimal, sometimes longer than needed.
const width: fc.Arbitrary<Width> = fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom<Width>(1, 2, 4, 8) })
const argument: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: 0n, max: 30n }),
  fc.constantFrom(23n, 24n, 255n, 256n, 65535n, 65536n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 2n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })
)

const BOM = [0xef, 0xbb, 0xbf]
const utf8 = new TextEncoder()
/** Text content: well-formed strings (some with a byte-order mark), the keys dag-cbor treats specially, or any bytes. */
const textContent: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }).map((s) => utf8.encode(s)) },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'bb', 'kind', '/', 'bytes', '__proto__', 'asCID', '', 'é').map((s) => utf8.encode(s)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((s) => Uint8Array.from([...BOM, ...utf8.encode(s)])) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }) }
)
const textItem = fc.tuple(textContent, width).map(([c, w]) => ({ content: c, bytes: concat([head(3, BigInt(c.length), w), c]) }))

const CID_BYTES = cidFromSha256Digest(new Uint8Array(32).fill(7), DAG_CBOR_CODE).bytes
/** Tag 42 contents: a CID as dag-cbor writes it, and near misses. */
const cidBytes = fc.constantFrom(
  Uint8Array.from([0, ...CID_BYTES]),
  Uint8Array.from([1, ...CID_BYTES]),
  CID_BYTES,
  Uint8Array.from([0, 0x12, 0x20, ...new Uint8Array(32).fill(7)])
)

const simple: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constantFrom(0xf4, 0xf5, 0xf6, 0xf7, 0xff).map((b) => Uint8Array.of(b)),
  fc.nat(255).map((v) => Uint8Array.of(0xf8, v)),
  fc.double().map((d) => { const b = new Uint8Array(9); b[0] = 0xfb; new DataView(b.buffer).setFloat64(1, d); return b }),
  fc.float().map((f) => { const b = new Uint8Array(5); b[0] = 0xfa; new DataView(b.buffer).setFloat32(1, f); return b }),
  fc.uint8Array({ minLength: 2, maxLength: 2 }).map((h) => Uint8Array.of(0xf9, ...h))
)

const { cbor } = fc.letrec<{ cbor: Uint8Array, mapItem: Uint8Array }>((tie) => ({
  cbor: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(argument, width).map(([a, w]) => head(0, a, w)),
    fc.tuple(argument, width).map(([a, w]) => head(1, a, w)),
    fc.tuple(fc.uint8Array({ maxLength: 8 }), width).map(([b, w]) => concat([head(2, BigInt(b.length), w), b])),
    textItem.map((t) => t.bytes),
    fc.tuple(fc.array(tie('cbor'), { maxLength: 4 }), width).map(([items, w]) => concat([head(4, BigInt(items.length), w), ...items])),
    tie('mapItem'),
    fc.tuple(fc.constantFrom(42n, 0n, 1n, 2n, 55799n), width, fc.oneof(tie('cbor'), cidBytes.map((b) => concat([head(2, BigInt(b.length), 0), b])))).map(([t, w, c]) => concat([head(6, t, w), c])),
    simple,
    // Indefinite lengths and stray counts.
    fc.array(tie('cbor'), { maxLength: 3 }).map((items) => concat([Uint8Array.of(0x9f), ...items, Uint8Array.of(0xff)])),
    fc.tuple(fc.nat(40), fc.array(tie('cbor'), { maxLength: 3 })).map(([n, items]) => concat([head(4, BigInt(n), 0), ...items]))
  ),
  mapItem: fc.tuple(
    fc.array(fc.tuple(fc.oneof({ weight: 9, arbitrary: textItem }, { weight: 1, arbitrary: fc.nat(30).map((n) => ({ content: Uint8Array.of(n), bytes: head(0, BigInt(n), 0) })) }), tie('cbor')), { maxLength: 5 }),
    fc.boolean(), width, fc.option(fc.tuple(fc.nat(), fc.nat(30).map((n) => head(0, BigInt(n), 0))), { freq: 4 })
  ).map(([entries, sorted, w, repeat]) => {
    // A repeated key, with the same or another value (sorting keeps the repeats side by side).
    if (repeat !== null && entries.length > 0) {
      const [key, value] = entries[repeat[0] % entries.length]!
      entries.push([key, repeat[0] % 2 === 0 ? value : repeat[1]])
    }
    if (sorted) {
      entries.sort(([a], [b]) => {
        if (a.content.length !== b.content.length) return a.content.length - b.content.length
        for (let i = 0; i < a.content.length; i++) if (a.content[i] !== b.content[i]) return a.content[i]! - b.content[i]!
        return 0
      })
    }
    return concat([head(5, BigInt(entries.length), w), ...entries.flatMap(([k, v]) => [k.bytes, v])])
  })
}))

/** Nested arrays `depth` deep around one integer: the subset decoder leaves deep input to the round trip. */
const nested = fc.integer({ min: 1, max: 80 }).map((depth) => concat([new Uint8Array(depth).fill(0x81), Uint8Array.of(0x01)]))

// ---- canonical values ---------------------------------------------------------------------------------

/** dag-cbor data model values: what encode writes canonically (plus floats, which the subset leaves alone). */
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.maxSafeInteger(), fc.integer({ min: -30, max: 30 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.boolean(), fc.constant(null),
    fc.uint8Array({ maxLength: 8 }), fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((d) => cidFromSha256Digest(d, DAG_CBOR_CODE)),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('/', 'bytes', '__proto__')), tie('value'), { maxKeys: 5 })
  )
}))
const canonical = value.chain((v) => {
  try { return fc.constant(dagCbor.encode(v)) } catch { return fc.constant(Uint8Array.of(0xf6)) }
})

/**
 * Maps with `/` and `bytes` keys, in canonical key order (dag-cbor cannot write them: its encoder takes a
 * map whose `/` and `bytes` hold the same non-null value for a CID, and fails).
 */
const cidLike = fc.tuple(
  fc.constantFrom<unknown>(0, 1, 'x', '', true, false, null), fc.constantFrom<unknown>(0, 1, 'x', null), fc.boolean(),
  fc.dictionary(fc.constantFrom('a', 'code', 'version'), fc.nat(3), { maxKeys: 2 })
).map(([v, w, same, rest]) => {
  const entries = Object.entries({ ...rest, '/': v, bytes: same ? v : w }).map(([k, x]) => [utf8.encode(k), dagCbor.encode(x)] as const)
  entries.sort(([a], [b]) => a.length - b.length || (a[0]! - b[0]!))
  return concat([head(5, BigInt(entries.length), 0), ...entries.flatMap(([k, x]) => [head(3, BigInt(k.length), 0), k, x])])
})

const messages = KINDS.flatMap((k) => fc.sample(k.valid, { numRuns: 8, seed: 7 }).map((v) => k.codec.encode(v)))

// ---- the properties -----------------------------------------------------------------------------------

test(`random bytes: both decoders agree (${RUNS} cases)`, () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), agree), OPTIONS)
})

test(`CBOR in every spelling: both decoders agree (${RUNS} cases)`, () => {
  fc.assert(fc.property(cbor, fc.option(fc.uint8Array({ minLength: 1, maxLength: 3 }), { freq: 8 }), (bytes, trailing) => {
    agree(trailing === null ? bytes : concat([bytes, trailing]))
  }), OPTIONS)
})

test(`CBOR in every spelling, byte-mutated: both decoders agree (${RUNS} cases)`, () => {
  fc.assert(fc.property(cbor, fc.array(mutation, { minLength: 1, maxLength: 3 }), (bytes, ms) => agree(mutate(bytes, ms))), OPTIONS)
})

test(`canonical encodings of random values, plain and byte-mutated: both decoders agree (${RUNS} cases)`, () => {
  fc.assert(fc.property(canonical, fc.array(mutation, { maxLength: 2 }), (bytes, ms) => agree(mutate(bytes, ms))), OPTIONS)
})

test('maps dag-cbor would read as a CID: both decoders agree', () => {
  fc.assert(fc.property(cidLike, agree), { numRuns: 500 })
})

test(`encoded messages of every kind, byte-mutated: both decoders agree (${RUNS} cases)`, () => {
  fc.assert(fc.property(fc.constantFrom(...messages), fc.array(mutation, { maxLength: 3 }), (bytes, ms) => agree(mutate(bytes, ms))), OPTIONS)
})

test('deep nesting: both decoders agree', () => {
  fc.assert(fc.property(nested, agree), { numRuns: 200 })
})

test('the subset decoder decides every message itself, and the cases above reached both verdicts', () => {
  for (const bytes of messages) { if (decodeCanonicalSubset(bytes) === UNDECIDED) console.log("UNDEC", Buffer.from(bytes).toString("hex"), JSON.stringify(verdict(decodeCanonicalByRoundTrip, bytes)).slice(0, 200)) }
  // Without this, the properties above could pass by never exercising one side.
  assert.ok(tally.decided > 1000 && tally.accepted > 1000 && tally.refused > 1000, JSON.stringify(tally))
})

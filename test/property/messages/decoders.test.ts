// Decoders meet hostile input: random bytes, byte-level mutations of valid encodings, and value-level
// mutations (a field replaced, removed or added) re-encoded as valid dag-cbor. A decoder either throws a
// PorchlightError or returns a message whose encoding is exactly the input; it never crashes otherwise.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import * as dagCbor from '@ipld/dag-cbor'
import { isPorchlightError } from '../../../protocol/errors.js'
import { KINDS } from './kinds.js'
import { mutate, mutation } from '../../helpers/byte-mutations.js'
import type { Kind } from './kinds.js'

const RUNS = 10_000
const POOL = 24

function decodesSafely (codec: Kind['codec'], bytes: Uint8Array): void {
  let value: unknown
  try {
    value = codec.decode(bytes)
  } catch (err) {
    if (isPorchlightError(err)) return
    throw err
  }
  // Compared as plain bytes: encoders return Buffers, mutated inputs are Uint8Arrays.
  assert.deepEqual(new Uint8Array(codec.encode(value)), new Uint8Array(bytes), 'accepted input must be the canonical encoding')
}

/** Values that fit no field, or fit the wrong one. */
const junk = fc.oneof(
  fc.integer(), fc.double(), fc.bigInt({ min: -(2n ** 64n) + 1n, max: 2n ** 64n - 1n }), fc.string(), fc.boolean(), fc.constant(null),
  fc.uint8Array({ maxLength: 8 }), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer(), { maxKeys: 2 })
)

/** Every path (array of keys/indices) to a value inside `value`. */
function paths (value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])))
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]))
  }
  return out
}

type Edit = { op: 'replace', with: unknown } | { op: 'remove' } | { op: 'add', key: string, with: unknown }
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), with: junk }),
  fc.record({ op: fc.constant('remove' as const) }),
  fc.record({ op: fc.constant('add' as const), key: fc.string({ minLength: 1, maxLength: 8 }), with: junk })
)

function applyEdit (value: unknown, path: Array<string | number>, e: Edit): unknown {
  if (path.length === 0) {
    if (e.op === 'replace') return e.with
    if (e.op === 'add' && value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) return { ...value, [e.key]: e.with }
    return e.op === 'remove' ? null : value
  }
  const [head, ...rest] = path
  if (Array.isArray(value)) {
    const copy = [...value]
    if (rest.length === 0 && e.op === 'remove') copy.splice(head as number, 1)
    else copy[head as number] = applyEdit(copy[head as number], rest, e)
    return copy
  }
  const copy = { ...(value as Record<string, unknown>) }
  if (rest.length === 0 && e.op === 'remove') delete copy[head as string]
  else copy[head as string] = applyEdit(copy[head as string], rest, e)
  return copy
}

for (const kind of KINDS) {
  const { name, codec, valid } = kind
  const pool = fc.sample(valid, { numRuns: POOL, seed: 42 })
  const encoded = pool.map((v) => codec.encode(v))

  test(`${name}: random bytes never crash the decoder (${RUNS} cases)`, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => decodesSafely(codec, bytes)), { numRuns: RUNS })
  })

  test(`${name}: byte-mutated valid encodings never crash the decoder (${RUNS} cases)`, () => {
    fc.assert(fc.property(fc.constantFrom(...encoded), fc.array(mutation, { minLength: 1, maxLength: 4 }), (bytes, ms) => {
      decodesSafely(codec, mutate(bytes, ms))
    }), { numRuns: RUNS })
  })

  test(`${name}: value-mutated valid messages never crash the decoder (${RUNS} cases)`, () => {
    const withPaths = pool.map((v) => ({ value: v, paths: paths(v) }))
    fc.assert(fc.property(fc.constantFrom(...withPaths), fc.nat(), edit, ({ value, paths }, pick, e) => {
      let bytes: Uint8Array
      try {
        bytes = dagCbor.encode(applyEdit(value, paths[pick % paths.length]!, e))
      } catch {
        return // not encodable as dag-cbor at all (e.g. NaN): nothing reaches a decoder
      }
      decodesSafely(codec, bytes)
    }), { numRuns: RUNS })
  })
}

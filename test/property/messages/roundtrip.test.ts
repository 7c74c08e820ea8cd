import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { KINDS } from './kinds.js'

for (const { name, codec, valid } of KINDS) {
  test(`${name}: every valid value round-trips encode → decode → encode`, () => {
    fc.assert(fc.property(valid, (value) => {
      const bytes = codec.encode(value)
      assert.ok(bytes.length <= codec.maxBytes)
      const back = codec.decode(bytes)
      assert.deepEqual(back, structuredClone(value))
      assert.deepEqual(codec.encode(back), bytes)
    }), { numRuns: 300 })
  })
}

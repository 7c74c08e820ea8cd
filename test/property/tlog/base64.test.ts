// decodeBase64 must accept exactly the canonical text of some bytes: it checks the padding bits itself now
// (issue 22) instead of re-encoding, so it is held here to the re-encoding rule it replaced.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decodeBase64, encodeBase64 } from '../../../protocol/tlog/base64.js'

test('bytes round-trip through their base64 text', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
    assert.deepEqual(decodeBase64(encodeBase64(bytes)), bytes)
  }), { numRuns: 500 })
})

test('any text decodes exactly when it is the canonical encoding of what it decodes to', () => {
  const char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ '.split(''))
  // Mostly well-formed lengths with a padding tail, so the padding-bit rule is what is tested.
  const text = fc.oneof(
    fc.array(char, { maxLength: 24 }).map((cs) => cs.join('')),
    fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 63 })).map(([bytes, bits]) => {
      const t = encodeBase64(bytes)
      const pad = t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0
      if (pad === 0) return t
      const at = t.length - pad - 1
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
      return `${t.slice(0, at)}${alphabet[bits]}${t.slice(at + 1)}`
    })
  )
  let refused = 0
  fc.assert(fc.property(text, (t) => {
    const decoded = decodeBase64(t)
    let canonical: boolean
    try { canonical = encodeBase64(Uint8Array.from(atob(t), (c) => c.charCodeAt(0))) === t } catch { canonical = false }
    if (!canonical) refused++
    assert.equal(decoded !== undefined, canonical, t)
  }), { numRuns: 2000 })
  assert.ok(refused > 200, `refusals were tested (${refused})`)
})

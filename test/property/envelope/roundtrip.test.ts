import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { CHUNK_SIZE, decryptClip, encryptClip, expectedCiphertextSize, generateIdentity, identityToRecipient, type EnvelopeCrypto } from '../../../protocol/envelope/index.js'
import { nodeEnvelopeCrypto } from '../../../node/crypto/index.js'
import { byteStream, randomClip, readAll, readUntilError } from '../../support/byte-streams.js'

const identity = await generateIdentity()
const recipient = await identityToRecipient(identity)
const crypto: EnvelopeCrypto = nodeEnvelopeCrypto
// Sizes cluster around chunk boundaries, where STREAM bugs live.
const size = fc.oneof(
  fc.integer({ min: 0, max: 4 * CHUNK_SIZE + 100 }),
  fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: -2, max: 2 })).map(([n, d]) => Math.max(0, n * CHUNK_SIZE + d))
)
const splits = fc.array(fc.integer({ min: 1, max: 3 * CHUNK_SIZE }), { minLength: 1, maxLength: 5 })

test('any clip, split any way on either side, round-trips with its exact size', async () => {
  await fc.assert(fc.asyncProperty(size, splits, splits, async (n, inSplit, outSplit) => {
    const plaintext = randomClip(n)
    const sent = await encryptClip(byteStream(plaintext, inSplit), recipient, { crypto })
    const sealed = await readAll(sent.ciphertext)
    assert.equal(sealed.length, expectedCiphertextSize(n))
    const got = await decryptClip(byteStream(sealed, outSplit), identity, { crypto })
    assert.deepEqual(await readAll(got.plaintext), plaintext)
    assert.equal((await got.done).cid.toString(), (await sent.done).cid.toString())
  }), { numRuns: 150 })
})

test('any single corrupted byte of the payload is a typed error, never wrong plaintext', async () => {
  const plaintext = randomClip(2 * CHUNK_SIZE + 77)
  const sent = await encryptClip(byteStream(plaintext), recipient, { crypto })
  const sealed = await readAll(sent.ciphertext)
  await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: sealed.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
    const bad = sealed.slice()
    bad[at]! ^= mask
    const outcome = await decryptClip(byteStream(bad), identity, { crypto }).then(
      async (got) => (await readUntilError(got.plaintext)).error,
      (err: unknown) => err)
    assert.ok(outcome instanceof Error && ['EnvelopeHeaderError', 'EnvelopeDecryptError', 'EnvelopeNoMatchingIdentityError'].includes(outcome.name), String(outcome))
  }), { numRuns: 300 })
})

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Decrypter, Encrypter } from 'age-encryption'
import { clipCid } from '../../../protocol/codec/index.js'
import {
  CHUNK_SIZE, SEALED_CHUNK_SIZE, X25519_HEADER_SIZE, PAYLOAD_NONCE_SIZE, decryptClip, encryptClip,
  expectedCiphertextSize, generateIdentity, identityToRecipient, pureEnvelopeCrypto, type EnvelopeCrypto
} from '../../../protocol/envelope/index.js'
import { nodeEnvelopeCrypto } from '../../../node/crypto/index.js'
import { byteStream, randomClip, readAll, readUntilError } from '../../support/byte-streams.js'

const K = CHUNK_SIZE
const PREFIX = X25519_HEADER_SIZE + PAYLOAD_NONCE_SIZE
const backends: Array<[string, EnvelopeCrypto]> = [['pure', pureEnvelopeCrypto], ['node', nodeEnvelopeCrypto]]
const identity = await generateIdentity()
const recipient = await identityToRecipient(identity)


async function encryptBytes (plaintext: Uint8Array, crypto: EnvelopeCrypto = nodeEnvelopeCrypto, chunk: number | number[] = K): Promise<Uint8Array> {
  const { ciphertext, done } = await encryptClip(byteStream(plaintext, chunk), recipient, { crypto })
  const bytes = await readAll(ciphertext)
  await done
  return bytes
}

test('round trip at the chunk boundaries, either backend each way; sizes and CID as promised', async () => {
  for (const size of [0, 1, K - 1, K, K + 1, 3 * 2 ** 20 + 5]) {
    const plaintext = randomClip(size)
    const cid = clipCid(plaintext).toString()
    for (const [encName, encCrypto] of backends) {
      const { ciphertext, done } = await encryptClip(byteStream(plaintext), recipient, { crypto: encCrypto })
      const sealed = await readAll(ciphertext)
      const sent = await done
      assert.equal(sealed.length, expectedCiphertextSize(size), `${encName} ${size}`)
      assert.deepEqual({ cid: sent.cid.toString(), plaintextSize: sent.plaintextSize, ciphertextSize: sent.ciphertextSize },
        { cid, plaintextSize: size, ciphertextSize: sealed.length })
      for (const [decName, decCrypto] of backends) {
        const opened = await decryptClip(byteStream(sealed, 5000), identity, { crypto: decCrypto })
        assert.deepEqual(await readAll(opened.plaintext), plaintext, `${encName}→${decName} ${size}`)
        const got = await opened.done
        assert.deepEqual({ cid: got.cid.toString(), plaintextSize: got.plaintextSize, ciphertextSize: got.ciphertextSize },
          { cid, plaintextSize: size, ciphertextSize: sealed.length })
      }
    }
  }
})

test('a final chunk of exactly 64 KiB is flagged last, not followed by an empty one', async () => {
  const sealed = await encryptBytes(randomClip(2 * K))
  assert.equal(sealed.length, PREFIX + 2 * SEALED_CHUNK_SIZE)
})

test('what we write age-encryption reads, and what it writes we read', async () => {
  const plaintext = randomClip(K + 999)
  const decrypter = new Decrypter()
  decrypter.addIdentity(identity)
  for (const [name, crypto] of backends) {
    assert.deepEqual(await decrypter.decrypt(await encryptBytes(plaintext, crypto)), plaintext, name)
    const encrypter = new Encrypter()
    encrypter.addRecipient(recipient)
    const theirs = await encrypter.encrypt(plaintext)
    const { plaintext: out, done } = await decryptClip(byteStream(theirs, 777), identity, { crypto })
    assert.deepEqual(await readAll(out), plaintext, name)
    assert.equal((await done).cid.toString(), clipCid(plaintext).toString())
  }
})

test('any split of the input into stream chunks gives the same clip', async () => {
  const plaintext = randomClip(2 * K + 300)
  for (const chunk of [1, 7, K - 1, K + 1, [3, K, 100_000, 1]]) {
    const sealed = await encryptBytes(plaintext, nodeEnvelopeCrypto, chunk)
    const { plaintext: out } = await decryptClip(byteStream(sealed, chunk), identity, { crypto: nodeEnvelopeCrypto })
    assert.deepEqual(await readAll(out), plaintext, `chunk ${String(chunk)}`)
  }
})

test('a flipped ciphertext byte fails the stream and done with a typed error, releasing nothing after it', async () => {
  const plaintext = randomClip(3 * K)
  const sealed = await encryptBytes(plaintext)
  const cases: Array<[string, number, string, number]> = [
    ['header', 30, 'EnvelopeHeaderError', 0],
    ['header MAC', X25519_HEADER_SIZE - 5, 'EnvelopeHeaderError', 0],
    ['nonce', X25519_HEADER_SIZE + 3, 'EnvelopeDecryptError', 0],
    ['first chunk', PREFIX + 10, 'EnvelopeDecryptError', 0],
    ['second chunk tag', PREFIX + 2 * SEALED_CHUNK_SIZE - 1, 'EnvelopeDecryptError', K],
    ['last chunk', sealed.length - 100, 'EnvelopeDecryptError', 2 * K]
  ]
  for (const [where, at, name, released] of cases) {
    for (const [backend, crypto] of backends) {
      const bad = sealed.slice()
      bad[at]! ^= 0x80
      let opened
      try {
        opened = await decryptClip(byteStream(bad), identity, { crypto })
      } catch (err) {
        assert.equal((err as Error).name, name, `${where} (${backend})`)
        assert.equal(released, 0)
        continue
      }
      const { bytes, error } = await readUntilError(opened.plaintext)
      assert.equal((error as Error | null)?.name, name, `${where} (${backend})`)
      assert.equal(bytes, released, `${where} (${backend})`)
      await assert.rejects(opened.done, { name })
    }
  }
})

test('a truncated file is a typed error wherever it is cut', async () => {
  const sealed = await encryptBytes(randomClip(2 * K + 10))
  const cases: Array<[string, number, string]> = [
    ['empty', 0, 'EnvelopeTruncatedError'],
    ['inside the header', 100, 'EnvelopeTruncatedError'],
    ['inside the nonce', X25519_HEADER_SIZE + 4, 'EnvelopeTruncatedError'],
    ['right after the nonce', PREFIX, 'EnvelopeTruncatedError'],
    ['inside a chunk tag', PREFIX + 10, 'EnvelopeTruncatedError'],
    ['inside a chunk', PREFIX + 1000, 'EnvelopeDecryptError'],
    ['at a chunk boundary', PREFIX + SEALED_CHUNK_SIZE, 'EnvelopeTruncatedError'],
    ['at the second boundary', PREFIX + 2 * SEALED_CHUNK_SIZE, 'EnvelopeTruncatedError'],
    ['one byte short', sealed.length - 1, 'EnvelopeDecryptError']
  ]
  for (const [where, length, name] of cases) {
    const cut = sealed.subarray(0, length)
    const result = await decryptClip(byteStream(cut), identity).then(
      async (opened) => {
        const { error } = await readUntilError(opened.plaintext)
        await assert.rejects(opened.done, { name }, where)
        return error
      },
      (err: unknown) => err)
    assert.equal((result as Error | null)?.name, name, where)
  }
})

test('bytes after the final chunk are refused', async () => {
  const sealed = await encryptBytes(randomClip(100))
  const longer = new Uint8Array(sealed.length + 1)
  longer.set(sealed)
  const { plaintext } = await decryptClip(byteStream(longer), identity)
  assert.equal(((await readUntilError(plaintext)).error as Error).name, 'EnvelopeDecryptError')
})

test('a file for another key is refused before any plaintext', async () => {
  const sealed = await encryptBytes(randomClip(10))
  await assert.rejects(decryptClip(byteStream(sealed), await generateIdentity()), { name: 'EnvelopeNoMatchingIdentityError' })
  // Any one of several identities may match.
  const { plaintext } = await decryptClip(byteStream(sealed), [await generateIdentity(), identity])
  assert.equal((await readAll(plaintext)).length, 10)
})

test('a bad recipient or identity is refused before the stream is touched', async () => {
  for (const bad of ['', 'age1notakey', recipient.slice(0, -1) + (recipient.endsWith('q') ? 'p' : 'q'), identity]) {
    const source = byteStream(randomClip(10))
    await assert.rejects(encryptClip(source, bad), { name: 'InvalidRecipientError' }, bad)
    assert.equal(source.locked, false)
  }
  for (const bad of ['', 'AGE-SECRET-KEY-1NOPE', recipient, [] as string[]]) {
    const source = byteStream(await encryptBytes(randomClip(10)))
    await assert.rejects(decryptClip(source, bad), (err: Error) => {
      assert.equal(err.name, 'InvalidIdentityError')
      assert.ok(!JSON.stringify((err as unknown as { details: unknown }).details).includes('AGE-SECRET'))
      return true
    })
    assert.equal(source.locked, false)
  }
})

test('encryption reads the clip only as fast as the ciphertext is read', async () => {
  let served = 0
  const { ciphertext, done } = await encryptClip(byteStream(randomClip(64 * K), K, (n) => { served = n }), recipient, { crypto: nodeEnvelopeCrypto })
  const reader = ciphertext.getReader()
  await reader.read() // the header
  await reader.read() // the first chunk
  assert.ok(served <= 3 * K, `read ${served} bytes ahead`)
  await reader.cancel('enough')
  await assert.rejects(done, { name: 'EnvelopeAbortedError' })
})

test('cancelling the output cancels the source', async () => {
  let cancelled: unknown
  const source = new ReadableStream<Uint8Array>({
    pull (controller) { controller.enqueue(randomClip(K)) },
    cancel (reason) { cancelled = reason }
  }, { highWaterMark: 0 })
  const { ciphertext, done } = await encryptClip(source, recipient)
  const reader = ciphertext.getReader()
  await reader.read()
  await reader.cancel('stop')
  assert.equal(cancelled, 'stop')
  await assert.rejects(done, { name: 'EnvelopeAbortedError' })
})

test('a source that fails mid-clip fails the output with the same error', async () => {
  const boom = new Error('disk gone')
  let sent = 0
  const source = new ReadableStream<Uint8Array>({
    pull (controller) {
      if (sent++ === 3) controller.error(boom)
      else controller.enqueue(randomClip(K))
    }
  }, { highWaterMark: 0 })
  const { ciphertext, done } = await encryptClip(source, recipient)
  assert.equal((await readUntilError(ciphertext)).error, boom)
  await assert.rejects(done, (err) => err === boom)
})

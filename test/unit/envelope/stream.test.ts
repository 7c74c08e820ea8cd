import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Encrypter } from 'age-encryption'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import {
  CHUNK_SIZE, SEALED_CHUNK_SIZE, TAG_SIZE, X25519_HEADER_SIZE, PAYLOAD_NONCE_SIZE, PayloadOpener, PayloadSealer,
  expectedCiphertextSize, expectedPlaintextSize, generateIdentity, identityToRecipient, pureEnvelopeCrypto,
  type EnvelopeCrypto
} from '../../../protocol/envelope/index.js'
import { nodeEnvelopeCrypto } from '../../../node/crypto/index.js'
import { randomClip } from '../../support/byte-streams.js'

const backends: Array<[string, EnvelopeCrypto]> = [['pure', pureEnvelopeCrypto], ['node', nodeEnvelopeCrypto]]
const K = CHUNK_SIZE
const boundarySizes = [0, 1, K - 1, K, K + 1, 2 * K, 3 * K + 17]

/** STREAM-seals `plaintext` the way encryptClip does: full chunks, the last one flagged. */
function sealAll (key: Uint8Array, crypto: EnvelopeCrypto, plaintext: Uint8Array): Uint8Array[] {
  const sealer = new PayloadSealer(key, crypto.aead)
  const out: Uint8Array[] = []
  let at = 0
  do {
    const end = Math.min(at + K, plaintext.length)
    out.push(sealer.seal(plaintext.subarray(at, end), end === plaintext.length))
    at = end
  } while (at < plaintext.length)
  return out
}

function concat (parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return out
}

/** age-encryption's own file for `plaintext`, with the file key it chose (recorded, no stanza written). */
async function referenceAgeFile (plaintext: Uint8Array): Promise<{ file: Uint8Array, payloadKey: Uint8Array }> {
  const encrypter = new Encrypter()
  encrypter.addRecipient(await identityToRecipient(await generateIdentity()))
  let fileKey: Uint8Array | undefined
  encrypter.addRecipient({ wrapFileKey: (k) => { fileKey = k.slice(); return [] } })
  const file = await encrypter.encrypt(plaintext)
  const nonce = file.subarray(X25519_HEADER_SIZE, X25519_HEADER_SIZE + PAYLOAD_NONCE_SIZE)
  return { file, payloadKey: hkdf(sha256, fileKey!, nonce, new TextEncoder().encode('payload'), 32) }
}

test('ciphertext size is header + nonce + plaintext + 16 per 64 KiB chunk, and inverts', () => {
  const cases: Array<[number, number]> = [
    [0, 168 + 16 + 16], [1, 168 + 16 + 17], [K - 1, 168 + 16 + K + 15], [K, 168 + 16 + K + 16],
    [K + 1, 168 + 16 + K + 1 + 32], [5 * 2 ** 20, 168 + 16 + 5 * 2 ** 20 + 80 * 16]
  ]
  for (const [plain, cipher] of cases) {
    assert.equal(expectedCiphertextSize(plain), cipher, `plaintext ${plain}`)
    assert.equal(expectedPlaintextSize(cipher), plain, `ciphertext ${cipher}`)
  }
  assert.equal(expectedCiphertextSize(10, 1000), 1000 + 16 + 10 + 16)
})

test('sizes no age file can have are refused', () => {
  for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
    assert.throws(() => expectedCiphertextSize(bad), { name: 'EnvelopeSizeError' })
  }
  const prefix = X25519_HEADER_SIZE + PAYLOAD_NONCE_SIZE
  // Too short for one tag; a partial final chunk of 1..16 bytes (empty after a full chunk, or shorter than a tag).
  for (const bad of [0, prefix, prefix + 15, prefix + SEALED_CHUNK_SIZE + 1, prefix + SEALED_CHUNK_SIZE + TAG_SIZE]) {
    assert.throws(() => expectedPlaintextSize(bad), { name: 'EnvelopeSizeError' }, `size ${bad}`)
  }
})

test('our STREAM equals age-encryption\'s own payload byte for byte, with either AEAD', async () => {
  for (const size of boundarySizes) {
    const plaintext = randomClip(size)
    const { file, payloadKey } = await referenceAgeFile(plaintext)
    const payload = file.subarray(X25519_HEADER_SIZE + PAYLOAD_NONCE_SIZE)
    for (const [name, crypto] of backends) {
      assert.deepEqual(concat(sealAll(payloadKey, crypto, plaintext)), payload, `${name}, ${size} bytes`)
    }
  }
})

test('both AEAD backends seal and open each other\'s chunks identically', () => {
  const key = randomClip(32)
  const plaintext = randomClip(2 * K + 5)
  const [pure, node] = backends.map(([, crypto]) => sealAll(key, crypto, plaintext))
  assert.deepEqual(node, pure)
  for (const [name, crypto] of backends) {
    const opener = new PayloadOpener(key, crypto.aead)
    const opened = pure!.map((chunk, i) => opener.open(chunk, i === pure!.length - 1))
    assert.deepEqual(concat(opened), plaintext, name)
  }
})

test('the final flag is bound to the last chunk', () => {
  const key = randomClip(32)
  for (const [name, crypto] of backends) {
    const [a, b] = sealAll(key, crypto, randomClip(K + 10))
    // The last chunk opened as if more followed, and a middle chunk opened as if it were the last.
    const early = new PayloadOpener(key, crypto.aead)
    early.open(a!, false)
    assert.throws(() => early.open(b!, false), { name: 'EnvelopeDecryptError' }, name)
    assert.throws(() => new PayloadOpener(key, crypto.aead).open(a!, true), { name: 'EnvelopeTruncatedError' }, name)
  }
})

test('an empty final chunk is refused after data, accepted as the only chunk', () => {
  const key = randomClip(32)
  for (const [name, crypto] of backends) {
    const sealer = new PayloadSealer(key, crypto.aead)
    const full = sealer.seal(randomClip(K), false)
    const empty = sealer.seal(new Uint8Array(0), true)
    const opener = new PayloadOpener(key, crypto.aead)
    opener.open(full, false)
    assert.throws(() => opener.open(empty, true), { name: 'EnvelopeDecryptError', details: { chunk: 1, reason: 'empty final chunk' } }, name)

    const only = new PayloadSealer(key, crypto.aead).seal(new Uint8Array(0), true)
    assert.equal(only.length, TAG_SIZE)
    assert.equal(new PayloadOpener(key, crypto.aead).open(only, true).length, 0, name)
  }
})

test('a flipped bit anywhere in a chunk, or fewer bytes than a tag, fails to open', () => {
  const key = randomClip(32)
  for (const [name, crypto] of backends) {
    const [sealed] = sealAll(key, crypto, randomClip(300))
    for (const at of [0, 150, sealed!.length - 1]) {
      const bad = sealed!.slice()
      bad[at]! ^= 0x01
      assert.throws(() => new PayloadOpener(key, crypto.aead).open(bad, true), { name: 'EnvelopeDecryptError' }, `${name} @${at}`)
    }
    assert.throws(() => new PayloadOpener(key, crypto.aead).open(sealed!.subarray(0, 15), true), { name: 'EnvelopeTruncatedError' }, name)
    assert.throws(() => new PayloadOpener(randomClip(32), crypto.aead).open(sealed!, true), { name: 'EnvelopeDecryptError' }, name)
  }
})

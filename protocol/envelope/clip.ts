// Clips in and out of the age format as streams, with the clip's CID (CIDv1, raw, sha2-256 of the plaintext)
// computed on the way. Memory stays at a couple of 64 KiB chunks whatever the clip's size.
import type { CID } from 'multiformats/cid'
import { RAW_CODE, cidFromSha256Digest } from '../codec/cid.js'
import { ByteReader } from './byte-reader.js'
import { pureEnvelopeCrypto, type EnvelopeCrypto, type Sha256Hash } from './crypto.js'
import { EnvelopeAbortedError } from './errors.js'
import { headerOpener, sealHeader } from './header.js'
import { CHUNK_SIZE, PayloadOpener, PayloadSealer, SEALED_CHUNK_SIZE } from './stream.js'


/** What a finished encryption or decryption reports. */
export interface ClipDigest {
  /** CIDv1 `raw` of the plaintext's sha2-256. */
  cid: CID
  plaintextSize: number
  /** The whole age file: header, nonce and STREAM. */
  ciphertextSize: number
}

export interface EncryptedClip {
  ciphertext: ReadableStream<Uint8Array>
  /** Resolves once the last chunk is out; rejects with the error the stream fails with. */
  done: Promise<ClipDigest>
}

export interface DecryptedClip {
  /** Only authenticated bytes, a 64 KiB chunk at a time. */
  plaintext: ReadableStream<Uint8Array>
  /** Resolves once the final chunk authenticated; rejects with the error the stream fails with. */
  done: Promise<ClipDigest>
}

export interface EnvelopeOptions {
  /** The AEAD and SHA-256 to use; @default pureEnvelopeCrypto (node/crypto has the native one). */
  crypto?: EnvelopeCrypto
}

/**
 * Encrypts a clip to an age recipient (`age1…`). Resolves once the header is made, before any plaintext is
 * read; a bad recipient rejects with InvalidRecipientError and leaves `plaintext` untouched.
 */
export async function encryptClip (plaintext: ReadableStream<Uint8Array>, recipient: string, options: EnvelopeOptions = {}): Promise<EncryptedClip> {
  const crypto = options.crypto ?? pureEnvelopeCrypto
  const { prefix, payloadKey } = await sealHeader(recipient, crypto.aead)
  const sealer = new PayloadSealer(payloadKey, crypto.aead)
  const hash = crypto.sha256()
  const { stream, done } = pump(new ByteReader(plaintext), CHUNK_SIZE, prefix, hash, (block, last) => {
    hash.update(block)
    const out = sealer.seal(block, last)
    return { out, plaintextBytes: block.length, ciphertextBytes: out.length }
  })
  return { ciphertext: stream, done }
}

/**
 * Decrypts an age file with one of `identity` (`AGE-SECRET-KEY-1…`). Resolves once the header is read and
 * the file key unwrapped: a file for another key rejects here (EnvelopeNoMatchingIdentityError), a bad
 * identity before anything is read (InvalidIdentityError). Payload errors (EnvelopeDecryptError,
 * EnvelopeTruncatedError) fail the stream and `done`.
 */
export async function decryptClip (ciphertext: ReadableStream<Uint8Array>, identity: string | readonly string[], options: EnvelopeOptions = {}): Promise<DecryptedClip> {
  const crypto = options.crypto ?? pureEnvelopeCrypto
  const openHeader = headerOpener(typeof identity === 'string' ? [identity] : identity)
  const reader = new ByteReader(ciphertext)
  let opened: Awaited<ReturnType<typeof openHeader>>
  try {
    opened = await openHeader(reader)
  } catch (err) {
    await reader.cancel(err).catch(() => {})
    throw err
  }
  const opener = new PayloadOpener(opened.payloadKey, crypto.aead)
  const hash = crypto.sha256()
  const { stream, done } = pump(reader, SEALED_CHUNK_SIZE, null, hash, (block, last) => {
    const out = opener.open(block, last)
    hash.update(out)
    return { out, plaintextBytes: out.length, ciphertextBytes: block.length }
  }, opened.prefixSize)
  return { plaintext: stream, done }
}

/** Pulls blocks through `step` on demand, so the reader's pace sets the source's (backpressure). */
function pump (
  reader: ByteReader,
  blockSize: number,
  head: Uint8Array | null,
  hash: Sha256Hash,
  step: (block: Uint8Array, last: boolean) => { out: Uint8Array, plaintextBytes: number, ciphertextBytes: number },
  ciphertextBefore = 0
): { stream: ReadableStream<Uint8Array>, done: Promise<ClipDigest> } {
  let resolve!: (digest: ClipDigest) => void
  let reject!: (err: unknown) => void
  const done = new Promise<ClipDigest>((res, rej) => { resolve = res; reject = rej })
  // The same failure reaches the stream's reader; a caller who never looks at `done` must not crash Node.
  done.catch(() => {})
  let plaintextSize = 0
  let ciphertextSize = ciphertextBefore + (head?.length ?? 0)
  const blocks = reader.blocks(blockSize)
  const stream = new ReadableStream<Uint8Array>({
    start (controller) {
      if (head !== null) controller.enqueue(head)
    },
    async pull (controller) {
      try {
        const next = await blocks.next()
        if (next.done === true) return
        const { block, last } = next.value
        const { out, plaintextBytes, ciphertextBytes } = step(block, last)
        plaintextSize += plaintextBytes
        ciphertextSize += ciphertextBytes
        if (out.length > 0) controller.enqueue(out)
        if (last) {
          controller.close()
          reader.release()
          resolve({ cid: cidFromSha256Digest(hash.digest(), RAW_CODE), plaintextSize, ciphertextSize })
        }
      } catch (err) {
        controller.error(err)
        reject(err)
        await reader.cancel(err).catch(() => {})
      }
    },
    async cancel (reason) {
      reject(new EnvelopeAbortedError({ plaintextSize }, reason))
      await reader.cancel(reason).catch(() => {})
    }
  })
  return { stream, done }
}

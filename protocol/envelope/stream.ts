// The age payload (c2sp.org/age, "Payload"): STREAM over ChaCha20-Poly1305 in 64 KiB chunks, nonce = 11-byte
// big-endian chunk counter ‖ 0x01 for the final chunk, 0x00 before it. The final chunk may be full-size but
// is empty only when the whole plaintext is. This is the one part written by hand (age-encryption's own
// STREAM is fixed to @noble/ciphers, which is where ~75% of its time goes); it is kept to exactly these rules.
import type { ChunkAead } from './crypto.js'
import { EnvelopeDecryptError, EnvelopeSizeError, EnvelopeTruncatedError } from './errors.js'

export const CHUNK_SIZE = 64 * 1024
export const TAG_SIZE = 16
export const SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE
/** The random nonce between header and STREAM, the HKDF salt of the payload key. */
export const PAYLOAD_NONCE_SIZE = 16
/**
 * Bytes of an age v1 header with one X25519 stanza: the version line (22), `-> X25519 <43>` (54), the
 * 43-character body line (44) and `--- <43>` (48). Every field has a fixed length, so it never varies.
 */
export const X25519_HEADER_SIZE = 168

function checkSize (field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new EnvelopeSizeError({ field, value })
}

/** The STREAM bytes for `plaintextSize` bytes: 16 per chunk, and an empty plaintext is one chunk. */
export function sealedPayloadSize (plaintextSize: number): number {
  checkSize('plaintextSize', plaintextSize)
  return plaintextSize + TAG_SIZE * Math.max(1, Math.ceil(plaintextSize / CHUNK_SIZE))
}

/** The exact size of the age file for a clip of `plaintextSize` bytes: header, nonce, STREAM. */
export function expectedCiphertextSize (plaintextSize: number, headerSize = X25519_HEADER_SIZE): number {
  checkSize('headerSize', headerSize)
  return headerSize + PAYLOAD_NONCE_SIZE + sealedPayloadSize(plaintextSize)
}

/** The inverse of expectedCiphertextSize; throws EnvelopeSizeError for a size no age file can have. */
export function expectedPlaintextSize (ciphertextSize: number, headerSize = X25519_HEADER_SIZE): number {
  checkSize('ciphertextSize', ciphertextSize)
  checkSize('headerSize', headerSize)
  const sealed = ciphertextSize - headerSize - PAYLOAD_NONCE_SIZE
  const full = Math.floor(sealed / SEALED_CHUNK_SIZE)
  const rest = sealed % SEALED_CHUNK_SIZE
  // An empty final chunk is allowed only as the only chunk; a partial one must carry at least one byte.
  const valid = sealed === TAG_SIZE || (sealed > TAG_SIZE && (rest === 0 || rest > TAG_SIZE))
  if (!valid) throw new EnvelopeSizeError({ field: 'ciphertextSize', value: ciphertextSize, headerSize })
  return sealed - TAG_SIZE * (full + (rest > 0 ? 1 : 0))
}

/** The per-chunk nonce: counter in bytes 0..10, the final flag in byte 11. */
class ChunkNonce {
  readonly bytes = new Uint8Array(12)
  index = 0

  advance (): void {
    this.index++
    for (let i = 10; i >= 0; i--) {
      this.bytes[i] = (this.bytes[i]! + 1) & 0xff
      if (this.bytes[i] !== 0) return
    }
    throw new EnvelopeSizeError({ field: 'chunks', value: 'counter overflow' })
  }
}

/** One payload's key and AEAD, and where its chunk counter stands. */
abstract class PayloadChunks {
  protected readonly key: Uint8Array
  protected readonly aead: ChunkAead
  protected readonly nonce = new ChunkNonce()

  constructor (payloadKey: Uint8Array, aead: ChunkAead) {
    this.key = payloadKey
    this.aead = aead
  }
}

/** Seals one age payload chunk after the other; `last` exactly once, at the end. */
export class PayloadSealer extends PayloadChunks {
  /** `chunk` is CHUNK_SIZE bytes unless `last`; a last chunk is empty only if it is the first. */
  seal (chunk: Uint8Array, last: boolean): Uint8Array {
    if (last) this.nonce.bytes[11] = 1
    const sealed = this.aead.seal(this.key, this.nonce.bytes, chunk)
    this.nonce.advance()
    return sealed
  }
}

/** Opens one age payload chunk after the other and enforces the STREAM rules on the last one. */
export class PayloadOpener extends PayloadChunks {
  /** `sealed` is SEALED_CHUNK_SIZE bytes unless `last`. Throws rather than return unauthenticated bytes. */
  open (sealed: Uint8Array, last: boolean): Uint8Array {
    const chunk = this.nonce.index
    if (last && sealed.length < TAG_SIZE) throw new EnvelopeTruncatedError({ chunk, bytes: sealed.length })
    if (last && sealed.length === TAG_SIZE && chunk > 0) {
      throw new EnvelopeDecryptError({ chunk, reason: 'empty final chunk' })
    }
    if (last) this.nonce.bytes[11] = 1
    const plaintext = this.aead.open(this.key, this.nonce.bytes, sealed)
    if (plaintext === null) {
      // A full chunk that fails as final but opens as non-final is a clean cut at a chunk boundary.
      if (last && sealed.length === SEALED_CHUNK_SIZE) {
        this.nonce.bytes[11] = 0
        if (this.aead.open(this.key, this.nonce.bytes, sealed) !== null) {
          throw new EnvelopeTruncatedError({ chunk, reason: 'no final chunk' })
        }
      }
      throw new EnvelopeDecryptError({ chunk, reason: 'authentication failed' })
    }
    this.nonce.advance()
    return plaintext
  }
}

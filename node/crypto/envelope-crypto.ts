// The envelope's AEAD and SHA-256 on Node's OpenSSL: ~1.7 GiB/s ChaCha20-Poly1305 and ~1.4 GiB/s SHA-256
// here, against ~115 and ~135 MiB/s for the pure JavaScript default. Same algorithms, same bytes.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto'
import type { EnvelopeCrypto } from '../../protocol/envelope/index.js'

const TAG = 16

/** Protocol code sees plain Uint8Arrays, never Buffers (which compare and serialise differently). */
function bytes (buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}

export const nodeEnvelopeCrypto: EnvelopeCrypto = {
  aead: {
    seal (key, nonce, plaintext) {
      const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG })
      // One array and two copies: measured ~1.5× faster per chunk than Buffer.concat here.
      const sealed = new Uint8Array(plaintext.length + TAG)
      sealed.set(cipher.update(plaintext))
      cipher.final()
      sealed.set(cipher.getAuthTag(), plaintext.length)
      return sealed
    },
    open (key, nonce, sealed) {
      if (sealed.length < TAG) return null
      const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG })
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG))
      const body = decipher.update(sealed.subarray(0, sealed.length - TAG))
      try {
        decipher.final()
      } catch {
        return null
      }
      return bytes(body)
    }
  },
  sha256: () => {
    const hash = createHash('sha256')
    return {
      update (data: Uint8Array) { hash.update(data); return this },
      digest: () => bytes(hash.digest())
    }
  }
}

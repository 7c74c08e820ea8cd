// The two primitives the envelope spends its time in, behind a seam: ChaCha20-Poly1305 for age's STREAM
// chunks and SHA-256 for the clip's CID. Pure JavaScript (@noble) is the default so this runs in a browser;
// a Node caller injects the native OpenSSL versions (node/crypto), which are an order of magnitude faster.
// Both must produce identical bytes; the tests hold them to that.
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { sha256 } from '@noble/hashes/sha2.js'

/** ChaCha20-Poly1305 (RFC 8439) on one whole chunk, 32-byte key, 12-byte nonce, 16-byte tag appended. */
export interface ChunkAead {
  /** Returns ciphertext ‖ tag. */
  seal (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array
  /** Returns the plaintext, or null when `sealed` does not authenticate under key and nonce. */
  open (key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | null
}

/** An incremental SHA-256. */
export interface Sha256Hash {
  update (data: Uint8Array): unknown
  digest (): Uint8Array
}

export interface EnvelopeCrypto {
  aead: ChunkAead
  sha256: () => Sha256Hash
}

/** @noble/ciphers and @noble/hashes: audited, pure, browser-safe; about 110–140 MiB/s each here. */
export const pureEnvelopeCrypto: EnvelopeCrypto = {
  aead: {
    seal: (key, nonce, plaintext) => chacha20poly1305(key, nonce).encrypt(plaintext),
    open: (key, nonce, sealed) => {
      try {
        return chacha20poly1305(key, nonce).decrypt(sealed)
      } catch {
        return null
      }
    }
  },
  sha256: () => sha256.create()
}

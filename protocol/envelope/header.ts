// The age header and the payload nonce, done by age-encryption itself so that the recipient stanza, the
// header MAC and every parsing rule stay the library's. What we take from it is only the payload key, which
// then drives our own STREAM (stream.ts). The library has no call that returns a header with its file key,
// so encryption adds a second "recipient" that records the file key and writes no stanza.
import { Decrypter, Encrypter, type Recipient } from 'age-encryption'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import type { ChunkAead } from './crypto.js'
import type { ByteReader } from './byte-reader.js'
import { EnvelopeHeaderError, EnvelopeNoMatchingIdentityError, EnvelopeTruncatedError, InvalidIdentityError, InvalidRecipientError } from './errors.js'
import { PAYLOAD_NONCE_SIZE, PayloadSealer, TAG_SIZE } from './stream.js'

/** Far above one X25519 (168 bytes) or post-quantum (~2 KiB) stanza; a bound on what we buffer. */
export const MAX_HEADER_SIZE = 64 * 1024
const MAC_MARKER = new TextEncoder().encode('---')
const PAYLOAD_LABEL = new TextEncoder().encode('payload')

function payloadKey (fileKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return hkdf(sha256, fileKey, nonce, PAYLOAD_LABEL, 32)
}

/** The bytes before the STREAM (header ‖ nonce) and the key that seals it. */
export interface SealedHeader {
  prefix: Uint8Array
  payloadKey: Uint8Array
}

export async function sealHeader (recipient: string, aead: ChunkAead): Promise<SealedHeader> {
  if (typeof recipient !== 'string' || !recipient.startsWith('age1')) {
    throw new InvalidRecipientError({ field: 'recipient', value: String(recipient).slice(0, 100) })
  }
  const encrypter = new Encrypter()
  try {
    encrypter.addRecipient(recipient)
  } catch (err) {
    throw new InvalidRecipientError({ field: 'recipient', value: recipient.slice(0, 100) }, err)
  }
  let fileKey: Uint8Array | undefined
  const recorder: Recipient = { wrapFileKey: (key) => { fileKey = key.slice(); return [] } }
  encrypter.addRecipient(recorder)
  // The age file of an empty plaintext is header ‖ nonce ‖ the tag of one empty final chunk.
  const empty = await encrypter.encrypt(new Uint8Array(0))
  const prefix = empty.slice(0, empty.length - TAG_SIZE)
  const key = payloadKey(fileKey!, prefix.subarray(prefix.length - PAYLOAD_NONCE_SIZE))
  // Our key and AEAD must reproduce the library's own empty chunk, or what we write would not be age.
  const tag = new PayloadSealer(key, aead).seal(new Uint8Array(0), true)
  if (!bytesEqual(tag, empty.subarray(prefix.length))) {
    throw new EnvelopeHeaderError({ reason: 'payload key disagrees with age-encryption' })
  }
  return { prefix, payloadKey: key }
}

/** Reads header and nonce from a reader and returns the payload key; made by headerOpener. */
export type HeaderOpener = (reader: ByteReader) => Promise<{ payloadKey: Uint8Array, prefixSize: number }>

/** Checks `identities` now (nothing read yet on a bad one); the opener unwraps the file key with them. */
export function headerOpener (identities: readonly string[]): HeaderOpener {
  if (!Array.isArray(identities) || identities.length === 0) {
    throw new InvalidIdentityError({ field: 'identity', reason: 'none given' })
  }
  const decrypter = new Decrypter()
  identities.forEach((identity, index) => {
    try {
      if (typeof identity !== 'string') throw new TypeError('identity must be a string')
      decrypter.addIdentity(identity)
    } catch (err) {
      // Never echo a secret key into an error.
      throw new InvalidIdentityError({ field: 'identity', index }, err)
    }
  })
  // Tried last, so it is asked only when no real identity matched: that tells "not for us" from "broken".
  let unmatched = false
  decrypter.addIdentity({ unwrapFileKey: () => { unmatched = true; return null } })

  return async (reader) => {
    const header = await reader.readThroughLine(MAC_MARKER, MAX_HEADER_SIZE)
    if (header === 'end') throw new EnvelopeTruncatedError({ part: 'header', bytes: reader.consumed })
    if (header === 'limit') throw new EnvelopeHeaderError({ reason: 'header too long', limit: MAX_HEADER_SIZE })
    let fileKey: Uint8Array
    try {
      fileKey = await decrypter.decryptHeader(header)
    } catch (err) {
      if (unmatched) throw new EnvelopeNoMatchingIdentityError({ identities: identities.length })
      throw new EnvelopeHeaderError({ reason: err instanceof Error ? err.message : String(err) }, err)
    }
    const nonce = await reader.readExact(PAYLOAD_NONCE_SIZE)
    if (nonce === null) throw new EnvelopeTruncatedError({ part: 'nonce', bytes: reader.consumed })
    return { payloadKey: payloadKey(fileKey, nonce), prefixSize: header.length + PAYLOAD_NONCE_SIZE }
  }
}

function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

// C2SP signed-note: a text ending in a newline, a blank line, then one or more signature lines
// `— <key name> <base64(uint32 key id ‖ signature)>`. Parsing is strict about the form and neutral about
// the signatures: deciding which are from known keys is the verifier's job (checkpoint-signature.ts).
import { sha256 } from '@noble/hashes/sha2.js'
import { decodeBase64, encodeBase64 } from './base64.js'
import { isKeyName, isNoteSafe, MAX_NOTE_LENGTH } from './checkpoint.js'
import { InvalidNoteError } from './errors.js'

/** Most signature lines accepted in one note (C2SP asks verifiers to accept at least 16). */
export const MAX_NOTE_SIGNATURES = 32

export interface NoteSignature {
  /** The signer's key name. */
  readonly name: string
  /** The uint32 key id (first four signature bytes, big-endian). */
  readonly keyId: number
  /** The signature proper, after the key id. */
  readonly signature: Uint8Array
}

export interface SignedNote {
  /** The signed text, ending in a newline. */
  readonly text: string
  readonly signatures: readonly NoteSignature[]
}

const SIGNATURE_LINE = /^\u2014 (\S+) (\S+)$/u

/**
 * A key id as C2SP recommends: the first four bytes of SHA-256(key name ‖ 0x0A ‖ signature type ‖ key),
 * read big-endian. `signatureType` is the type byte and any identifier that follows it.
 */
export function noteKeyId (name: string, signatureType: Uint8Array, key: Uint8Array): number {
  const nameBytes = new TextEncoder().encode(name)
  const buf = new Uint8Array(nameBytes.length + 1 + signatureType.length + key.length)
  buf.set(nameBytes, 0)
  buf[nameBytes.length] = 0x0a
  buf.set(signatureType, nameBytes.length + 1)
  buf.set(key, nameBytes.length + 1 + signatureType.length)
  const h = sha256(buf)
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0
}

/** A signed note from its text and signatures. */
export function formatSignedNote (note: SignedNote): string {
  const { text, signatures } = note
  if (typeof text !== 'string' || !text.endsWith('\n') || !isNoteSafe(text)) throw new InvalidNoteError('text must end in a newline and hold no control characters')
  if (signatures.length === 0 || signatures.length > MAX_NOTE_SIGNATURES) throw new InvalidNoteError('needs 1…32 signatures', { value: signatures.length })
  const lines = signatures.map(formatSignatureLine)
  const out = `${text}\n${lines.join('')}`
  if (out.length > MAX_NOTE_LENGTH) throw new InvalidNoteError('note too long', { limit: MAX_NOTE_LENGTH })
  return out
}

/** Splits a signed note into text and signatures; anything malformed is InvalidNoteError. */
export function parseSignedNote (note: string): SignedNote {
  if (typeof note !== 'string') throw new InvalidNoteError('not a string')
  if (note.length > MAX_NOTE_LENGTH) throw new InvalidNoteError('note too long', { limit: MAX_NOTE_LENGTH })
  if (!isNoteSafe(note)) throw new InvalidNoteError('control characters or invalid UTF-16')
  if (!note.endsWith('\n')) throw new InvalidNoteError('does not end in a newline')
  const split = note.lastIndexOf('\n\n')
  if (split < 0) throw new InvalidNoteError('no blank line before the signatures')
  const text = note.slice(0, split + 1)
  const lines = note.slice(split + 2, -1).split('\n')
  if (lines.length > MAX_NOTE_SIGNATURES) throw new InvalidNoteError('too many signatures', { value: lines.length, limit: MAX_NOTE_SIGNATURES })
  const signatures = lines.map((line, i) => parseSignatureLine(line, i))
  return { text, signatures }
}

/** One signature line, `— <name> <base64(key id ‖ signature)>` followed by its newline. */
export function formatSignatureLine ({ name, keyId, signature }: NoteSignature): string {
  if (!isKeyName(name)) throw new InvalidNoteError('key name empty or with spaces or plus', { value: name })
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffffffff) throw new InvalidNoteError('key id not a uint32', { value: keyId })
  const bytes = new Uint8Array(4 + signature.length)
  new DataView(bytes.buffer).setUint32(0, keyId)
  bytes.set(signature, 4)
  return `\u2014 ${name} ${encodeBase64(bytes)}\n`
}

/** One signature line without its newline (`line` is its index in the note, for the error's details). */
export function parseSignatureLine (text: string, line = 0): NoteSignature {
  const m = typeof text === 'string' ? SIGNATURE_LINE.exec(text) : null
  if (m === null || !isKeyName(m[1]!)) throw new InvalidNoteError('malformed signature line', { line })
  const bytes = decodeBase64(m[2]!)
  if (bytes === undefined || bytes.length < 5) throw new InvalidNoteError('signature is not base64 of a key id and signature', { line })
  return { name: m[1]!, keyId: new DataView(bytes.buffer).getUint32(0), signature: bytes.slice(4) }
}

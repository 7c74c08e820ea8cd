// C2SP tlog-cosignature (Ed25519, `cosignature/v1`) and signed-note verifier keys. A witness signs
//   "cosignature/v1\n" ‖ "time <seconds>\n" ‖ the checkpoint note text
// and writes the note signature line `— <name> base64(key id ‖ u64 BE timestamp ‖ 64-byte Ed25519 signature)`,
// key id = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4]. The signed message does not commit to the name, so
// a witness key must never serve two names (C2SP says so; nothing here can enforce it).
import { ed25519 } from '@noble/curves/ed25519.js'
import { fromHex } from '../codec/hex.js'
import { decodeBase64, encodeBase64 } from './base64.js'
import { isKeyName, parseCheckpoint } from './checkpoint.js'
import {
  ForgedCosignatureError, InvalidCosignatureError, InvalidVerifierKeyError, InvalidWitnessKeyError,
  WrongCosignerError, WrongCosignerKeyIdError
} from './errors.js'
import { formatSignatureLine, noteKeyId, parseSignatureLine, type NoteSignature } from './signed-note.js'

/** Signed-note signature type of timestamped Ed25519 checkpoint cosignatures (C2SP tlog-cosignature). */
export const COSIGNATURE_V1_TYPE = 0x04
/** Signed-note signature type of plain Ed25519 note signatures (C2SP signed-note). */
export const ED25519_NOTE_TYPE = 0x01

const KEY_SIZE = 32
const ED25519_SIGNATURE_SIZE = 64
/** key id ‖ timestamp ‖ signature. */
const LINE_BYTES = 4 + 8 + ED25519_SIGNATURE_SIZE

export interface Cosignature {
  /** The witness's key name. */
  readonly name: string
  /** Its cosignature/v1 key id (uint32). */
  readonly keyId: number
  /** When the witness signed, in POSIX seconds. */
  readonly timestamp: number
}

export interface VerifierKey {
  readonly name: string
  readonly keyId: number
  /** The signature type byte: 0x04 (cosignature/v1) or 0x01 (Ed25519 note signatures). */
  readonly type: number
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array
}

function checkName (name: string): void {
  if (typeof name !== 'string' || !isKeyName(name)) throw new InvalidWitnessKeyError('name', 'empty, or has spaces, plus or control characters')
}

function checkPublicKey (publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== KEY_SIZE) throw new InvalidWitnessKeyError('publicKey', 'not 32 bytes')
}

// Timestamps are JavaScript numbers, so at most 2^53 − 1 (C2SP allows up to 2^63 − 1; no real clock gets there).
function checkTimestamp (timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new InvalidCosignatureError('timestamp is not a safe non-negative integer', { value: timestamp })
}

/** The cosignature/v1 key id of a witness: SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4], big-endian. */
export function witnessKeyId (name: string, publicKey: Uint8Array): number {
  checkName(name)
  checkPublicKey(publicKey)
  return noteKeyId(name, Uint8Array.of(COSIGNATURE_V1_TYPE), publicKey)
}

/** The exact bytes a cosignature/v1 signs: the header line, the time line, then the checkpoint note text. */
export function cosignedMessage (checkpointBody: string, timestamp: number): Uint8Array {
  parseCheckpoint(checkpointBody)
  checkTimestamp(timestamp)
  return new TextEncoder().encode(`cosignature/v1\ntime ${timestamp}\n${checkpointBody}`)
}

/**
 * A witness's cosignature of `checkpoint` (the checkpoint note text, without signatures) at `timestamp`
 * (POSIX seconds) with its 32-byte Ed25519 secret key: one note signature line, ending in a newline, to
 * append to the signed checkpoint.
 */
export function signCosignature (init: { name: string, secretKey: Uint8Array, checkpoint: string, timestamp: number }): string {
  const { name, secretKey, checkpoint, timestamp } = init
  checkName(name)
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== KEY_SIZE) throw new InvalidWitnessKeyError('secretKey', 'not 32 bytes')
  const message = cosignedMessage(checkpoint, timestamp)
  const publicKey = ed25519.getPublicKey(secretKey)
  return formatCosignature({ name, keyId: witnessKeyId(name, publicKey), timestamp, signature: ed25519.sign(message, secretKey) })
}

/**
 * The cosignature/v1 note signature line (ending in a newline) of witness `name` (key id `keyId`) for the
 * 64-byte Ed25519 `signature` of `cosignedMessage(checkpoint, timestamp)`. `signCosignature` uses it; so can a
 * signer that is not noble (a node's OpenSSL, an HSM), with the message from `cosignedMessage`.
 */
export function formatCosignature (init: { name: string, keyId: number, timestamp: number, signature: Uint8Array }): string {
  const { name, keyId, timestamp, signature } = init
  checkName(name)
  checkTimestamp(timestamp)
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_SIZE) throw new InvalidCosignatureError('not a 64-byte signature', { value: signature?.length })
  const bytes = new Uint8Array(8 + ED25519_SIGNATURE_SIZE)
  new DataView(bytes.buffer).setBigUint64(0, BigInt(timestamp))
  bytes.set(signature, 8)
  return formatSignatureLine({ name, keyId, signature: bytes })
}

/**
 * The name, key id and timestamp of a cosignature/v1 line (with or without its newline) or of a signature
 * already split out of a note, without checking the signature. A malformed line is InvalidNoteError; a
 * signature that is not timestamp ‖ 64 bytes, or a timestamp above 2^53 − 1, is InvalidCosignatureError.
 */
export function parseCosignature (cosignature: string | NoteSignature): Cosignature & { signature: Uint8Array } {
  const { name, keyId, signature } = typeof cosignature === 'string'
    ? parseSignatureLine(cosignature.endsWith('\n') ? cosignature.slice(0, -1) : cosignature)
    : cosignature
  if (signature.length !== LINE_BYTES - 4) throw new InvalidCosignatureError('not a timestamp and a 64-byte signature', { value: signature.length })
  const timestamp = new DataView(signature.buffer, signature.byteOffset).getBigUint64(0)
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidCosignatureError('timestamp above 2^53 - 1', { value: timestamp.toString() })
  return { name, keyId, timestamp: Number(timestamp), signature: signature.slice(8) }
}

/**
 * An Ed25519 signature check: true when `signature` over `message` verifies under the 32-byte `publicKey`.
 * A node may pass a faster one than noble's (node/network passes OpenSSL's); the browser keeps the default.
 */
export type Ed25519Verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean

/** noble's Ed25519 verification, RFC 8032 strict (not ZIP 215): the default everywhere protocol/ runs. */
export function verifyEd25519 (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return ed25519.verify(signature, message, publicKey, { zip215: false })
}

/**
 * Verifies witness `name`'s cosignature/v1 (a line or a parsed note signature) of `checkpoint` (the note
 * text) under its 32-byte Ed25519 `publicKey`. Another name is WrongCosignerError, another key id
 * WrongCosignerKeyIdError, a signature that does not verify (RFC 8032 strict, not ZIP 215) ForgedCosignatureError.
 */
export function verifyCosignature (init: {
  name: string
  publicKey: Uint8Array
  checkpoint: string
  cosignature: string | NoteSignature
  /** The Ed25519 check itself. @default noble's, RFC 8032 strict */
  verify?: Ed25519Verify
}): Cosignature {
  const { name, publicKey, checkpoint, verify = verifyEd25519 } = init
  const expectedId = witnessKeyId(name, publicKey)
  const parsed = parseCosignature(init.cosignature)
  if (parsed.name !== name) throw new WrongCosignerError(name, parsed.name)
  if (parsed.keyId !== expectedId) throw new WrongCosignerKeyIdError(expectedId, parsed.keyId)
  const message = cosignedMessage(checkpoint, parsed.timestamp)
  let valid: boolean
  try { valid = verify(parsed.signature, message, publicKey) } catch { valid = false }
  if (!valid) throw new ForgedCosignatureError(name, parsed.keyId)
  return { name, keyId: parsed.keyId, timestamp: parsed.timestamp }
}

// The vkey form of a key id: fixed-length lowercase hex of the big-endian uint32.
function hexKeyId (keyId: number): string {
  return keyId.toString(16).padStart(8, '0')
}

/** A witness's verifier key `<name>+<hex key id>+<base64(0x04 ‖ public key)>` (C2SP signed-note vkey). */
export function encodeVerifierKey (name: string, publicKey: Uint8Array): string {
  const keyId = witnessKeyId(name, publicKey)
  return `${name}+${hexKeyId(keyId)}+${encodeBase64(Uint8Array.of(COSIGNATURE_V1_TYPE, ...publicKey))}`
}

/**
 * Parses an Ed25519 verifier key: type 0x04 (a witness) or 0x01 (a note signer); callers that want a
 * witness check `type`. The key id must be lowercase hex of 8 digits and match the name, type and key.
 */
export function parseVerifierKey (vkey: string): VerifierKey {
  if (typeof vkey !== 'string') throw new InvalidVerifierKeyError('not a string')
  // Names have no plus and the id is 8 digits, but base64 has pluses: split at the first two.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/su.exec(vkey)
  if (m === null) throw new InvalidVerifierKeyError('not three parts separated by +')
  const [, name, hexId, material] = m as unknown as [string, string, string, string]
  if (!isKeyName(name)) throw new InvalidVerifierKeyError('key name empty or with spaces or control characters')
  if (!/^[0-9a-f]{8}$/.test(hexId)) throw new InvalidVerifierKeyError('key id is not 8 lowercase hex digits', { value: hexId })
  const bytes = decodeBase64(material)
  if (bytes === undefined) throw new InvalidVerifierKeyError('key is not canonical base64')
  const type = bytes[0]
  if (type !== COSIGNATURE_V1_TYPE && type !== ED25519_NOTE_TYPE) throw new InvalidVerifierKeyError('not an Ed25519 signature type', { value: type })
  const publicKey = bytes.slice(1)
  if (publicKey.length !== KEY_SIZE) throw new InvalidVerifierKeyError('key is not 32 bytes', { value: publicKey.length })
  const idBytes = fromHex(hexId)
  const keyId = new DataView(idBytes.buffer, idBytes.byteOffset).getUint32(0)
  const expected = noteKeyId(name, Uint8Array.of(type), publicKey)
  if (keyId !== expected) throw new InvalidVerifierKeyError('key id does not match name and key', { expected: hexKeyId(expected), value: hexId })
  return { name, keyId, type, publicKey }
}

// Checkpoints signed by the agency's Ethereum key, as a C2SP signed note. The signature is the 65-byte
// recoverable secp256k1 signature r ‖ s ‖ v (v = 27 or 28) over the EIP-191 personal-message hash of the
// note text, so a wallet can sign it and `ethers.verifyMessage(text, signature)` returns the agency address.
// The key name is the origin; the key id follows C2SP's recommendation with signature type 0xff (the byte
// C2SP reserves for types it has not assigned) followed by the identifier below and the 20-byte address.
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { fromHex } from '../codec/hex.js'
import { addressFromPublicKey } from '../signing/address.js'
import { formatCheckpoint, parseCheckpoint, parseCheckpointOrigin, type Checkpoint } from './checkpoint.js'
import {
  InvalidCheckpointError, InvalidCheckpointSignatureError, MissingSignatureError, WrongOriginError, WrongSignerError
} from './errors.js'
import { formatSignedNote, noteKeyId, parseSignedNote } from './signed-note.js'

/**
 * Recovers the uncompressed (65-byte) secp256k1 public key that made the compact signature r ‖ s (64 bytes)
 * with recovery bit `recovery` (0 or 1) over a 32-byte digest, or throws. The checks around it (length, v,
 * low s, the signer's address) stay in `openCheckpoint`, so an implementation only does the curve work:
 * protocol's own is noble's (pure, for the browser); a node may pass a native one (node/crypto).
 */
export type SignerRecovery = (signature: Uint8Array, recovery: number, digest: Uint8Array) => Uint8Array

/**
 * A checker that knows signers' keys (protocol/signing's SignatureVerifier): given the signer expected, it
 * verifies against that signer's known key and recovers only when it has none. Answers the lowercase address
 * that signed, or throws. `keccak256` hashes the note (the backend's: a node's is native).
 */
export interface KnownSigners {
  signerOf (signature: Uint8Array, recovery: number, digest: Uint8Array, expected: string): string
  readonly backend: { keccak256: (data: Uint8Array) => Uint8Array }
}

/** noble's secp256k1 recovery, the one `openCheckpoint` uses unless given another. */
export const pureSignerRecovery: SignerRecovery = (signature, recovery, digest) =>
  secp256k1.Signature.fromBytes(signature, 'compact').addRecoveryBit(recovery).recoverPublicKey(digest).toBytes(false)

const SIGNATURE_TYPE = new Uint8Array([0xff, ...new TextEncoder().encode('porchlight/eip191-secp256k1')])
const SIGNATURE_LENGTH = 65

/** EIP-191 `personal_sign` hash: keccak256("\x19Ethereum Signed Message:\n" ‖ byte length ‖ message). */
export function hashPersonalMessage (message: string, keccak: (data: Uint8Array) => Uint8Array = keccak_256): Uint8Array {
  const body = new TextEncoder().encode(message)
  const prefix = new TextEncoder().encode(`\x19Ethereum Signed Message:\n${body.length}`)
  const buf = new Uint8Array(prefix.length + body.length)
  buf.set(prefix)
  buf.set(body, prefix.length)
  return keccak(buf)
}

/** The Ethereum address (lowercase) of an uncompressed or compressed secp256k1 public key. */
function addressOfPublicKey (publicKey: Uint8Array): string {
  return addressFromPublicKey(secp256k1.Point.fromBytes(publicKey).toBytes(false)).toLowerCase()
}

/** The key id of an agency's checkpoint key (name = origin). */
export function checkpointKeyId (origin: string, agency: string): number {
  if (typeof agency !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(agency)) throw new InvalidCheckpointError('agency', 'not a 20-byte hex address', { value: agency })
  return noteKeyId(origin, SIGNATURE_TYPE, fromHex(agency.toLowerCase()))
}

/**
 * Signs a checkpoint with the agency's 32-byte secp256k1 private key; returns the signed note.
 * The origin must be the key's own (`porchlight.<chainId>/<its address>`), or WrongSignerError.
 */
export function signCheckpoint (checkpoint: Checkpoint, privateKey: Uint8Array): string {
  const text = formatCheckpoint(checkpoint)
  const { agency } = parseCheckpointOrigin(checkpoint.origin)
  let signer: string
  try { signer = addressOfPublicKey(secp256k1.getPublicKey(privateKey)) } catch (cause) {
    throw new InvalidCheckpointSignatureError('private key is not a secp256k1 scalar', { cause })
  }
  if (signer !== agency) throw new WrongSignerError(agency, signer)
  const recovered = secp256k1.sign(hashPersonalMessage(text), privateKey, { prehash: false, format: 'recovered' })
  // noble puts the recovery bit first; Ethereum puts it last, as 27 + bit.
  const signature = new Uint8Array(SIGNATURE_LENGTH)
  signature.set(recovered.subarray(1), 0)
  signature[64] = 27 + recovered[0]!
  return formatSignedNote({ text, signatures: [{ name: checkpoint.origin, keyId: checkpointKeyId(checkpoint.origin, agency), signature }] })
}

/** The address (lowercase) that made a 65-byte r ‖ s ‖ v signature over `text`; rejects high-s and bad v. */
function recoverSigner (text: string, signature: Uint8Array, recover: SignerRecovery | KnownSigners, agency: string): string {
  if (signature.length !== SIGNATURE_LENGTH) throw new InvalidCheckpointSignatureError('not 65 bytes')
  const v = signature[64]!
  if (v !== 27 && v !== 28) throw new InvalidCheckpointSignatureError('v is not 27 or 28')
  const compact = signature.subarray(0, 64)
  try {
    // A high-s twin of a valid signature recovers the same key: refuse it so each checkpoint has one signature.
    // Parsing also refuses r or s of 0 or not below the group order, whatever `recover` would do with them.
    if (secp256k1.Signature.fromBytes(compact, 'compact').hasHighS()) throw new Error('high s')
    if (typeof recover !== 'function') return recover.signerOf(compact, v - 27, hashPersonalMessage(text, recover.backend.keccak256), agency)
    return addressOfPublicKey(recover(compact, v - 27, hashPersonalMessage(text)))
  } catch (cause) {
    throw new InvalidCheckpointSignatureError('does not recover a public key', { cause })
  }
}

/**
 * Opens a signed checkpoint from the log `expectedOrigin`: the note must be well formed, the checkpoint's
 * origin must be `expectedOrigin`, and every signature line by the origin's agency key (name and key id)
 * must verify — at least one must be present. Other signatures (witnesses) are ignored, as C2SP requires.
 * Returns the checkpoint and the signer's address (lowercase). `recover` does the curve work (@default noble's),
 * or a KnownSigners checker that verifies against the agency's known key.
 */
export function openCheckpoint (noteText: string, expectedOrigin: string, recover: SignerRecovery | KnownSigners = pureSignerRecovery): { checkpoint: Checkpoint, signer: string } {
  const note = parseSignedNote(noteText)
  const checkpoint = parseCheckpoint(note.text)
  if (checkpoint.origin !== expectedOrigin) throw new WrongOriginError(expectedOrigin, checkpoint.origin)
  const { agency } = parseCheckpointOrigin(expectedOrigin)
  const keyId = checkpointKeyId(expectedOrigin, agency)
  const known = note.signatures.filter((s) => s.name === expectedOrigin && s.keyId === keyId)
  if (known.length === 0) throw new MissingSignatureError(expectedOrigin, keyId)
  for (const { signature } of known) {
    const signer = recoverSigner(note.text, signature, recover, agency)
    if (signer !== agency) throw new WrongSignerError(agency, signer)
  }
  return { checkpoint, signer: agency }
}

/**
 * Verifies a signed checkpoint of `agencyAddress`'s log (on chain `chainId` when given); returns the
 * checkpoint. A log of another agency is WrongSignerError; another chain is WrongOriginError.
 */
export function verifyCheckpoint (noteText: string, agencyAddress: string, chainId?: number | bigint): Checkpoint {
  const { origin } = parseCheckpoint(parseSignedNote(noteText).text)
  const named = parseCheckpointOrigin(origin)
  const expected = agencyAddress.toLowerCase()
  if (named.agency !== expected) throw new WrongSignerError(expected, named.agency)
  if (chainId !== undefined && named.chainId !== BigInt(chainId)) throw new WrongOriginError(`porchlight.${BigInt(chainId)}/${expected}`, origin)
  return openCheckpoint(noteText, origin).checkpoint
}

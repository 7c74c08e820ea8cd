// RFC 9162 §2.1.1 Merkle tree hashing with SHA-256: a leaf is hashed as SHA-256(0x00 ‖ entry), an interior
// node as SHA-256(0x01 ‖ left ‖ right), and the empty tree as SHA-256 of nothing. The prefixes keep leaf
// and node hashes apart (no second-preimage by presenting a node as a leaf).
import { sha256 } from '@noble/hashes/sha2.js'
import { InvalidHashError } from './errors.js'

/** Bytes in every hash of the tree. */
export const HASH_SIZE = 32

const EMPTY_ROOT = sha256(new Uint8Array(0))

/** The root of the empty tree: SHA-256 of the empty string. */
export function emptyRoot (): Uint8Array {
  return EMPTY_ROOT.slice()
}

/** The leaf hash of a log entry: SHA-256(0x00 ‖ entry). */
export function hashLeaf (entry: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + entry.length)
  buf[0] = 0x00
  buf.set(entry, 1)
  return sha256(buf)
}

/** The hash of an interior node: SHA-256(0x01 ‖ left ‖ right). */
export function hashChildren (left: Uint8Array, right: Uint8Array): Uint8Array {
  // A short hash would otherwise be zero-padded silently by `set`.
  if (left.length !== HASH_SIZE) throw new InvalidHashError('left', left.length)
  if (right.length !== HASH_SIZE) throw new InvalidHashError('right', right.length)
  const buf = new Uint8Array(1 + 2 * HASH_SIZE)
  buf[0] = 0x01
  buf.set(left, 1)
  buf.set(right, 1 + HASH_SIZE)
  return sha256(buf)
}

/**
 * The two hashes of the tree, so a Node caller can supply native SHA-256 (node/crypto's `nodeTreeHasher`,
 * 2–4× faster on these small inputs) where millions of hashes are computed. Same bytes either way.
 */
export interface TreeHasher {
  /** SHA-256(0x00 ‖ entry). */
  leaf: (entry: Uint8Array) => Uint8Array
  /** SHA-256(0x01 ‖ left ‖ right); throws InvalidHashError unless both are 32 bytes. */
  children: (left: Uint8Array, right: Uint8Array) => Uint8Array
}

/** hashLeaf and hashChildren: pure JavaScript (@noble/hashes), for the browser. */
export const pureTreeHasher: TreeHasher = { leaf: hashLeaf, children: hashChildren }

/** Throws InvalidHashError unless `hash` is a 32-byte Uint8Array. */
export function checkHash (hash: Uint8Array, field: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new InvalidHashError(field, hash instanceof Uint8Array ? hash.length : -1)
  }
}

/** Byte-wise equality of two hashes (public data: no need for constant time). */
export function equalHashes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

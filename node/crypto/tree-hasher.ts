// RFC 9162 tree hashing on Node's OpenSSL. An auditor computes two SHA-256 per entry (its leaf, and on
// average one node); on inputs this small a one-shot native hash is 2–4× faster than @noble/hashes,
// whose per-call setup costs about as much as the hashing. Same bytes as protocol's pureTreeHasher.
import { hash } from 'node:crypto'
import { HASH_SIZE, InvalidHashError, type TreeHasher } from '../../protocol/tlog/index.js'

// Each hash's input is written into one reused buffer behind its prefix byte: no allocation per hash.
// Safe because hashing is synchronous and nothing keeps the buffer.
const node = new Uint8Array(1 + 2 * HASH_SIZE)
node[0] = 0x01
let leaf = new Uint8Array(1 + 1024)

/** Protocol code sees plain Uint8Arrays, never Buffers (whose `slice` is a view, not a copy). */
function sha256 (input: Uint8Array): Uint8Array {
  const digest = hash('sha256', input, 'buffer')
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}

export const nodeTreeHasher: TreeHasher = {
  leaf (entry) {
    if (entry.length >= leaf.length) leaf = new Uint8Array(2 ** Math.ceil(Math.log2(entry.length + 1)))
    leaf[0] = 0x00
    leaf.set(entry, 1)
    return sha256(leaf.subarray(0, 1 + entry.length))
  },
  children (left, right) {
    if (left.length !== HASH_SIZE) throw new InvalidHashError('left', left.length)
    if (right.length !== HASH_SIZE) throw new InvalidHashError('right', right.length)
    node.set(left, 1)
    node.set(right, 1 + HASH_SIZE)
    return sha256(node)
  }
}

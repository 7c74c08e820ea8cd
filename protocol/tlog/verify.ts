// RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) proof verification, step by step as the RFC
// states them. Every way a proof can be wrong ends in InvalidProofError; nothing here reads storage.
import { checkHash, emptyRoot, equalHashes, hashChildren, HASH_SIZE } from './hasher.js'
import { InvalidProofError } from './errors.js'

function checkNumber (field: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidProofError(`${field} is not a tree size`, { field, value: n })
}

function checkProofHashes (proof: readonly Uint8Array[]): void {
  if (!Array.isArray(proof)) throw new InvalidProofError('proof is not an array', { field: 'proof' })
  proof.forEach((h, i) => {
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
      throw new InvalidProofError('proof hash is not 32 bytes', { field: `proof[${i}]`, value: h instanceof Uint8Array ? h.length : typeof h })
    }
  })
}

function checkInputHash (field: string, h: Uint8Array): void {
  try { checkHash(h, field) } catch (cause) {
    throw new InvalidProofError(`${field} is not a 32-byte hash`, { field, cause })
  }
}

const half = (n: number): number => Math.floor(n / 2)
const odd = (n: number): boolean => n % 2 === 1

/**
 * The root implied by an inclusion proof of `leafHash` at `index` in a tree of `size` leaves.
 * Throws InvalidProofError when the proof cannot be one for that index and size (wrong length).
 */
export function rootFromInclusionProof (leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Uint8Array {
  checkNumber('index', index)
  checkNumber('size', size)
  checkInputHash('leafHash', leafHash)
  checkProofHashes(proof)
  if (index >= size) throw new InvalidProofError('index not below size', { field: 'index', value: index, limit: size })
  let fn = index
  let sn = size - 1
  let r = leafHash
  for (const p of proof) {
    if (sn === 0) throw new InvalidProofError('proof too long', { field: 'proof', value: proof.length })
    if (odd(fn) || fn === sn) {
      r = hashChildren(p, r)
      while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn) }
    } else {
      r = hashChildren(r, p)
    }
    fn = half(fn)
    sn = half(sn)
  }
  if (sn !== 0) throw new InvalidProofError('proof too short', { field: 'proof', value: proof.length })
  return r
}

/** Checks that `proof` proves `leafHash` is leaf `index` of the tree of `size` leaves with root `root`. */
export function verifyInclusion (leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): void {
  checkInputHash('root', root)
  const computed = rootFromInclusionProof(leafHash, index, size, proof)
  if (!equalHashes(computed, root)) throw new InvalidProofError('root mismatch', { field: 'root' })
}

/**
 * Checks that the tree of `n` leaves with root `rootN` extends the tree of `m` leaves with root `rootM`.
 * Sizes 0 and m = n take an empty proof (and, being stricter than the RFC, the roots must still fit:
 * the empty-tree hash for size 0, equal roots for m = n).
 */
export function verifyConsistency (m: number, n: number, proof: readonly Uint8Array[], rootM: Uint8Array, rootN: Uint8Array): void {
  checkNumber('m', m)
  checkNumber('n', n)
  checkInputHash('rootM', rootM)
  checkInputHash('rootN', rootN)
  checkProofHashes(proof)
  if (m > n) throw new InvalidProofError('m greater than n', { field: 'm', value: m, limit: n })
  if (m === 0 || m === n) {
    if (proof.length !== 0) throw new InvalidProofError('proof must be empty', { field: 'proof', value: proof.length })
    if (m === 0 && !equalHashes(rootM, emptyRoot())) throw new InvalidProofError('root of size 0 is not the empty-tree hash', { field: 'rootM' })
    if (m === n && !equalHashes(rootM, rootN)) throw new InvalidProofError('roots of equal sizes differ', { field: 'rootN' })
    return
  }
  if (proof.length === 0) throw new InvalidProofError('proof is empty', { field: 'proof', value: 0 })
  // Step 2: when m is a power of two the old root is itself the first node of the path.
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : proof
  let fn = m - 1
  let sn = n - 1
  while (odd(fn)) { fn = half(fn); sn = half(sn) }
  let fr = path[0]!
  let sr = path[0]!
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!
    if (sn === 0) throw new InvalidProofError('proof too long', { field: 'proof', value: proof.length })
    if (odd(fn) || fn === sn) {
      fr = hashChildren(c, fr)
      sr = hashChildren(c, sr)
      while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn) }
    } else {
      sr = hashChildren(sr, c)
    }
    fn = half(fn)
    sn = half(sn)
  }
  if (sn !== 0) throw new InvalidProofError('proof too short', { field: 'proof', value: proof.length })
  if (!equalHashes(fr, rootM)) throw new InvalidProofError('old root mismatch', { field: 'rootM' })
  if (!equalHashes(sr, rootN)) throw new InvalidProofError('new root mismatch', { field: 'rootN' })
}

function isPowerOfTwo (n: number): boolean {
  while (n > 1) { if (odd(n)) return false; n = n / 2 }
  return n === 1
}

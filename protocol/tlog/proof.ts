// RFC 9162 §2.1.3.1 (inclusion) and §2.1.4.1 (consistency) proof generation, in two steps as in
// transparency-dev/merkle: a pure plan names the full subtrees a proof needs, a HashReader supplies their
// hashes (one batch), and the plan folds them into proof hashes. A proof hash that covers the ragged right
// border of the tree is not a stored node; the plan rebuilds it from the full subtrees under it.
import { emptyRoot, hashChildren } from './hasher.js'
import { IndexOutOfRangeError } from './errors.js'
import type { HashReader } from './hash-reader.js'
import { checkTreeSize, rangeNodes, splitPoint, type NodeId } from './subtree.js'

/** Which stored hashes a proof (or root) needs, and how to fold them into its hashes. */
export class ProofPlan {
  /** The full subtrees to read, in order. */
  readonly nodes: readonly NodeId[]
  /** For each output hash, how many of `nodes` it folds (right to left). */
  readonly #groups: readonly number[]

  constructor (ranges: ReadonlyArray<readonly [number, number]>) {
    const nodes: NodeId[] = []
    const groups: number[] = []
    for (const [begin, end] of ranges) {
      const part = rangeNodes(begin, end)
      nodes.push(...part)
      groups.push(part.length)
    }
    this.nodes = nodes
    this.#groups = groups
  }

  /** The output hashes from the hashes of `nodes` (same order). */
  build (hashes: readonly Uint8Array[]): Uint8Array[] {
    if (hashes.length !== this.nodes.length) throw new IndexOutOfRangeError('hashes', hashes.length, this.nodes.length)
    const out: Uint8Array[] = []
    let at = 0
    for (const count of this.#groups) {
      let hash = hashes[at + count - 1]!
      for (let i = at + count - 2; i >= at; i--) hash = hashChildren(hashes[i]!, hash)
      out.push(hash)
      at += count
    }
    return out
  }
}

/** The plan of the inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 PATH). */
export function planInclusion (index: number, size: number): ProofPlan {
  checkTreeSize('size', size)
  checkTreeSize('index', index)
  if (index >= size) throw new IndexOutOfRangeError('index', index, size - 1)
  const ranges: Array<[number, number]> = []
  let lo = 0
  let hi = size
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo)
    if (index < lo + k) { ranges.push([lo + k, hi]); hi = lo + k } else { ranges.push([lo, lo + k]); lo += k }
  }
  return new ProofPlan(ranges.reverse())
}

/** The plan of the consistency proof from size `m` to size `n` (RFC 9162 SUBPROOF); empty when m is 0 or n. */
export function planConsistency (m: number, n: number): ProofPlan {
  checkTreeSize('m', m)
  checkTreeSize('n', n)
  if (m > n) throw new IndexOutOfRangeError('m', m, n)
  const ranges: Array<[number, number]> = []
  if (m > 0 && m < n) {
    let lo = 0
    let hi = n
    let rel = m // m relative to lo
    let whole = true // is [lo, lo+rel) the entire old tree, whose root the verifier already has?
    for (;;) {
      if (rel === hi - lo) { if (!whole) ranges.push([lo, hi]); break }
      const k = splitPoint(hi - lo)
      if (rel <= k) { ranges.push([lo + k, hi]); hi = lo + k } else { ranges.push([lo, lo + k]); lo += k; rel -= k; whole = false }
    }
  }
  return new ProofPlan(ranges.reverse())
}

/** The plan of the root of the tree of `size` leaves (size ≥ 1): one output hash. */
export function planRoot (size: number): ProofPlan {
  checkTreeSize('size', size)
  if (size === 0) throw new IndexOutOfRangeError('size', size, 1)
  return new ProofPlan([[0, size]])
}

/** The inclusion proof of leaf `index` in the tree of `size` leaves, from `reader`. */
export async function inclusionProof (index: number, size: number, reader: HashReader): Promise<Uint8Array[]> {
  const plan = planInclusion(index, size)
  return plan.build(await reader.getHashes(plan.nodes))
}

/** The consistency proof from the tree of `m` leaves to the tree of `n` leaves, from `reader`. */
export async function consistencyProof (m: number, n: number, reader: HashReader): Promise<Uint8Array[]> {
  const plan = planConsistency(m, n)
  return plan.build(await reader.getHashes(plan.nodes))
}

/** The root hash of the tree of `size` leaves, from `reader` (any size up to what the reader holds). */
export async function rootAt (size: number, reader: HashReader): Promise<Uint8Array> {
  if (size === 0) return emptyRoot()
  const plan = planRoot(size)
  return plan.build(await reader.getHashes(plan.nodes))[0]!
}

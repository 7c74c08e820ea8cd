// The right edge of a growing tree (a "compact range" over [0, size), as in transparency-dev/merkle): the
// hashes of the full subtrees that cover every leaf so far, one per set bit of the size, largest first.
// Appending a leaf merges equal-sized subtrees like a binary counter, so an append costs O(log n) hashes
// (amortized two) and the root at the current size is a fold over at most log n hashes.
import { checkHash, emptyRoot, pureTreeHasher, type TreeHasher } from './hasher.js'
import { IndexOutOfRangeError } from './errors.js'
import { checkTreeSize, rootNodes } from './subtree.js'

/** Called for every full subtree an append completes: the leaf itself, then each new parent. */
export type NodeVisitor = (level: number, index: number, hash: Uint8Array) => void

export class CompactRange {
  #size: number
  readonly #edge: Uint8Array[]
  readonly #hasher: TreeHasher

  private constructor (size: number, edge: Uint8Array[], hasher: TreeHasher) {
    this.#size = size
    this.#edge = edge
    this.#hasher = hasher
  }

  /** The right edge of the empty tree; `hasher` computes the node hashes. */
  static empty (hasher: TreeHasher = pureTreeHasher): CompactRange {
    return new CompactRange(0, [], hasher)
  }

  /**
   * The right edge of a tree of `size` leaves from the hashes of `rootNodes(size)`, in that order: how a
   * persistent log resumes after a restart without reading the whole tree.
   */
  static fromHashes (size: number, hashes: readonly Uint8Array[], hasher: TreeHasher = pureTreeHasher): CompactRange {
    checkTreeSize('size', size)
    const expected = rootNodes(size).length
    if (hashes.length !== expected) throw new IndexOutOfRangeError('hashes', hashes.length, expected)
    hashes.forEach((h, i) => { checkHash(h, `hashes[${i}]`) })
    return new CompactRange(size, hashes.map((h) => h.slice()), hasher)
  }

  /** Number of leaves covered. */
  get size (): number {
    return this.#size
  }

  /** The edge hashes, largest subtree first (copies). */
  get hashes (): Uint8Array[] {
    return this.#edge.map((h) => h.slice())
  }

  /** Adds one leaf hash; `visit` sees each full subtree this completes, so a store can keep it. */
  append (leafHash: Uint8Array, visit?: NodeVisitor): void {
    checkHash(leafHash, 'leafHash')
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new IndexOutOfRangeError('size', this.#size + 1, Number.MAX_SAFE_INTEGER)
    let hash: Uint8Array = leafHash.slice() // the edge and stores keep it: a caller's later writes must not reach them
    let index = this.#size
    let level = 0
    visit?.(0, index, hash)
    // Each trailing 1 bit of the old size is a left sibling of equal height waiting on the edge.
    while (index % 2 === 1) {
      hash = this.#hasher.children(this.#edge.pop()!, hash)
      index = (index - 1) / 2
      level++
      visit?.(level, index, hash)
    }
    this.#edge.push(hash)
    this.#size++
  }

  /** The RFC 9162 root hash of the leaves so far (the empty-tree hash when there are none). */
  root (): Uint8Array {
    const edge = this.#edge
    if (edge.length === 0) return emptyRoot()
    let root = edge[edge.length - 1]!
    for (let i = edge.length - 2; i >= 0; i--) root = this.#hasher.children(edge[i]!, root)
    return root === edge[edge.length - 1] ? root.slice() : root
  }

  /** An independent copy (to compute a tentative root without touching this one). */
  clone (): CompactRange {
    return new CompactRange(this.#size, this.#edge.map((h) => h.slice()), this.#hasher)
  }
}

/** The RFC 9162 Merkle tree hash of a list of leaf hashes (or of any equal-level run of subtree hashes). */
export function merkleRoot (leafHashes: readonly Uint8Array[]): Uint8Array {
  const range = CompactRange.empty()
  for (const h of leafHashes) range.append(h)
  return range.root()
}

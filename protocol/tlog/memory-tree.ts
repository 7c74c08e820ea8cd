// An append-only RFC 9162 tree held in memory: the compact range gives O(log n) appends and the current
// root, the hash store keeps every full subtree so roots and proofs at any earlier size can be produced.
// It is the reference the persistent log is tested against, and what tests and the browser use.
import { CompactRange } from './compact-range.js'
import { IndexOutOfRangeError } from './errors.js'
import { emptyRoot, hashLeaf } from './hasher.js'
import { MemoryHashStore, type HashReader } from './hash-reader.js'
import { planConsistency, planInclusion, planRoot } from './proof.js'
import type { NodeId } from './subtree.js'

export class MemoryTree implements HashReader {
  readonly #range = CompactRange.empty()
  readonly #store = new MemoryHashStore()

  /** Number of leaves. */
  get size (): number {
    return this.#range.size
  }

  /** Appends a log entry (hashed as an RFC 9162 leaf); returns its index. */
  append (entry: Uint8Array): number {
    return this.appendLeafHash(hashLeaf(entry))
  }

  /** Appends an already-hashed leaf; returns its index. */
  appendLeafHash (leafHash: Uint8Array): number {
    const index = this.#range.size
    this.#range.append(leafHash, (level, i, hash) => { this.#store.setHash(level, i, hash) })
    return index
  }

  /** The root at the current size. */
  root (): Uint8Array {
    return this.#range.root()
  }

  /** The root at any size up to the current one. */
  rootAt (size: number): Uint8Array {
    this.#checkSize('size', size)
    if (size === 0) return emptyRoot()
    const plan = planRoot(size)
    return plan.build(this.#store.getHashesSync(plan.nodes))[0]!
  }

  /** The inclusion proof of leaf `index` in the tree at `size` (default: the current size). */
  inclusionProof (index: number, size = this.size): Uint8Array[] {
    this.#checkSize('size', size)
    const plan = planInclusion(index, size)
    return plan.build(this.#store.getHashesSync(plan.nodes))
  }

  /** The consistency proof from size `m` to size `n` (default: the current size). */
  consistencyProof (m: number, n = this.size): Uint8Array[] {
    this.#checkSize('n', n)
    const plan = planConsistency(m, n)
    return plan.build(this.#store.getHashesSync(plan.nodes))
  }

  /** The hash of full subtree (level, index). */
  getHash (level: number, index: number): Uint8Array {
    return this.#store.getHash(level, index)
  }

  async getHashes (nodes: readonly NodeId[]): Promise<Uint8Array[]> {
    return this.#store.getHashesSync(nodes)
  }

  #checkSize (field: string, size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) throw new IndexOutOfRangeError(field, size, this.size)
  }
}

// The narrow storage interface every root and proof is computed through: "give me the hashes of these full
// subtrees". It is batched and asynchronous so that a level database (one getMany) and a tile fetcher (one
// request per tile) serve it as well as memory does.
import { MissingHashError } from './errors.js'
import { checkHash } from './hasher.js'
import type { NodeId } from './subtree.js'

export interface HashReader {
  /** The hashes of `nodes`, in order; rejects with MissingHashError when one is not held. */
  getHashes (nodes: readonly NodeId[]): Promise<Uint8Array[]>
}

/** Full-subtree hashes kept in memory, one array per level. Synchronous reads for in-process callers. */
export class MemoryHashStore implements HashReader {
  readonly #levels: Uint8Array[][] = []

  /** Stores the hash of node (level, index). */
  setHash (level: number, index: number, hash: Uint8Array): void {
    checkHash(hash, 'hash')
    const row = this.#levels[level] ?? (this.#levels[level] = [])
    row[index] = hash.slice()
  }

  /** A copy of the hash of node (level, index); throws MissingHashError when it is not stored. */
  getHash (level: number, index: number): Uint8Array {
    const hash = this.#levels[level]?.[index]
    if (hash === undefined) throw new MissingHashError(level, index)
    return hash.slice()
  }

  /** Synchronous form of getHashes. */
  getHashesSync (nodes: readonly NodeId[]): Uint8Array[] {
    return nodes.map((n) => this.getHash(n.level, n.index))
  }

  async getHashes (nodes: readonly NodeId[]): Promise<Uint8Array[]> {
    return this.getHashesSync(nodes)
  }
}

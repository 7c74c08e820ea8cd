// A HashReader over fetched tiles: how an auditor computes roots and proofs from a log's public tiles alone.
// A node's hash is read from the tile that holds its level (tree level 8·L) or, for the levels inside a
// tile, rebuilt by hashing the run of tile hashes under it. The tile widths come from the tree size the
// caller verified (a checkpoint), so only tiles that size requires are fetched. Tiles are untrusted: the
// caller compares what it computes against a signed root.
import { merkleRoot } from './compact-range.js'
import { MissingHashError } from './errors.js'
import type { HashReader } from './hash-reader.js'
import type { NodeId } from './subtree.js'
import { tilePath } from './tile-path.js'
import { decodeHashTile, tileForNode, TILE_HEIGHT, TILE_WIDTH, type TileId } from './tile.js'

/** Fetches the bytes of a hash tile (served at tilePath(tile.level, tile.index, tile.width)). */
export type TileFetcher = (tile: TileId, path: string) => Promise<Uint8Array>

export interface TileHashReaderInit {
  /** Decoded tiles kept for reuse, least recently used dropped first. @default 4096 (32 MiB) */
  cacheTiles?: number
}

export class TileHashReader implements HashReader {
  readonly #size: number
  readonly #fetch: TileFetcher
  readonly #cacheTiles: number
  readonly #cache = new Map<string, Promise<Uint8Array[]>>()

  /** A reader for the tree of `size` leaves (a size taken from a verified checkpoint). */
  constructor (size: number, fetchTile: TileFetcher, init: TileHashReaderInit = {}) {
    this.#size = size
    this.#fetch = fetchTile
    this.#cacheTiles = init.cacheTiles ?? 4096
  }

  get size (): number {
    return this.#size
  }

  /** The decoded hashes of one tile, fetched once while cached. */
  async readTile (tile: TileId): Promise<Uint8Array[]> {
    const path = tilePath(tile.level, tile.index, tile.width)
    let hashes = this.#cache.get(path)
    if (hashes === undefined) {
      const pending = this.#fetch(tile, path).then((bytes) => decodeHashTile(bytes, tile.width))
      // A failed fetch is not cached, so a retry fetches again.
      pending.catch(() => { if (this.#cache.get(path) === pending) this.#cache.delete(path) })
      this.#cache.set(path, pending)
      hashes = pending
      if (this.#cache.size > this.#cacheTiles) this.#cache.delete(this.#cache.keys().next().value!)
    } else {
      this.#cache.delete(path) // re-insert: most recently used last
      this.#cache.set(path, hashes)
    }
    return await hashes
  }

  async getHashes (nodes: readonly NodeId[]): Promise<Uint8Array[]> {
    return await Promise.all(nodes.map(async (node) => await this.#nodeHash(node)))
  }

  async #nodeHash (node: NodeId): Promise<Uint8Array> {
    let tile: TileId
    try { tile = tileForNode(node, this.#size) } catch (cause) { throw new MissingHashError(node.level, node.index, { cause }) }
    const hashes = await this.readTile(tile)
    const inner = node.level - tile.level * TILE_HEIGHT
    const first = node.index * 2 ** inner - tile.index * TILE_WIDTH
    if (inner === 0) return hashes[first]!.slice()
    return merkleRoot(hashes.slice(first, first + 2 ** inner))
  }
}

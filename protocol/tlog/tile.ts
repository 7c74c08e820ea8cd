// C2SP tlog-tiles: the tree served as tiles of height 8. Hash tile n at tile level L holds up to 256
// consecutive hashes of tree level 8·L (level 0: leaf hashes); the 7 levels inside a tile are recomputed by
// hashing. Entry bundle n holds the entries of level-0 tile n, each as big-endian uint16 length ‖ bytes.
// A tile is partial (width 1…255) only at the right edge of the tree; full tiles never change.
import { EntryTooLargeError, IndexOutOfRangeError, InvalidTileError } from './errors.js'
import { HASH_SIZE } from './hasher.js'
import { checkTreeSize, type NodeId } from './subtree.js'

/** Tree levels per tile. */
export const TILE_HEIGHT = 8
/** Hashes (or entries) in a full tile. */
export const TILE_WIDTH = 256
/** Longest entry an entry bundle can hold (uint16 length prefix). */
export const MAX_ENTRY_SIZE = 0xffff

/** A tile: its tile level, its index in that level, and its width (256 = full). */
export interface TileId {
  readonly level: number
  readonly index: number
  readonly width: number
}

/** How many hashes of tree level 8·tileLevel exist in a tree of `size` leaves. */
function hashesAtTileLevel (size: number, tileLevel: number): number {
  return Math.floor(size / TILE_WIDTH ** tileLevel)
}

/** Every tile of a tree of `size` leaves: all full tiles, then the partial tile of each level that has one. */
export function tilesForSize (size: number): TileId[] {
  checkTreeSize('size', size)
  const tiles: TileId[] = []
  for (let level = 0; hashesAtTileLevel(size, level) > 0; level++) {
    const count = hashesAtTileLevel(size, level)
    const full = Math.floor(count / TILE_WIDTH)
    for (let index = 0; index < full; index++) tiles.push({ level, index, width: TILE_WIDTH })
    if (count % TILE_WIDTH > 0) tiles.push({ level, index: full, width: count % TILE_WIDTH })
  }
  return tiles
}

/** The tile (at the width a tree of `size` leaves has) from which the hash of `node` can be computed. */
export function tileForNode (node: NodeId, size: number): TileId {
  checkTreeSize('size', size)
  if ((node.index + 1) * 2 ** node.level > size) throw new IndexOutOfRangeError('node', node, size)
  const level = Math.floor(node.level / TILE_HEIGHT)
  const index = Math.floor(node.index * 2 ** (node.level - level * TILE_HEIGHT) / TILE_WIDTH)
  const width = Math.min(TILE_WIDTH, hashesAtTileLevel(size, level) - index * TILE_WIDTH)
  return { level, index, width }
}

/** The distinct tiles `nodes` need in a tree of `size` leaves, in order of first need. */
export function tilesForNodes (nodes: readonly NodeId[], size: number): TileId[] {
  const seen = new Map<string, TileId>()
  for (const node of nodes) {
    const tile = tileForNode(node, size)
    const key = `${tile.level}/${tile.index}/${tile.width}`
    if (!seen.has(key)) seen.set(key, tile)
  }
  return [...seen.values()]
}

/** The tree nodes whose hashes a tile holds, in order (what a store reads to serve the tile). */
export function tileNodes (tile: TileId): NodeId[] {
  const level = tile.level * TILE_HEIGHT
  const first = tile.index * TILE_WIDTH
  return Array.from({ length: tile.width }, (_, i) => ({ level, index: first + i }))
}

/** A hash tile's bytes: its hashes concatenated. */
export function encodeHashTile (hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length < 1 || hashes.length > TILE_WIDTH) throw new InvalidTileError('width not 1…256', { width: hashes.length })
  const out = new Uint8Array(hashes.length * HASH_SIZE)
  hashes.forEach((h, i) => {
    if (h.length !== HASH_SIZE) throw new InvalidTileError('hash is not 32 bytes', { field: `hashes[${i}]`, length: h.length })
    out.set(h, i * HASH_SIZE)
  })
  return out
}

/** The hashes of a hash tile; with `width`, the tile must hold exactly that many. */
export function decodeHashTile (bytes: Uint8Array, width?: number): Uint8Array[] {
  if (bytes.length === 0 || bytes.length % HASH_SIZE !== 0 || bytes.length > TILE_WIDTH * HASH_SIZE) {
    throw new InvalidTileError('length is not 1…256 hashes', { length: bytes.length })
  }
  const count = bytes.length / HASH_SIZE
  if (width !== undefined && count !== width) throw new InvalidTileError('width differs from the expected one', { width: count, expected: width })
  return Array.from({ length: count }, (_, i) => bytes.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE))
}

/** An entry bundle's bytes: each entry as big-endian uint16 length ‖ entry. */
export function encodeEntryBundle (entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length < 1 || entries.length > TILE_WIDTH) throw new InvalidTileError('width not 1…256', { width: entries.length })
  let total = 0
  for (const e of entries) {
    if (e.length > MAX_ENTRY_SIZE) throw new EntryTooLargeError(e.length, MAX_ENTRY_SIZE)
    total += 2 + e.length
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const e of entries) {
    out[at] = e.length >> 8
    out[at + 1] = e.length & 0xff
    out.set(e, at + 2)
    at += 2 + e.length
  }
  return out
}

/** The entries of an entry bundle; with `width`, the bundle must hold exactly that many. */
export function decodeEntryBundle (bytes: Uint8Array, width?: number): Uint8Array[] {
  const entries: Uint8Array[] = []
  let at = 0
  while (at < bytes.length) {
    if (entries.length === TILE_WIDTH) throw new InvalidTileError('more than 256 entries', { offset: at })
    if (at + 2 > bytes.length) throw new InvalidTileError('truncated length prefix', { offset: at })
    const length = (bytes[at]! << 8) | bytes[at + 1]!
    if (at + 2 + length > bytes.length) throw new InvalidTileError('truncated entry', { offset: at, length })
    entries.push(bytes.slice(at + 2, at + 2 + length))
    at += 2 + length
  }
  if (entries.length === 0) throw new InvalidTileError('empty bundle', { length: 0 })
  if (width !== undefined && entries.length !== width) throw new InvalidTileError('width differs from the expected one', { width: entries.length, expected: width })
  return entries
}

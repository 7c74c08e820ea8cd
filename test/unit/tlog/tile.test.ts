// C2SP tlog-tiles: the examples of the specification (c2sp.org/tlog-tiles) are tests — the index
// 1234067 path, the tiles of trees of 70,000 and 256 leaves — plus strict parsing, tile and entry-bundle
// codecs, and roots and proofs computed from tiles alone equal to those of the in-memory tree.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  consistencyProof, decodeEntryBundle, decodeHashTile, encodeEntryBundle, encodeHashTile, entryBundlePath,
  hashLeaf, inclusionProof, MemoryTree, merkleRoot, parseTilePath, planInclusion, rootAt, tileForNode,
  tileNodes, tilePath, tilesForNodes, tilesForSize, TileHashReader, verifyConsistency, verifyInclusion,
  type TileId
} from '../../../protocol/tlog/index.js'
import { entry, hex, refRoot } from './reference.js'

test('tile paths of the specification', () => {
  assert.equal(tilePath(0, 1234067), 'tile/0/x001/x234/067')
  assert.equal(tilePath(0, 1234067, 8), 'tile/0/x001/x234/067.p/8')
  assert.equal(tilePath(1, 0), 'tile/1/000')
  assert.equal(tilePath(2, 1000, 256), 'tile/2/x001/000')
  assert.equal(tilePath(63, 67, 255), 'tile/63/067.p/255')
  assert.equal(entryBundlePath(1234067), 'tile/entries/x001/x234/067')
  assert.equal(entryBundlePath(5, 112), 'tile/entries/005.p/112')
  assert.equal(tilePath(0, 2 ** 53 - 1), 'tile/0/x009/x007/x199/x254/x740/991')
})

test('parseTilePath reads back every path it could have written', () => {
  assert.deepEqual(parseTilePath('tile/0/x001/x234/067.p/8'), { kind: 'hash', level: 0, index: 1234067, width: 8 })
  assert.deepEqual(parseTilePath('tile/0/x001/x234/067'), { kind: 'hash', level: 0, index: 1234067, width: 256 })
  assert.deepEqual(parseTilePath('tile/entries/x001/x234/067.p/1'), { kind: 'entries', index: 1234067, width: 1 })
  assert.deepEqual(parseTilePath('tile/entries/000'), { kind: 'entries', index: 0, width: 256 })
  for (const [level, index, width] of [[0, 0, 1], [1, 999, 256], [5, 1000, 17], [63, 123456789, 255]] as const) {
    const info = parseTilePath(tilePath(level, index, width))
    assert.deepEqual(info, { kind: 'hash', level, index, width })
  }
})

test('parseTilePath refuses non-canonical and malformed paths', () => {
  for (const path of [
    '/tile/0/000', 'tiles/0/000', 'tile/00/000', 'tile/64/000', 'tile/-1/000', 'tile/0/67', 'tile/0/0067',
    'tile/0/001/234/067', 'tile/0/x000/067', 'tile/0/x001/x234/x067', 'tile/0/x01/234', 'tile/0/000.p/0',
    'tile/0/000.p/256', 'tile/0/000.p/08', 'tile/0/000.p/', 'tile/0/000.p', 'tile/0/000/', 'tile/0', 'tile/0/',
    'tile/entries', 'tile/entries/x000/001', 'tile/data/000', 'tile/0/abc', 'tile/0/000.p/8/x', 'tile/0/ 000'
  ]) assert.throws(() => parseTilePath(path), { name: 'InvalidTilePathError', code: 'INVALID_TILE_PATH' }, path)
  assert.throws(() => tilePath(64, 0), { name: 'IndexOutOfRangeError' })
  assert.throws(() => tilePath(0, 0, 0), { name: 'IndexOutOfRangeError' })
  assert.throws(() => tilePath(0, -1), { name: 'IndexOutOfRangeError' })
})

const count = (tiles: TileId[], level: number, full: boolean): number =>
  tiles.filter((t) => t.level === level && (t.width === 256) === full).length

test('the tiles of a tree of 70,000 and of 256 leaves, as in the specification', () => {
  const tiles = tilesForSize(70000)
  assert.equal(count(tiles, 0, true), 273)
  assert.deepEqual(tiles.filter((t) => t.level === 0 && t.width < 256), [{ level: 0, index: 273, width: 112 }])
  assert.equal(count(tiles, 1, true), 1)
  assert.deepEqual(tiles.filter((t) => t.level === 1 && t.width < 256), [{ level: 1, index: 1, width: 17 }])
  assert.deepEqual(tiles.filter((t) => t.level === 2), [{ level: 2, index: 0, width: 1 }])
  assert.equal(tiles.length, 273 + 1 + 1 + 1 + 1)
  assert.deepEqual(tilesForSize(256), [{ level: 0, index: 0, width: 256 }, { level: 1, index: 0, width: 1 }])
  assert.deepEqual(tilesForSize(0), [])
})

test('tileForNode: the tile at the width the tree size gives, for nodes at and inside tile levels', () => {
  assert.deepEqual(tileForNode({ level: 0, index: 69999 }, 70000), { level: 0, index: 273, width: 112 })
  assert.deepEqual(tileForNode({ level: 0, index: 5 }, 70000), { level: 0, index: 0, width: 256 })
  assert.deepEqual(tileForNode({ level: 3, index: 40 }, 70000), { level: 0, index: 1, width: 256 }) // leaves 320…327
  assert.deepEqual(tileForNode({ level: 8, index: 272 }, 70000), { level: 1, index: 1, width: 17 })
  assert.deepEqual(tileForNode({ level: 16, index: 0 }, 70000), { level: 2, index: 0, width: 1 })
  assert.deepEqual(tileForNode({ level: 4, index: 4374 }, 70000), { level: 0, index: 273, width: 112 }) // leaves 69984…69999
  assert.throws(() => tileForNode({ level: 4, index: 4375 }, 70000), { name: 'IndexOutOfRangeError' })
  const plan = planInclusion(12345, 70000)
  const tiles = tilesForNodes(plan.nodes, 70000)
  assert.ok(tiles.length <= 4, `an inclusion proof in 70,000 leaves needs at most a few tiles, got ${tiles.length}`)
  assert.deepEqual(tileNodes({ level: 1, index: 2, width: 3 }), [{ level: 8, index: 512 }, { level: 8, index: 513 }, { level: 8, index: 514 }])
})

test('hash tiles and entry bundles encode and decode strictly', () => {
  const hashes = Array.from({ length: 5 }, (_, i) => hashLeaf(entry(i)))
  const tile = encodeHashTile(hashes)
  assert.equal(tile.length, 160)
  assert.deepEqual(decodeHashTile(tile, 5).map(hex), hashes.map(hex))
  for (const [name, bytes, width] of [
    ['wrong width', tile, 4], ['not whole hashes', tile.subarray(1), undefined], ['empty', new Uint8Array(0), undefined],
    ['257 hashes', new Uint8Array(257 * 32), undefined]
  ] as const) assert.throws(() => decodeHashTile(bytes, width), { name: 'InvalidTileError', code: 'INVALID_TILE' }, name)

  const entries = [new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(0xffff).fill(9)]
  const bundle = encodeEntryBundle(entries)
  assert.equal(hex(bundle.subarray(0, 7)), '0000' + '0003010203')
  assert.equal(hex(bundle.subarray(7, 9)), 'ffff')
  assert.deepEqual(decodeEntryBundle(bundle, 3).map(hex), entries.map(hex))
  for (const [name, bytes, width] of [
    ['wrong width', bundle, 2], ['truncated entry', bundle.subarray(0, -1), undefined],
    ['truncated length', Uint8Array.of(0, 0, 0), undefined], ['empty', new Uint8Array(0), undefined],
    ['257 entries', new Uint8Array(257 * 2), undefined]
  ] as const) assert.throws(() => decodeEntryBundle(bytes, width), { name: 'InvalidTileError' }, name)
  assert.throws(() => encodeEntryBundle([new Uint8Array(0x10000)]), { name: 'EntryTooLargeError', code: 'ENTRY_TOO_LARGE' })
})

/** A log serving its tiles from a MemoryTree, counting fetches; `tamper` may change a tile on the way. */
function tileServer (tree: MemoryTree, tamper?: (tile: TileId, bytes: Uint8Array) => Uint8Array) {
  const fetched: string[] = []
  const fetch = async (tile: TileId, path: string): Promise<Uint8Array> => {
    fetched.push(path)
    const bytes = encodeHashTile(tileNodes(tile).map((n) => tree.getHash(n.level, n.index)))
    return tamper?.(tile, bytes) ?? bytes
  }
  return { fetch, fetched }
}

test('roots and proofs from tiles alone equal the in-memory tree', async () => {
  const tree = new MemoryTree()
  const entries: Uint8Array[] = []
  for (let i = 0; i < 70000; i++) { tree.append(entry(i)); if (i < 600) entries.push(entry(i)) }
  for (const size of [1, 255, 256, 257, 511, 512, 600, 65536, 65537, 70000]) {
    const reader = new TileHashReader(size, tileServer(tree).fetch)
    assert.equal(hex(await rootAt(size, reader)), hex(tree.rootAt(size)), `root at ${size}`)
    if (size <= 600) assert.equal(hex(await rootAt(size, reader)), hex(refRoot(entries.slice(0, size))))
  }
  const server = tileServer(tree)
  const reader = new TileHashReader(70000, server.fetch)
  for (const index of [0, 255, 256, 12345, 65535, 65536, 69999]) {
    const proof = await inclusionProof(index, 70000, reader)
    assert.deepEqual(proof.map(hex), tree.inclusionProof(index, 70000).map(hex))
    verifyInclusion(hashLeaf(entry(index)), index, 70000, proof, tree.root())
  }
  for (const m of [1, 256, 300, 65536, 69999]) {
    const proof = await consistencyProof(m, 70000, reader)
    verifyConsistency(m, 70000, proof, tree.rootAt(m), tree.root())
  }
  assert.equal(new Set(server.fetched).size, server.fetched.length, 'each tile fetched once while cached')
  await assert.rejects(reader.getHashes([{ level: 0, index: 70000 }]), { name: 'MissingHashError' })
})

test('a level-1 tile hash is the Merkle root of the level-0 tile under it', async () => {
  const tree = new MemoryTree()
  for (let i = 0; i < 512; i++) tree.append(entry(i))
  const reader = new TileHashReader(512, tileServer(tree).fetch)
  const level0 = await reader.readTile({ level: 0, index: 1, width: 256 })
  const level1 = await reader.readTile({ level: 1, index: 0, width: 2 })
  assert.equal(hex(merkleRoot(level0)), hex(level1[1]!))
})

test('a tile served with one hash changed: the root or the tile-above check no longer matches', async () => {
  const tree = new MemoryTree()
  for (let i = 0; i < 1000; i++) tree.append(entry(i))
  const changing = (index: number) => tileServer(tree, (tile, bytes) => {
    if (tile.level !== 0 || tile.index !== index) return bytes
    const copy = bytes.slice(); copy[100]! ^= 1; return copy
  })
  // Level-0 tile 3 (leaves 768…999, partial) is under the root's right edge: the root changes.
  assert.notEqual(hex(await rootAt(1000, new TileHashReader(1000, changing(3).fetch))), hex(tree.root()))
  // Level-0 tile 1 is full, so the root reads its hash from level-1 tile 0 instead: the root still matches,
  // and only checking the tile against its hash one tile level up finds the change (what an auditor does).
  const reader = new TileHashReader(1000, changing(1).fetch)
  assert.equal(hex(await rootAt(1000, reader)), hex(tree.root()))
  const above = await reader.readTile({ level: 1, index: 0, width: 3 })
  assert.notEqual(hex(merkleRoot(await reader.readTile({ level: 0, index: 1, width: 256 }))), hex(above[1]!))
  assert.equal(hex(merkleRoot(await reader.readTile({ level: 0, index: 0, width: 256 }))), hex(above[0]!))
})

test('a tile of the wrong width is InvalidTileError; a failed fetch is retried', async () => {
  const tree = new MemoryTree()
  for (let i = 0; i < 300; i++) tree.append(entry(i))
  const short = new TileHashReader(300, async (tile) => encodeHashTile(tileNodes(tile).slice(1).map((n) => tree.getHash(n.level, n.index))))
  await assert.rejects(rootAt(300, short), { name: 'InvalidTileError' })
  let failures = 1
  const flaky = new TileHashReader(300, async (tile, path) => {
    if (failures-- > 0) throw new Error(`unreachable ${path}`)
    return encodeHashTile(tileNodes(tile).map((n) => tree.getHash(n.level, n.index)))
  })
  await assert.rejects(flaky.readTile({ level: 0, index: 0, width: 256 }), /unreachable tile\/0\/000/)
  assert.equal((await flaky.readTile({ level: 0, index: 0, width: 256 })).length, 256)
})

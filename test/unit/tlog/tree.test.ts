// Known answers for RFC 9162 hashing and tree roots. Where the expected values come from:
// - the eight-leaf vectors: see ./vectors.ts (transparency-dev/merkle's test data);
// - SHA-256('') is the standard empty-string digest (also `sha256EmptyTreeHash` there);
// - everything else is recomputed by ./reference.ts, the RFC definitions run on node:crypto.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CompactRange, emptyRoot, hashChildren, hashLeaf, MemoryTree, merkleRoot, rootAt, rootNodes, MemoryHashStore
} from '../../../protocol/tlog/index.js'
import { entry, hex, refLeaf, refNode, refRoot } from './reference.js'
import { VECTOR_LEAVES, VECTOR_ROOTS } from './vectors.js'

test('emptyRoot is SHA-256 of the empty string', () => {
  assert.equal(hex(emptyRoot()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  assert.equal(hex(new MemoryTree().root()), hex(emptyRoot()))
})

test('hashLeaf prefixes 0x00 and hashChildren 0x01 (RFC 9162 §2.1.1)', () => {
  assert.equal(hex(hashLeaf(new Uint8Array(0))), VECTOR_ROOTS[0]) // the one-leaf tree of the empty entry
  const a = hashLeaf(entry(1))
  const b = hashLeaf(entry(2))
  assert.equal(hex(a), hex(refLeaf(entry(1))))
  assert.equal(hex(hashChildren(a, b)), hex(refNode(a, b)))
  assert.notEqual(hex(hashChildren(a, b)), hex(hashChildren(b, a)))
})

test('hashChildren refuses hashes that are not 32 bytes', () => {
  const a = hashLeaf(entry(1))
  assert.throws(() => hashChildren(a, a.subarray(1)), { name: 'InvalidHashError', code: 'INVALID_HASH' })
  assert.throws(() => hashChildren(new Uint8Array(33), a), { name: 'InvalidHashError' })
})

test('roots of the transparency-dev eight-leaf vectors, size by size', () => {
  const tree = new MemoryTree()
  VECTOR_LEAVES.forEach((leaf, i) => {
    assert.equal(tree.append(leaf), i)
    assert.equal(hex(tree.root()), VECTOR_ROOTS[i])
  })
  VECTOR_ROOTS.forEach((root, i) => { assert.equal(hex(tree.rootAt(i + 1)), root) })
  assert.equal(hex(tree.rootAt(0)), hex(emptyRoot()))
})

test('the incremental root equals the definition (MTH) for every size up to 300', () => {
  const tree = new MemoryTree()
  const entries: Uint8Array[] = []
  for (let n = 1; n <= 300; n++) {
    entries.push(entry(n - 1))
    tree.append(entry(n - 1))
    assert.equal(hex(tree.root()), hex(refRoot(entries)), `size ${n}`)
  }
  for (const m of [1, 2, 3, 7, 8, 9, 100, 255, 256, 257, 299]) assert.equal(hex(tree.rootAt(m)), hex(refRoot(entries.slice(0, m))))
})

test('merkleRoot of leaf hashes equals MTH of the entries', () => {
  const entries = Array.from({ length: 37 }, (_, i) => entry(i))
  assert.equal(hex(merkleRoot(entries.map(hashLeaf))), hex(refRoot(entries)))
  assert.equal(hex(merkleRoot([])), hex(emptyRoot()))
})

test('an append does O(log n) work: it completes exactly 1 + trailing-ones(n) subtrees', () => {
  const range = CompactRange.empty()
  for (let n = 0; n < 1024; n++) {
    const seen: Array<[number, number]> = []
    range.append(hashLeaf(entry(n)), (level, index) => { seen.push([level, index]) })
    let ones = 0
    while (((n >> ones) & 1) === 1) ones++
    assert.equal(seen.length, 1 + ones)
    assert.deepEqual(seen[0], [0, n])
    assert.equal(range.hashes.length, rootNodes(n + 1).length) // one edge hash per set bit of the size
  }
})

test('a compact range resumes from the hashes of rootNodes(size)', async () => {
  const tree = new MemoryTree()
  for (let i = 0; i < 1000; i++) tree.append(entry(i))
  const resumed = CompactRange.fromHashes(1000, await tree.getHashes(rootNodes(1000)))
  assert.equal(hex(resumed.root()), hex(tree.root()))
  resumed.append(hashLeaf(entry(1000)))
  tree.append(entry(1000))
  assert.equal(hex(resumed.root()), hex(tree.root()))
  assert.throws(() => CompactRange.fromHashes(1000, []), { name: 'IndexOutOfRangeError' })
})

test('rootAt over a hash reader equals the tree root; a missing node is MissingHashError', async () => {
  const tree = new MemoryTree()
  for (let i = 0; i < 77; i++) tree.append(entry(i))
  for (const size of [0, 1, 5, 64, 77]) assert.equal(hex(await rootAt(size, tree)), hex(tree.rootAt(size)))
  await assert.rejects(rootAt(78, tree), { name: 'MissingHashError', code: 'MISSING_HASH' })
  assert.throws(() => tree.rootAt(78), { name: 'IndexOutOfRangeError' })
  assert.throws(() => new MemoryHashStore().getHash(0, 0), { name: 'MissingHashError' })
})

test('hashes handed out are copies: mutating them leaves the tree intact', () => {
  const tree = new MemoryTree()
  for (let i = 0; i < 8; i++) tree.append(VECTOR_LEAVES[i]!)
  const proof = tree.inclusionProof(0, 8)
  proof[0]![0]! ^= 1
  tree.root()[0]! ^= 1
  assert.equal(hex(tree.root()), VECTOR_ROOTS[7])
  assert.deepEqual(tree.inclusionProof(0, 8).map(hex)[0], '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7')
})

// node/crypto's native tree hasher against protocol's pure one and the RFC reference (./reference.ts):
// the same bytes for leaves of every size class, for nodes, and for the roots a compact range builds.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { nodeTreeHasher } from '../../../node/crypto/index.js'
import { CompactRange, hashLeaf, pureTreeHasher, rootNodes } from '../../../protocol/tlog/index.js'
import { entry, hex, refLeaf, refNode, refRoot } from './reference.js'

test('nodeTreeHasher hashes leaves and nodes as the pure hasher and the reference do', () => {
  // Sizes around the reused buffer's first size (1 + 1024) and its growth.
  for (const size of [0, 1, 31, 32, 64, 200, 1023, 1024, 1025, 4096, 65_535]) {
    const e = new Uint8Array(randomBytes(size))
    assert.equal(hex(nodeTreeHasher.leaf(e)), hex(refLeaf(e)), `leaf of ${size} bytes`)
    assert.equal(hex(nodeTreeHasher.leaf(e)), hex(pureTreeHasher.leaf(e)))
  }
  // A short entry after a long one: only its own bytes are hashed.
  assert.equal(hex(nodeTreeHasher.leaf(entry(3))), hex(refLeaf(entry(3))))
  const l = hashLeaf(entry(1))
  const r = hashLeaf(entry(2))
  assert.equal(hex(nodeTreeHasher.children(l, r)), hex(refNode(l, r)))
  assert.equal(hex(nodeTreeHasher.children(r, l)), hex(pureTreeHasher.children(r, l)))
})

test('nodeTreeHasher returns plain Uint8Arrays it does not reuse', () => {
  const a = nodeTreeHasher.leaf(entry(1))
  const b = nodeTreeHasher.leaf(entry(2))
  assert.equal(Object.getPrototypeOf(a), Uint8Array.prototype)
  assert.notEqual(hex(a), hex(b))
  assert.equal(hex(a), hex(refLeaf(entry(1))))
})

test('nodeTreeHasher refuses children that are not 32 bytes, as hashChildren does', () => {
  const h = hashLeaf(entry(1))
  assert.throws(() => nodeTreeHasher.children(h.subarray(1), h), { name: 'InvalidHashError' })
  assert.throws(() => nodeTreeHasher.children(h, new Uint8Array(33)), { name: 'InvalidHashError' })
})

test('a compact range with nodeTreeHasher gives the reference roots, fresh and resumed', () => {
  const entries = Array.from({ length: 300 }, (_, i) => entry(i))
  const native = CompactRange.empty(nodeTreeHasher)
  const pure = CompactRange.empty()
  entries.forEach((e, i) => {
    native.append(nodeTreeHasher.leaf(e))
    pure.append(hashLeaf(e))
    if ([1, 2, 3, 7, 64, 255, 256, 299].includes(i)) assert.equal(hex(native.root()), hex(refRoot(entries.slice(0, i + 1))))
  })
  assert.deepEqual(native.hashes.map(hex), pure.hashes.map(hex))
  const resumed = CompactRange.fromHashes(300, pure.hashes, nodeTreeHasher)
  assert.equal(resumed.hashes.length, rootNodes(300).length)
  resumed.append(hashLeaf(entry(300)))
  assert.equal(hex(resumed.root()), hex(refRoot([...entries, entry(300)])))
  assert.equal(hex(resumed.clone().root()), hex(resumed.root()))
})

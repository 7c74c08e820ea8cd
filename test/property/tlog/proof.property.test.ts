// Property tests: for random sizes and indexes, generated proofs verify, and every mutation of a proof (a
// flipped bit, a hash dropped or added, another index, another leaf, another root, a size whose proof has a
// different length) fails with InvalidProofError. Sizes with the same proof shape verify the same path by
// design (RFC 9162); the signed root is what binds a size, so those are not counted as mutations here.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  hashLeaf, inclusionProof, MemoryTree, rootAt, TileHashReader, encodeHashTile, tileNodes, verifyConsistency,
  verifyInclusion
} from '../../../protocol/tlog/index.js'
import { entry, hex } from '../../unit/tlog/reference.js'

const SIZE = 70000
const tree = new MemoryTree()
for (let i = 0; i < SIZE; i++) tree.append(entry(i))
const roots = new Map<number, Uint8Array>()
const rootOf = (n: number): Uint8Array => { let r = roots.get(n); if (r === undefined) { r = tree.rootAt(n); roots.set(n, r) } return r }

const INVALID = { name: 'InvalidProofError' }
const RUNS = 2000

/** A size from 1…70,000, biased towards small trees and powers of two ± 1, where the edge cases live. */
const size = fc.oneof(
  fc.integer({ min: 1, max: 64 }),
  fc.integer({ min: 1, max: 16 }).chain((k) => fc.constantFrom(2 ** k - 1, 2 ** k, 2 ** k + 1)).filter((n) => n >= 1 && n <= SIZE),
  fc.integer({ min: 1, max: SIZE })
)

const flipBit = (proof: Uint8Array[], at: number, bit: number): Uint8Array[] =>
  proof.map((h, i) => { const c = h.slice(); if (i === at) c[bit >> 3]! ^= 1 << (bit & 7); return c })

test('inclusion proofs verify, and every mutation fails', () => {
  fc.assert(fc.property(
    size.chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1), fc.nat(), fc.nat(255), fc.nat(SIZE - 1))),
    ([n, index, pick, bit, other]) => {
      const proof = tree.inclusionProof(index, n)
      const leaf = hashLeaf(entry(index))
      const root = rootOf(n)
      verifyInclusion(leaf, index, n, proof, root)
      if (proof.length > 0) assert.throws(() => { verifyInclusion(leaf, index, n, flipBit(proof, pick % proof.length, bit), root) }, INVALID)
      if (proof.length > 0) assert.throws(() => { verifyInclusion(leaf, index, n, proof.slice(0, -1), root) }, INVALID)
      assert.throws(() => { verifyInclusion(leaf, index, n, [...proof, root], root) }, INVALID)
      assert.throws(() => { verifyInclusion(leaf, index, n, proof, flipBit([root], 0, bit)[0]!) }, INVALID)
      assert.throws(() => { verifyInclusion(hashLeaf(entry(index + 1)), index, n, proof, root) }, INVALID)
      const otherIndex = other % n
      if (otherIndex !== index) assert.throws(() => { verifyInclusion(leaf, otherIndex, n, proof, root) }, INVALID)
      const otherSize = 1 + (other % SIZE)
      if (otherSize > index && tree.inclusionProof(index, otherSize).length !== proof.length) {
        assert.throws(() => { verifyInclusion(leaf, index, otherSize, proof, root) }, INVALID)
      }
    }), { numRuns: RUNS })
})

test('consistency proofs verify, and every mutation fails', () => {
  fc.assert(fc.property(
    size.chain((n) => fc.tuple(fc.nat(n), fc.constant(n), fc.nat(), fc.nat(255), fc.nat(SIZE))),
    ([m, n, pick, bit, other]) => {
      const proof = tree.consistencyProof(m, n)
      const rootM = m === 0 ? tree.rootAt(0) : rootOf(m)
      const rootN = rootOf(n)
      verifyConsistency(m, n, proof, rootM, rootN)
      assert.throws(() => { verifyConsistency(m, n, [...proof, rootN], rootM, rootN) }, INVALID)
      if (proof.length === 0) return
      assert.throws(() => { verifyConsistency(m, n, flipBit(proof, pick % proof.length, bit), rootM, rootN) }, INVALID)
      assert.throws(() => { verifyConsistency(m, n, proof.slice(0, -1), rootM, rootN) }, INVALID)
      assert.throws(() => { verifyConsistency(m, n, proof, flipBit([rootM], 0, bit)[0]!, rootN) }, INVALID)
      assert.throws(() => { verifyConsistency(m, n, proof, rootM, flipBit([rootN], 0, bit)[0]!) }, INVALID)
      assert.throws(() => { verifyConsistency(m, n, proof, rootN, rootM) }, INVALID)
      const otherM = 1 + (other % n)
      if (otherM !== m && tree.consistencyProof(otherM, n).length !== proof.length) {
        assert.throws(() => { verifyConsistency(otherM, n, proof, rootM, rootN) }, INVALID)
      }
    }), { numRuns: RUNS })
})

test('roots and inclusion proofs computed from tiles alone equal the in-memory ones', async () => {
  await fc.assert(fc.asyncProperty(
    size.chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1))),
    async ([n, index]) => {
      const reader = new TileHashReader(n, async (tile) => encodeHashTile(tileNodes(tile).map((x) => tree.getHash(x.level, x.index))))
      assert.equal(hex(await rootAt(n, reader)), hex(rootOf(n)))
      assert.deepEqual((await inclusionProof(index, n, reader)).map(hex), tree.inclusionProof(index, n).map(hex))
    }), { numRuns: 300 })
})

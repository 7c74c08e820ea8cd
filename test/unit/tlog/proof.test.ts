// Inclusion and consistency proofs: the transparency-dev/merkle vectors (./vectors.ts), agreement with the
// RFC definitions (./reference.ts) for every index and size pair up to 40 leaves, and the attack cases of
// transparency-dev's corruptInclusionProof/corruptConsistencyProof, each of which must fail. (A size off
// by one is not among them: sizes that share the proof's shape, like 5 and 6 from 2, verify the same
// path; what catches such a lie is the root, which for the other size is different.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  consistencyProof, emptyRoot, hashLeaf, inclusionProof, MemoryTree, rootFromInclusionProof, verifyConsistency,
  verifyInclusion
} from '../../../protocol/tlog/index.js'
import { entry, hex, refConsistency, refPath, refRoot, unhex } from './reference.js'
import { VECTOR_CONSISTENCY, VECTOR_INCLUSION, VECTOR_LEAVES, VECTOR_ROOTS } from './vectors.js'

const vectorTree = new MemoryTree()
for (const leaf of VECTOR_LEAVES) vectorTree.append(leaf)
const root = (size: number): Uint8Array => unhex(VECTOR_ROOTS[size - 1]!)
const SOME_HASH = unhex('abacaba000000000000000000000000000000000000000000060061e00123456')

const INVALID = { name: 'InvalidProofError', code: 'INVALID_PROOF' }

test('inclusion proofs of the vectors are generated and verify', async () => {
  for (const [index, size, expected] of VECTOR_INCLUSION) {
    assert.deepEqual(vectorTree.inclusionProof(index, size).map(hex), expected, `${index}/${size}`)
    assert.deepEqual((await inclusionProof(index, size, vectorTree)).map(hex), expected)
    const leafHash = hashLeaf(VECTOR_LEAVES[index]!)
    verifyInclusion(leafHash, index, size, expected.map(unhex), root(size))
    assert.equal(hex(rootFromInclusionProof(leafHash, index, size, expected.map(unhex))), VECTOR_ROOTS[size - 1])
  }
})

test('consistency proofs of the vectors are generated and verify', async () => {
  for (const [m, n, expected] of VECTOR_CONSISTENCY) {
    assert.deepEqual(vectorTree.consistencyProof(m, n).map(hex), expected, `${m}→${n}`)
    assert.deepEqual((await consistencyProof(m, n, vectorTree)).map(hex), expected)
    verifyConsistency(m, n, expected.map(unhex), root(m), root(n))
  }
})

test('proofs equal the RFC definitions for every index, m and size up to 40', () => {
  const tree = new MemoryTree()
  const entries: Uint8Array[] = []
  for (let n = 1; n <= 40; n++) {
    entries.push(entry(n - 1))
    tree.append(entry(n - 1))
    const d = entries.slice(0, n)
    for (let i = 0; i < n; i++) {
      const proof = tree.inclusionProof(i, n)
      assert.deepEqual(proof.map(hex), refPath(i, d).map(hex), `PATH(${i}, D[${n}])`)
      verifyInclusion(hashLeaf(entries[i]!), i, n, proof, tree.root())
    }
    for (let m = 0; m <= n; m++) {
      const proof = tree.consistencyProof(m, n)
      assert.deepEqual(proof.map(hex), refConsistency(m, d).map(hex), `PROOF(${m}, D[${n}])`)
      verifyConsistency(m, n, proof, refRoot(d.slice(0, m)), refRoot(d))
    }
  }
})

const flip = (proof: Uint8Array[], i: number, bit: number): Uint8Array[] =>
  proof.map((h, j) => { const c = h.slice(); if (j === i) c[bit >> 3]! ^= 1 << (bit & 7); return c })

test('inclusion attack cases fail with InvalidProofError', () => {
  for (const [index, size, hexProof] of VECTOR_INCLUSION.filter(([, , p]) => p.length > 0)) {
    const proof = hexProof.map(unhex)
    const leaf = hashLeaf(VECTOR_LEAVES[index]!)
    const r = root(size)
    const cases: Array<[string, () => void]> = [
      ['index - 1', () => { verifyInclusion(leaf, index - 1, size, proof, r) }],
      ['index + 1', () => { verifyInclusion(leaf, index + 1, size, proof, r) }],
      ['index ^ 2', () => { verifyInclusion(leaf, index ^ 2, size, proof, r) }],
      ['size * 2', () => { verifyInclusion(leaf, index, size * 2, proof, r) }],
      ['size / 2', () => { verifyInclusion(leaf, index, Math.floor(size / 2), proof, r) }],
      ['wrong leaf', () => { verifyInclusion(hashLeaf(Uint8Array.of(9)), index, size, proof, r) }],
      ['leaf not 32 bytes', () => { verifyInclusion(new TextEncoder().encode('WrongLeaf'), index, size, proof, r) }],
      ['empty-tree root', () => { verifyInclusion(leaf, index, size, proof, emptyRoot()) }],
      ['random root', () => { verifyInclusion(leaf, index, size, proof, SOME_HASH) }],
      ['one hash too long (root)', () => { verifyInclusion(leaf, index, size, [...proof, r], r) }],
      ['trailing garbage (empty)', () => { verifyInclusion(leaf, index, size, [...proof, new Uint8Array(0)], r) }],
      ['preceding root', () => { verifyInclusion(leaf, index, size, [r, ...proof], r) }],
      ['one hash too short', () => { verifyInclusion(leaf, index, size, proof.slice(0, -1), r) }],
      ['inserted hash', () => { verifyInclusion(leaf, index, size, [proof[0]!, SOME_HASH, ...proof.slice(1)], r) }],
      ['index ≥ size', () => { verifyInclusion(leaf, size, size, proof, r) }],
      ['negative index', () => { verifyInclusion(leaf, -1, size, proof, r) }],
      ['fractional size', () => { verifyInclusion(leaf, index, size + 0.5, proof, r) }],
      ...(proof.length > 1 ? [['rotated hashes', () => { verifyInclusion(leaf, index, size, [...proof.slice(1), proof[0]!], r) }] as [string, () => void]] : []),
      ...proof.flatMap((_, i) => [0, 3, 255].map((bit): [string, () => void] =>
        [`flipped bit ${bit} of proof[${i}]`, () => { verifyInclusion(leaf, index, size, flip(proof, i, bit), r) }]))
    ]
    for (const [name, attack] of cases) assert.throws(attack, INVALID, `${index}/${size}: ${name}`)
  }
})

test('consistency attack cases fail with InvalidProofError', () => {
  for (const [m, n, hexProof] of VECTOR_CONSISTENCY.filter(([, , p]) => p.length > 0)) {
    const proof = hexProof.map(unhex)
    const r1 = root(m)
    const r2 = root(n)
    const cases: Array<[string, () => void]> = [
      ['m - 1', () => { verifyConsistency(m - 1, n, proof, r1, r2) }],
      ['m + 1', () => { verifyConsistency(m + 1, n, proof, r1, r2) }],
      ['m ^ 2', () => { verifyConsistency(m ^ 2, n, proof, r1, r2) }],
      ['n * 2', () => { verifyConsistency(m, n * 2, proof, r1, r2) }],
      ['n / 2', () => { verifyConsistency(m, Math.floor(n / 2), proof, r1, r2) }],
      ['wrong old root', () => { verifyConsistency(m, n, proof, SOME_HASH, r2) }],
      ['wrong new root', () => { verifyConsistency(m, n, proof, r1, SOME_HASH) }],
      ['swapped roots', () => { verifyConsistency(m, n, proof, r2, r1) }],
      ['empty proof', () => { verifyConsistency(m, n, [], r1, r2) }],
      ['one hash too long (root1)', () => { verifyConsistency(m, n, [...proof, r1], r1, r2) }],
      ['one hash too long (root2)', () => { verifyConsistency(m, n, [...proof, r2], r1, r2) }],
      ['trailing garbage (empty)', () => { verifyConsistency(m, n, [...proof, new Uint8Array(0)], r1, r2) }],
      ['preceding root1', () => { verifyConsistency(m, n, [r1, ...proof], r1, r2) }],
      ['preceding proof[0]', () => { verifyConsistency(m, n, [proof[0]!, ...proof], r1, r2) }],
      ['one hash too short', () => { verifyConsistency(m, n, proof.slice(0, -1), r1, r2) }],
      ['m > n', () => { verifyConsistency(n, m, proof, r2, r1) }],
      ...proof.flatMap((_, i) => [0, 4, 200].map((bit): [string, () => void] =>
        [`flipped bit ${bit} of proof[${i}]`, () => { verifyConsistency(m, n, flip(proof, i, bit), r1, r2) }]))
    ]
    for (const [name, attack] of cases) assert.throws(attack, INVALID, `${m}→${n}: ${name}`)
  }
})

test('trivial consistency: sizes 0 and m = n take an empty proof and matching roots only', () => {
  verifyConsistency(0, 0, [], emptyRoot(), emptyRoot())
  verifyConsistency(0, 5, [], emptyRoot(), root(5))
  verifyConsistency(5, 5, [], root(5), root(5))
  assert.throws(() => { verifyConsistency(5, 5, [], root(5), root(6)) }, INVALID)
  assert.throws(() => { verifyConsistency(5, 5, [root(5)], root(5), root(5)) }, INVALID)
  assert.throws(() => { verifyConsistency(0, 5, [emptyRoot()], emptyRoot(), root(5)) }, INVALID)
  assert.throws(() => { verifyConsistency(0, 5, [], root(1), root(5)) }, INVALID)
})

test('generation refuses indexes and sizes outside the tree', async () => {
  assert.throws(() => vectorTree.inclusionProof(8, 8), { name: 'IndexOutOfRangeError', code: 'INDEX_OUT_OF_RANGE' })
  assert.throws(() => vectorTree.inclusionProof(0, 9), { name: 'IndexOutOfRangeError' })
  assert.throws(() => vectorTree.inclusionProof(-1, 8), { name: 'IndexOutOfRangeError' })
  assert.throws(() => vectorTree.consistencyProof(5, 4), { name: 'IndexOutOfRangeError' })
  assert.throws(() => vectorTree.consistencyProof(1, 9), { name: 'IndexOutOfRangeError' })
  await assert.rejects(inclusionProof(0, 9, vectorTree), { name: 'MissingHashError' })
  await assert.rejects(consistencyProof(3, 12, vectorTree), { name: 'MissingHashError' })
})

// Transparency-log core: in-memory tree appends and inclusion-proof verification.
// Appends are held to the hashing floor: one SHA-256 (the same @noble/hashes the tree uses) per leaf over
// the same 0x00-prefixed entries; the tree does about two hashes per leaf (the leaf and, on average, one
// parent), so ≈ 0.5× the floor is the best it can do. Verification is held to Node's native SHA-256
// computing the same number of 65-byte node hashes the proofs take, one createHash per hash, as the RFC
// algorithm must: the ceiling of a verifier that did nothing but hash.
import { createHash } from 'node:crypto'
import { sha256 } from '@noble/hashes/sha2.js'
import { hashLeaf, MemoryTree, verifyInclusion } from '../protocol/tlog/index.js'
import { medianMs, opsPerSecond, type BenchContext } from './lib.js'

function entries (count: number, length: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => {
    const e = new Uint8Array(length)
    new DataView(e.buffer).setUint32(0, i)
    return e
  })
}

export default async function (ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 3 : 7
  const count = ctx.quick ? 20_000 : 100_000
  const batch = entries(count, 256)

  const appendMs = await medianMs(() => {
    const tree = new MemoryTree()
    for (const e of batch) tree.append(e)
  }, rounds)
  const floorMs = await medianMs(() => {
    const buf = new Uint8Array(257)
    for (const e of batch) { buf.set(e, 1); sha256(buf) }
  }, rounds)
  ctx.row({
    section: 'tlog',
    figure: `in-memory tree appends (256-byte entries, ${count.toLocaleString('en-US')} per round)`,
    value: count / (appendMs / 1000),
    unit: 'appends/s',
    baseline: { label: 'SHA-256 of the same leaves (noble)', value: count / (floorMs / 1000) },
    better: 'higher'
  })

  const size = ctx.quick ? 2 ** 14 + 3 : 1_000_003
  const tree = new MemoryTree()
  for (const e of entries(size, 8)) tree.append(e)
  const root = tree.root()
  const samples = Array.from({ length: 1000 }, (_, k) => {
    const index = Math.floor((k * 7919 * 104729) % size)
    const e = new Uint8Array(8)
    new DataView(e.buffer).setUint32(0, index)
    return { index, leaf: hashLeaf(e), proof: tree.inclusionProof(index, size) }
  })
  const hashesPerRound = samples.reduce((n, s) => n + s.proof.length, 0)
  const verifyRate = await opsPerSecond(() => {
    for (const s of samples) verifyInclusion(s.leaf, s.index, size, s.proof, root)
    return samples.length
  }, { rounds })
  const node = new Uint8Array(65)
  const hashRate = await opsPerSecond(() => {
    for (let i = 0; i < hashesPerRound; i++) createHash('sha256').update(node).digest()
    return samples.length
  }, { rounds })
  ctx.row({
    section: 'tlog',
    figure: `inclusion-proof verifications (tree of ${size.toLocaleString('en-US')}, ${(hashesPerRound / samples.length).toFixed(1)} hashes/proof)`,
    value: verifyRate,
    unit: 'proofs/s',
    baseline: { label: 'node:crypto SHA-256 of as many 65-byte nodes', value: hashRate },
    better: 'higher'
  })
}

// AgencyLog over a real level database: appends, durability across reopen, group commit, checkpoints,
// proofs against signed checkpoints, tile-shaped reads, refusal of bad input and of a failed write.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import {
  MAX_ENTRY_SIZE, MemoryTree, equalHashes, hashLeaf, merkleRoot, openCheckpoint, verifyConsistency, verifyInclusion
} from '../../../protocol/tlog/index.js'
import { AgencyLog, type AgencyLogInit } from '../../../node/log/index.js'
import { AGENCY, AGENCY_KEY, CHAIN_ID, entryFor, tempStore, type TempStore } from '../../helpers/log-store.js'

const ORIGIN = `porchlight.${CHAIN_ID}/${AGENCY}`

async function withLog (fn: (log: AgencyLog, store: TempStore) => Promise<void>, init: Partial<AgencyLogInit> = {}): Promise<void> {
  const store = await tempStore()
  const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID, ...init })
  try {
    await fn(log, store)
  } finally {
    await log.close()
    await store.destroy()
  }
}

test('a new log has a signed size-0 checkpoint of the agency origin', async () => {
  await withLog(async (log) => {
    assert.equal(log.origin, ORIGIN)
    assert.equal(log.size, 0)
    const { checkpoint, signer } = openCheckpoint(log.latestCheckpoint.note, ORIGIN)
    assert.equal(checkpoint.size, 0)
    assert.equal(signer, AGENCY)
  })
})

test('appends return consecutive indexes and the entries read back', async () => {
  await withLog(async (log) => {
    for (let i = 0; i < 5; i++) assert.equal(await log.append(entryFor(i)), i)
    assert.equal(log.size, 5)
    for (let i = 0; i < 5; i++) assert.deepEqual(await log.entry(i), entryFor(i))
    assert.deepEqual(await log.entries(1, 3), [entryFor(1), entryFor(2), entryFor(3)])
    await assert.rejects(log.entry(5), { name: 'IndexOutOfRangeError' })
  })
})

test('the log copies an entry: a caller changing its buffer later changes nothing', async () => {
  await withLog(async (log) => {
    const e = entryFor(7)
    const pending = log.append(e)
    e.fill(0xff)
    await pending
    assert.deepEqual(await log.entry(0), entryFor(7))
  })
})

test('roots, inclusion and consistency proofs match the in-memory reference at every size', async () => {
  await withLog(async (log) => {
    const ref = new MemoryTree()
    for (let i = 0; i < 70; i++) {
      ref.append(entryFor(i))
      await log.append(entryFor(i))
    }
    for (const size of [0, 1, 2, 3, 31, 64, 65, 70]) {
      assert.ok(equalHashes(await log.rootAt(size), ref.rootAt(size)), `root at ${size}`)
    }
    for (const [m, n] of [[1, 70], [7, 64], [64, 70], [33, 65]] as const) {
      verifyConsistency(m, n, await log.consistency(m, n), ref.rootAt(m), ref.rootAt(n))
    }
    await assert.rejects(log.consistency(3, 71), { name: 'IndexOutOfRangeError' })
  })
})

test('proof(index) comes with a signed checkpoint that includes the entry, at once', async () => {
  await withLog(async (log) => {
    for (let i = 0; i < 9; i++) await log.append(entryFor(i))
    const index = await log.append(entryFor(9))
    const p = await log.proof(index)
    const { checkpoint } = openCheckpoint(p.checkpoint, ORIGIN)
    assert.ok(checkpoint.size > index)
    verifyInclusion(hashLeaf(entryFor(9)), index, checkpoint.size, p.proof, checkpoint.root)
    assert.throws(() => { verifyInclusion(hashLeaf(entryFor(8)), index, checkpoint.size, p.proof, checkpoint.root) }, { name: 'InvalidProofError' })
    await assert.rejects(log.proof(10), { name: 'IndexOutOfRangeError' })
    await assert.rejects(log.proof(-1), { name: 'IndexOutOfRangeError' })
  }, { checkpointIntervalMs: 60_000 })
})

test('concurrent appends are grouped into few writes, each acknowledged with its own index', async () => {
  await withLog(async (log, store) => {
    let writes = 0
    store.root.on('write', () => { writes++ })
    const indexes = await Promise.all(Array.from({ length: 2000 }, async (_, i) => await log.append(entryFor(i))))
    assert.deepEqual(indexes, Array.from({ length: 2000 }, (_, i) => i))
    // 2000 appends: one write for the first, then groups of the rest (at most 4096 each), plus checkpoints.
    assert.ok(writes <= 6, `${writes} writes`)
    const ref = new MemoryTree()
    for (let i = 0; i < 2000; i++) ref.append(entryFor(i))
    assert.ok(equalHashes(await log.rootAt(2000), ref.root()))
  }, { checkpointIntervalMs: 60_000 })
})

test('a group is never larger than maxGroupEntries', async () => {
  await withLog(async (log, store) => {
    const sizes: number[] = []
    store.root.on('write', (ops: Array<{ key: string }>) => { sizes.push(ops.filter((op) => String(op.key).includes('!e')).length) })
    await Promise.all(Array.from({ length: 100 }, async (_, i) => await log.append(entryFor(i))))
    assert.ok(Math.max(...sizes) <= 10)
    assert.equal(sizes.reduce((a, b) => a + b, 0), 100)
  }, { maxGroupEntries: 10, checkpointIntervalMs: 60_000 })
})

test('a checkpoint is issued soon after entries arrive, then at most once per interval', async () => {
  await withLog(async (log) => {
    const issued = once(log, 'checkpoint:issued')
    await log.append(entryFor(0))
    const [first] = await issued
    assert.equal(first.size, 1)
    const started = Date.now()
    const next = once(log, 'checkpoint:issued')
    await log.append(entryFor(1))
    const [second] = await next
    assert.equal(second.size, 2)
    assert.ok(Date.now() - started >= 150, 'the second timed checkpoint waits for the interval')
    assert.deepEqual((await log.checkpoints()).map((n) => openCheckpoint(n, ORIGIN).checkpoint.size), [0, 1, 2])
  }, { checkpointIntervalMs: 200 })
})

test('entries and checkpoints survive a reopen; appends continue consistently', async () => {
  const store = await tempStore()
  try {
    let log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID })
    for (let i = 0; i < 300; i++) await log.append(entryFor(i))
    const before = await log.checkpointCovering(299)
    await log.close()
    await store.closeDb()

    await store.reopen()
    log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID })
    assert.equal(log.size, 300)
    assert.equal(log.latestCheckpoint.note, before.note)
    assert.deepEqual(await log.entry(299), entryFor(299))
    assert.equal(await log.append(entryFor(300)), 300)
    const after = await log.checkpointCovering(300)
    verifyConsistency(300, 301, await log.consistency(300, 301), before.root, after.root)
    await log.close()
  } finally {
    await store.destroy()
  }
})

test('an entry longer than an entry bundle allows is refused and changes nothing', async () => {
  await withLog(async (log) => {
    await assert.rejects(log.append(new Uint8Array(MAX_ENTRY_SIZE + 1)), { name: 'EntryTooLargeError', code: 'ENTRY_TOO_LARGE' })
    await assert.rejects(log.append('text' as unknown as Uint8Array), { name: 'InvalidEntryError' })
    assert.equal(log.size, 0)
    assert.equal(await log.append(new Uint8Array(MAX_ENTRY_SIZE)), 0)
    assert.equal((await log.entry(0)).length, MAX_ENTRY_SIZE)
  })
})

test('a failed write rejects its group with LogWriteError and changes nothing', async () => {
  const store = await tempStore()
  const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID, checkpointIntervalMs: 60_000 })
  // Every write of the log reaches the root database's batch (a sublevel forwards to it): fail the next one.
  const batch = store.root.batch.bind(store.root) as (...args: unknown[]) => Promise<void>
  let failNext = false
  Object.assign(store.root, {
    batch: async (...args: unknown[]) => {
      if (failNext) { failNext = false; throw new Error('disk full') }
      return await batch(...args)
    }
  })
  try {
    await log.append(entryFor(0))
    failNext = true
    await assert.rejects(log.append(entryFor(1)), { name: 'LogWriteError', code: 'LOG_WRITE_FAILED' })
    assert.equal(failNext, false, 'the failure was injected')
    assert.equal(log.size, 1)
    assert.equal(await log.append(entryFor(2)), 1)
    assert.deepEqual(await log.entry(1), entryFor(2))
    const ref = new MemoryTree()
    ref.append(entryFor(0))
    ref.append(entryFor(2))
    assert.ok(equalHashes((await log.checkpointCovering(1)).root, ref.root()))
  } finally {
    await log.close()
    await store.destroy()
  }
})

test('hash and entry reads are tile-shaped: 256 consecutive nodes of one level', async () => {
  await withLog(async (log) => {
    await Promise.all(Array.from({ length: 600 }, async (_, i) => await log.append(entryFor(i))))
    const leaves = await log.hashes(0, 256, 256)
    assert.equal(leaves.length, 256)
    assert.ok(equalHashes(leaves[0]!, hashLeaf(entryFor(256))))
    const [level8] = await log.hashes(8, 1, 1)
    assert.ok(equalHashes(level8!, merkleRoot(leaves)))
    assert.equal((await log.entries(512, 88)).length, 88)
    await assert.rejects(log.hashes(8, 2, 1), { name: 'IndexOutOfRangeError' })
    await assert.rejects(log.hashes(3, 0, 1), { name: 'IndexOutOfRangeError' }, 'level 3 is not stored')
    const ref = new MemoryTree()
    for (let i = 0; i < 600; i++) ref.append(entryFor(i))
    for (const size of [1, 7, 8, 15, 16, 17, 255, 256, 257, 511, 599, 600]) {
      assert.ok(equalHashes(await log.rootAt(size), ref.rootAt(size)), `root at ${size} from stored levels 0, 4, 8`)
    }
    await assert.rejects(log.entries(512, 89), { name: 'IndexOutOfRangeError' })
  })
})

test('a stored tree that does not match its latest checkpoint is refused at open', async () => {
  const store = await tempStore()
  try {
    const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID })
    for (let i = 0; i < 4; i++) await log.append(entryFor(i))
    await log.close()
    // Rewrite history under the checkpoint: the stored hash of leaf 2.
    const key = (await store.db.keys({ gte: 'h00', lt: 'h01' }).all())[2]!
    await store.db.put(key, new Uint8Array(32))
    await assert.rejects(AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID }), { name: 'LogCorruptedError' })
  } finally {
    await store.destroy()
  }
})

test('a log is opened only with the key that signed it, and only with a valid key', async () => {
  const store = await tempStore()
  try {
    const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID })
    await log.close()
    const other = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
    await assert.rejects(AgencyLog.open({ db: store.db, agencyKey: other, chainId: CHAIN_ID }), { name: 'WrongOriginError' })
    await assert.rejects(AgencyLog.open({ db: store.db, agencyKey: '0x1234', chainId: CHAIN_ID }), { name: 'InvalidAgencyKeyError' })
  } finally {
    await store.destroy()
  }
})

test('a closed log refuses appends', async () => {
  await withLog(async (log) => {
    await log.close()
    await assert.rejects(log.append(entryFor(0)), { name: 'LogClosedError' })
  })
})

test('a log works on a root database as well as on a sublevel', async () => {
  const store = await tempStore()
  try {
    const log = await AgencyLog.open({ db: store.root, agencyKey: AGENCY_KEY, chainId: CHAIN_ID })
    await Promise.all([0, 1, 2].map(async (i) => await log.append(entryFor(i))))
    assert.deepEqual(await log.entries(0, 3), [entryFor(0), entryFor(1), entryFor(2)])
    assert.equal(new TextDecoder().decode(await store.root.get('size')), '3')
    await log.close()
  } finally {
    await store.destroy()
  }
})

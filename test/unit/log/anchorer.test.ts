// The anchorer on a stub chain: anchors only when the log grew, one at a time, records each transaction,
// resumes from its records, and reports refusals.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { hexlify } from 'ethers'
import { openCheckpoint } from '../../../protocol/tlog/index.js'
import type { AnchorOutcome } from '../../../node/chain/index.js'
import { AgencyLog, Anchorer, type AnchorChain, type LogDatabase } from '../../../node/log/index.js'
import { AGENCY, AGENCY_KEY, CHAIN_ID, entryFor, tempStore, type TempStore } from '../../helpers/log-store.js'

class StubChain implements AnchorChain {
  calls: Array<{ treeSize: number, root: string }> = []
  next: ((treeSize: number, root: string) => Promise<AnchorOutcome>) | undefined
  async anchor (treeSize: number, root: Uint8Array): Promise<AnchorOutcome> {
    const hex = hexlify(root)
    this.calls.push({ treeSize, root: hex })
    if (this.next !== undefined) return await this.next(treeSize, hex)
    return { status: 'anchored', treeSize, root: hex, transactionHash: `0x${String(this.calls.length).padStart(64, '0')}`, blockNumber: this.calls.length, gasUsed: 50_000 }
  }
}

async function setup (t: { after: (fn: () => Promise<void>) => void }): Promise<{ log: AgencyLog, chain: StubChain, anchorsDb: LogDatabase, store: TempStore }> {
  const store = await tempStore()
  const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID, checkpointIntervalMs: 60_000 })
  const anchorsDb = store.root.sublevel<string, Uint8Array>('anchors', { keyEncoding: 'utf8', valueEncoding: 'view' }) as unknown as LogDatabase
  t.after(async () => { await log.close(); await store.destroy() })
  return { log, chain: new StubChain(), anchorsDb, store }
}

test('the interval is at least one second', async (t) => {
  const { log, chain, anchorsDb } = await setup(t)
  for (const bad of [999, 1500.5, 0, -1, Number.NaN]) {
    await assert.rejects(Anchorer.open({ log, chain, db: anchorsDb, anchorIntervalMs: bad }), { name: 'InvalidAnchorIntervalError' })
  }
  assert.equal((await Anchorer.open({ log, chain, db: anchorsDb })).anchorIntervalMs, 600_000)
  assert.equal((await Anchorer.open({ log, chain, db: anchorsDb, anchorIntervalMs: 1000 })).anchorIntervalMs, 1000)
})

test('anchors the latest checkpoint only when the log grew, and records the transaction', async (t) => {
  const { log, chain, anchorsDb } = await setup(t)
  const anchorer = await Anchorer.open({ log, chain, db: anchorsDb, anchorIntervalMs: 1000 })
  assert.equal(await anchorer.anchorNow(), undefined, 'an empty log is not anchored')
  assert.equal(chain.calls.length, 0)

  for (let i = 0; i < 5; i++) await log.append(entryFor(i))
  const record = await anchorer.anchorNow()
  assert.ok(record !== undefined)
  assert.equal(record.treeSize, 5, 'entries not yet in a checkpoint get one first')
  assert.equal(record.root, hexlify(await log.rootAt(5)))
  assert.equal(openCheckpoint(record.checkpoint, `porchlight.${CHAIN_ID}/${AGENCY}`).checkpoint.size, 5)
  assert.deepEqual(chain.calls, [{ treeSize: 5, root: record.root }])

  assert.equal(await anchorer.anchorNow(), undefined, 'no growth, no anchor')
  assert.equal(chain.calls.length, 1)
  await log.append(entryFor(5))
  assert.equal((await anchorer.anchorNow())?.treeSize, 6)
  assert.deepEqual((await anchorer.anchors()).map((r) => [r.treeSize, r.transactionHash]), [[5, `0x${'1'.padStart(64, '0')}`], [6, `0x${'2'.padStart(64, '0')}`]])

  const reopened = await Anchorer.open({ log, chain, db: anchorsDb, anchorIntervalMs: 1000 })
  assert.equal(reopened.anchoredSize, 6)
  assert.equal(await reopened.anchorNow(), undefined, 'a restart does not anchor the same size again')
})

test('one anchor in flight at a time: a second call while waiting shares it', async (t) => {
  const { log, chain, anchorsDb } = await setup(t)
  const anchorer = await Anchorer.open({ log, chain, db: anchorsDb, anchorIntervalMs: 1000 })
  await log.append(entryFor(0))
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  chain.next = async (treeSize, root) => {
    await gate
    return { status: 'anchored', treeSize, root, transactionHash: '0x' + 'ab'.repeat(32), blockNumber: 9, gasUsed: 1 }
  }
  const first = anchorer.anchorNow()
  await log.append(entryFor(1))
  const second = anchorer.anchorNow()
  release()
  assert.equal((await first)?.treeSize, 1)
  assert.equal((await second)?.treeSize, 1)
  assert.equal(chain.calls.length, 1)
})

test('an anchor the chain already holds advances the mark without a record', async (t) => {
  const { log, chain, anchorsDb } = await setup(t)
  const anchorer = await Anchorer.open({ log, chain, db: anchorsDb, anchorIntervalMs: 1000 })
  await log.append(entryFor(0))
  chain.next = async (treeSize, root) => ({ status: 'already-anchored', treeSize, root, anchoredTreeSize: treeSize })
  assert.equal(await anchorer.anchorNow(), undefined)
  assert.equal(anchorer.anchoredSize, 1)
  assert.deepEqual(await anchorer.anchors(), [])
})

test('a refusal is reported and the next attempt tries again', async (t) => {
  const { log, chain, anchorsDb } = await setup(t)
  const anchorer = await Anchorer.open({ log, chain, db: anchorsDb, anchorIntervalMs: 1000 })
  await log.append(entryFor(0))
  const refusal = Object.assign(new Error('not active'), { name: 'AuditAnchorNotActive' })
  chain.next = async () => { throw refusal }
  const failed = once(anchorer, 'anchor:failed')
  await assert.rejects(anchorer.anchorNow(), { name: 'AuditAnchorNotActive' })
  assert.equal((await failed)[0], refusal)
  chain.next = undefined
  assert.equal((await anchorer.anchorNow())?.treeSize, 1)
})

test('started, it anchors on its interval', async (t) => {
  const { log, chain, anchorsDb } = await setup(t)
  const anchorer = await Anchorer.open({ log, chain, db: anchorsDb, anchorIntervalMs: 1000 })
  t.after(() => { anchorer.stop() })
  await log.append(entryFor(0))
  const recorded = once(anchorer, 'anchor:recorded')
  anchorer.start()
  assert.equal((await recorded)[0].treeSize, 1)
})

import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { AnchorQueue } from '../../../node/chain/index.js'

const dir = await mkdtemp(join(tmpdir(), 'porchlight-queue-'))
after(async () => { await rm(dir, { recursive: true, force: true }) })
const root = (b: string): string => `0x${b.repeat(64)}`

test('queued anchors survive closing and reopening the database, in order', async () => {
  const path = join(dir, 'reopen')
  const queue = await AnchorQueue.open(path)
  await queue.add(5, root('a'))
  await queue.add(9, root('b'))
  await queue.close()
  const reopened = await AnchorQueue.open(path)
  assert.deepEqual(reopened.entries().map((e) => [e.id, e.treeSize, e.root]), [[1, 5, root('a')], [2, 9, root('b')]])
  const next = await reopened.add(12, root('c'))
  assert.equal(next.id, 3, 'ids continue after the stored ones')
  await reopened.close()
})

test('next is the largest tree size; a settled checkpoint covers smaller sizes and its own root only', async () => {
  const db = new Level(join(dir, 'sublevel'))
  const queue = await AnchorQueue.open(db.sublevel('anchors'))
  await queue.add(3, root('a'))
  await queue.add(8, root('b'))
  await queue.add(8, root('c'))
  await queue.add(5, root('d'))
  assert.deepEqual([queue.next()?.treeSize, queue.next()?.root], [8, root('c')])
  const covered = queue.coveredBy(8, root('c'))
  assert.deepEqual(covered.map((e) => e.root), [root('a'), root('c'), root('d')])
  await queue.remove(covered)
  assert.deepEqual(queue.entries().map((e) => e.root), [root('b')])
  await queue.close()
  const again = await AnchorQueue.open(db.sublevel('anchors'))
  assert.deepEqual(again.entries().map((e) => e.root), [root('b')], 'removals are stored too')
  await db.close()
})

test('a mined anchor\'s transaction is stored with it, and cleared when a reorg drops it', async () => {
  const path = join(dir, 'sent')
  const queue = await AnchorQueue.open(path)
  const entry = await queue.add(7, root('d'))
  await queue.markSent(entry, { transactionHash: root('e'), blockNumber: 42 })
  await queue.close()
  const reopened = await AnchorQueue.open(path)
  assert.deepEqual(reopened.entries().map((e) => e.sent), [{ transactionHash: root('e'), blockNumber: 42 }], 'a restart waits for that transaction')
  await reopened.markSent(reopened.entries()[0]!, undefined)
  assert.equal(reopened.next()?.sent, undefined)
  assert.equal('sent' in reopened.next()!, false)
  await reopened.close()
})

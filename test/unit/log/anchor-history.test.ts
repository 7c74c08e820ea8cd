import { test } from 'node:test'
import assert from 'node:assert/strict'
import { anchorHistory } from '../../../node/log/index.js'
import type { AnchorRecord } from '../../../node/log/anchorer.js'
import { ChainUnavailableError } from '../../../node/chain/index.js'

const root = (n: number): string => '0x' + n.toString(16).padStart(64, '0')
const record = (treeSize: number): AnchorRecord => ({ treeSize, root: root(treeSize), checkpoint: `note ${treeSize}`, transactionHash: root(1000 + treeSize), blockNumber: treeSize, recordedAt: treeSize * 10 })

test('without a readable chain the node\'s own records are shown, oldest first, marked as such', async () => {
  const h = await anchorHistory({ records: async () => [record(9), record(3)], onChain: async () => { throw new ChainUnavailableError('http://127.0.0.1:1') } })
  assert.equal(h.source, 'node')
  assert.deepEqual(h.items.map((a) => [a.treeSize, a.checkpoint]), [[3, 'note 3'], [9, 'note 9']])
  assert.equal((await anchorHistory({ records: async () => [] })).source, 'node')
})

test('an event whose root differs from the record at its size keeps the chain\'s root and no note', async () => {
  const h = await anchorHistory({
    records: async () => [record(3)],
    onChain: async () => [{ agency: '0x', treeSize: 3, root: root(77), blockNumber: 5, transactionHash: root(5), logIndex: 0 }],
    blockTime: async () => 42
  })
  assert.deepEqual(h.items, [{ treeSize: 3, root: root(77), transactionHash: root(5), blockNumber: 5, recordedAt: 42_000 }])
})

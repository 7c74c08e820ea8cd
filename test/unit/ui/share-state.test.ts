// A share's state as the inbox and the Shares tab word it, and the retention countdown.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { countdown, shareStateWords } from '../../../ui/src/resident/share-state.js'

test('each state has its words; a deletion outranks the delivery, and is worded with its time and zone', () => {
  const base = { anchored: false } as const
  assert.equal(shareStateWords({ ...base, state: 'pending' }).key, 'pending')
  assert.equal(shareStateWords({ ...base, state: 'sending', progress: { sent: 1, total: 4 } }).label, 'delivering 25 %')
  assert.equal(shareStateWords({ ...base, state: 'delivered' }).label, 'delivered, receipt logged')
  assert.equal(shareStateWords({ state: 'delivered', anchored: true }).label, 'delivered, receipt publicly anchored')
  assert.equal(shareStateWords({ ...base, state: 'failed', error: { code: 'X', message: 'no route' } }).label, 'failed: no route')
  assert.equal(shareStateWords({ ...base, state: 'delivered', deletion: { entries: [3], requestedAt: 10 } }).key, 'deletion-requested')
  const deleted = shareStateWords({ ...base, state: 'delivered', deletion: { entries: [3], requestedAt: 10, deletedAt: 1_800_000_000 } })
  assert.equal(deleted.key, 'deleted')
  assert.match(deleted.label, /^deleted by the agency at .*\d:\d{2}:\d{2}.* [A-Z]/, 'seconds and a zone name')
})

test('the countdown names days down to seconds, from the first unit that is not zero', () => {
  assert.equal(countdown(90 * 86_400), '90 d 0 h 0 min 0 s')
  assert.equal(countdown(3 * 3600 + 5), '3 h 0 min 5 s')
  assert.equal(countdown(59), '59 s')
  assert.equal(countdown(0), '0 s')
  assert.equal(countdown(-5), '0 s')
})

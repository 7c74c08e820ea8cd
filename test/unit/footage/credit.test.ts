// Footage flow control on its own: what a sender may send and when an agency grants again.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ReceiveCredit, SendCredit } from '../../../node/footage/credit.js'

test('a sender takes credit it holds at once, waits for a grant otherwise, and never goes below zero', async () => {
  const credit = new SendCredit()
  credit.grant(100)
  await credit.take(60, 1000)
  assert.equal(credit.available, 40)
  let taken = false
  const waiting = credit.take(50, 1000).then(() => { taken = true })
  await Promise.resolve()
  assert.equal(taken, false)
  credit.grant(10)
  await waiting
  assert.equal(taken, true)
  assert.equal(credit.available, 0)
})

test('a failure ends the wait for credit and every later one with the same error', async () => {
  const credit = new SendCredit()
  const waiting = credit.take(1, 10_000)
  const gone = new Error('reset')
  credit.fail(gone)
  await assert.rejects(waiting, (err) => err === gone)
  credit.grant(10)
  await assert.rejects(credit.take(1, 10_000), (err) => err === gone)
})

test('a wait for credit that never comes ends with StreamTimeoutError', async () => {
  const credit = new SendCredit()
  await assert.rejects(credit.take(1, 20), (err: any) => err.name === 'StreamTimeoutError' && err.code === 'STREAM_TIMEOUT')
})

test('the agency grants again a quarter window at a time, so the sender may always hold up to one window', () => {
  const credit = new ReceiveCredit(1000)
  assert.equal(credit.process(200), 0)
  assert.equal(credit.process(49), 0)
  assert.equal(credit.process(1), 250)
  assert.equal(credit.process(1000), 1000)
  assert.equal(credit.process(0), 0)
})

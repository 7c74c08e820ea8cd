// The retention job on a stub keeper and mocked timers: it runs at start and on every interval, asking to
// delete what is due before the next run (now + interval); a failing run is reported and the next one runs.
import { test, mock } from 'node:test'
import assert from 'node:assert/strict'
import { RetentionJob } from '../../../node/deliveries/index.js'

test('runs once at start and then every interval, with the horizon one interval ahead of its clock', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] })
  let now = 1_000_000
  const horizons: number[] = []
  const job = new RetentionJob({ keeper: { deleteExpired: async (h) => { horizons.push(h); return [] } }, now: () => now, intervalMs: 60_000 })
  await job.start()
  assert.deepEqual(horizons, [1_000_060])
  now += 60
  const swept = new Promise((resolve) => job.once('retention:swept', resolve))
  t.mock.timers.tick(60_000)
  await swept
  assert.deepEqual(horizons, [1_000_060, 1_000_120])
  await job.stop()
  t.mock.timers.tick(600_000)
  assert.equal(horizons.length, 2, 'stopped: no more runs')
})

test('a failing run is reported, and the job keeps running', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] })
  const errors: unknown[] = []
  let calls = 0
  const deleteExpired = mock.fn(async () => { if (++calls === 1) throw new Error('disk full'); return [{ cid: 'bafk', logIndex: 7 }] })
  const job = new RetentionJob({ keeper: { deleteExpired }, now: () => 0, intervalMs: 1000, onError: (e) => errors.push(e) })
  await job.start()
  assert.equal(errors.length, 1)
  const swept = new Promise((resolve) => job.once('retention:swept', resolve))
  t.mock.timers.tick(1000)
  assert.deepEqual(await swept, [{ cid: 'bafk', logIndex: 7 }])
  await job.stop()
})

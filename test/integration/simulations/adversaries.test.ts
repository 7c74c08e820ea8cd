// `--adversaries` (issue 8): adversary peers publishing invalid announcements in residents' cells do not cost
// honest recall, no honest node forwards their messages, and every honest neighbor graylists each of them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runSimulation } from '../../../simulations/scenario.js'

test('30 residents, 2 adversaries, 2 requests: recall 100%, nothing invalid forwarded, every adversary graylisted', { timeout: 90_000 }, async () => {
  const results = await runSimulation({ nodes: 30, agencies: 2, requests: 2, adversaries: 2, attackRate: 5, offline: 0, transport: 'memory', seed: 1, latencyMs: 0, heartbeatMs: 200, flood: false, deliveryTimeoutMs: 20_000 })
  const attack = results.attack!
  assert.ok(attack.geo.perRequest.some((m) => m.inArea > 0), 'no request had an in-area resident')
  assert.equal(attack.geo.summary.recall, 1)
  // The measure is not blind: the honest neighbors did receive the adversaries' messages.
  assert.ok(attack.firstHop > 0)
  assert.ok(Object.values(attack.published).every((n) => n > 0))
  assert.equal(attack.forwarded, 0)
  assert.ok(attack.graylist.neighbors > 0)
  assert.equal(attack.graylist.graylisted, attack.graylist.neighbors)
  assert.equal(attack.graylist.adversariesGraylisted, 2)
})

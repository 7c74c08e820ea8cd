// The smoke simulation (issue 8): a small city of real nodes on the memory transport, fixed seed. Every
// in-area resident gets every request, and no resident outside a request's res-7 cells receives its bytes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runSimulation } from '../../../simulations/scenario.js'

test('60 nodes, 5 requests: recall 100%, zero exposure outside the requests\' topic cells', { timeout: 150_000 }, async () => {
  const results = await runSimulation({ nodes: 60, agencies: 2, requests: 5, offline: 0, transport: 'memory', seed: 1, latencyMs: 0, heartbeatMs: 200, flood: false, deliveryTimeoutMs: 20_000 })
  const { perRequest, summary } = results.geo
  assert.equal(perRequest.length, 5)
  // Recall means something only if some resident had to get each request.
  for (const m of perRequest) assert.ok(m.inArea > 0, `request ${m.id} has no in-area resident`)
  assert.deepEqual(perRequest.map((m) => m.delivered), perRequest.map((m) => m.inArea))
  assert.equal(summary.recall, 1)
  assert.deepEqual(perRequest.map((m) => m.exposure), [0, 0, 0, 0, 0])
  // The bytes did travel (the measure is not blind): within the topic cells, residents received each request.
  for (const m of perRequest) assert.ok(m.reach > 0)
})

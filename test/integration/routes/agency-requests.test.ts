// GET /api/requests and /api/requests/:id count each request's deliveries from the footage desk's hook.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { draft, startAgencyFixture } from '../../helpers/agency-fixture.js'

test('the request views carry the deliveries received per request (0 when none)', { timeout: 30_000 }, async (t) => {
  const counts = new Map<string, number>()
  const f = await startAgencyFixture({ deliveryCounts: async () => counts })
  t.after(async () => { await f.stop() })
  const a = await f.api('POST', '/api/requests', draft({ caseCode: 'COUNT-1' }))
  const b = await f.api('POST', '/api/requests', draft({ caseCode: 'COUNT-2' }))
  assert.equal(a.status, 201)
  assert.equal(a.json.deliveries, 0)
  counts.set(a.json.id, 3)
  const list = await f.api('GET', '/api/requests')
  assert.deepEqual(list.json.map((v: { id: string, deliveries: number }) => [v.id, v.deliveries]), [[b.json.id, 0], [a.json.id, 3]])
  assert.equal((await f.api('GET', `/api/requests/${a.json.id as string}`)).json.deliveries, 3)
})

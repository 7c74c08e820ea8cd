import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createApiClient } from '../../../ui/src/api/client.js'
import { signedRequest } from '../../helpers/messages.js'

function stub (answers: Record<string, { status?: number, body: unknown }>) {
  const calls: Array<{ url: string, init: RequestInit }> = []
  const fetch = async (url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const href = url instanceof Request ? url.url : String(url)
    calls.push({ url: href, init })
    const a = answers[`${init.method ?? 'GET'} ${href}`] ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no route' } } }
    return new Response(typeof a.body === 'string' ? a.body : JSON.stringify(a.body), { status: a.status ?? 200 })
  }
  return { calls, api: createApiClient({ token: 't0k', base: 'http://n', fetch: fetch }) }
}

test('every call carries the bearer token; each list is read in the shape its route sends', async () => {
  const { api, calls } = stub({ 'GET http://n/api/inbox': { body: { items: [{ id: 'a' }] } }, 'GET http://n/api/clips': { body: [{ cid: 'c' }] } })
  assert.deepEqual((await api.inbox()).map((i) => i.id), ['a'])
  assert.deepEqual((await api.clips()).map((c) => c.cid), ['c'])
  assert.ok(calls.every((c) => (c.init.headers as Record<string, string>).authorization === 'Bearer t0k'))
})

test('the API\'s error body becomes an ApiError with its status and code; a non-JSON failure keeps its status', async () => {
  const { api } = stub({
    'POST http://n/api/requests': { status: 422, body: { error: { code: 'AREA_TOO_LARGE', message: 'incident area is larger than allowed' } } },
    'GET http://n/api/report': { status: 502, body: 'bad gateway' }
  })
  await assert.rejects(api.createRequest({ caseCode: 'c', title: 't', details: '', category: 'burglary', cells: [], windowStart: '', windowEnd: '', lifetimeHours: 1, retentionDays: 1 }),
    { name: 'ApiError', code: 'AREA_TOO_LARGE', status: 422 })
  await assert.rejects(api.report(), { name: 'ApiError', code: 'HTTP_502', status: 502 })
})

test('an agency request view (message and signature side by side) becomes a SignedRequest', async () => {
  const signed = signedRequest()
  const { api } = stub({ 'GET http://n/api/requests/x': { body: { id: 'x', request: signed.message, signature: signed.signature, status: 'live', deliveries: 2 } } })
  const view = await api.request('x')
  assert.deepEqual(view.request, signed)
  assert.equal(view.deliveries, 2)
  assert.equal('signature' in view, false)
})

test('camera calls: a name is escaped into the path, a removal reads no body; a consent sends only the parts chosen', async () => {
  const share = { id: 's', request: signedRequest(), consent: { message: { request: 'r', clips: [] } }, state: 'pending', createdAt: 1, updatedAt: 1, progress: { sent: 0, total: 0 } }
  const { api, calls } = stub({
    'PUT http://n/api/cameras/front%20porch%2F2': { body: { name: 'front porch/2', lat: 1, lng: 2, cell: 'c' } },
    // The node answers 204; the stub's Response cannot carry a body with it, and an empty 200 would fail a JSON read the same way.
    'DELETE http://n/api/cameras/shed': { body: '' },
    'POST http://n/api/inbox/r/consent': { status: 202, body: share }
  })
  assert.equal((await api.updateCamera('front porch/2', { name: 'front porch/2', lat: 1, lng: 2 })).name, 'front porch/2')
  await api.removeCamera('shed')
  await api.consent('r', [], [{ camera: 'porch', from: 10, to: 20 }])
  await api.consent('r', ['bafyclip'])
  await api.consent('r', ['bafyclip'], [{ camera: 'porch', from: 10, to: 20 }])
  const bodies = calls.filter((c) => c.url.endsWith('/consent')).map((c) => JSON.parse(c.init.body as string))
  assert.deepEqual(bodies, [{ ranges: [{ camera: 'porch', from: 10, to: 20 }] }, { clips: ['bafyclip'] }, { clips: ['bafyclip'], ranges: [{ camera: 'porch', from: 10, to: 20 }] }])
})

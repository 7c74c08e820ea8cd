// A real resident node (level store, TCP API, its role's services as roles.ts wires them) with a stub
// registry, fed announcements as gossip would deliver them: GET /api/events tells the page of each new
// item with the unread count, POST /api/inbox/:id/seen marks one seen (once), GET /api/inbox counts the
// unread, and what a policy ignored is never unread.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToLatLng, cellToParent } from 'h3-js'
import { createNode, residentRole, type PorchlightNode, type ResidentServices } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { announcementMessageId } from '../../../node/network/index.js'
import { topicCells } from '../../../protocol/index.js'
import type { InboxItemView, InboxList } from '../../../protocol/index.js'
import { stubChain } from '../../helpers/stub-chain.js'
import { TestAgency } from '../../helpers/announcements.js'
import { AGENCY_KEY, DOMAIN } from '../../helpers/messages.js'
import { AREA, liveFields } from '../../helpers/resident-network.js'
import { openEventStream } from '../../helpers/event-stream.js'

const agency = new TestAgency(AGENCY_KEY, DOMAIN)
const [lat, lng] = cellToLatLng(AREA[0]!)

test('a new request reaches the page as an `inbox` event with the unread count; opening it marks it seen, once; a policy-ignored one is never unread', async (t) => {
  const node: PorchlightNode<ResidentServices> = await createNode({
    config: parseConfig({ version: 1, role: 'resident', name: 'birch lane', cameras: [{ name: 'porch', lat, lng }], inboxPolicy: { ignoreCategories: ['homicide'], ignoreAgencies: [] } }),
    services: residentRole({
      chain: stubChain(async (a) => ({ address: a, name: 'Seattle PD', cells: [...new Set(AREA.map((c) => cellToParent(c, 5)))], validUntil: Math.floor(Date.now() / 1000) + 86400, status: 'active' }))
    }),
    libp2p: { messageId: announcementMessageId },
    staticDir: false
  })
  await node.start()
  t.after(async () => { await node.stop() })
  const base = node.info().api!.url
  const token = node.keys.apiToken
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number, json: T }> => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    return { status: res.status, json: await res.json() as T }
  }

  const stream = await openEventStream(`${base}/api/events`, token)
  t.after(() => { stream.close() })
  assert.deepEqual(JSON.parse((await stream.next('ready')).data), { unread: 0 })

  const announced = agency.request({ ...liveFields(), title: 'Bicycle theft on Birch Lane', category: 'burglary' })
  const added = new Promise<number>((resolve) => { node.services.inbox.once('inbox:added', () => { resolve(performance.now()) }) })
  assert.equal((await node.services.network.ingest(announced.bytes, { cells: topicCells(AREA) })).result, 'accept')
  assert.deepEqual(JSON.parse((await stream.next('inbox')).data), { id: announced.id, status: 'new', unread: 1 })
  t.diagnostic(`inbox:added → event read by the client: ${(performance.now() - await added).toFixed(1)} ms`)
  const listed = await call<InboxList>('GET', '/api/inbox')
  assert.equal(listed.json.unread, 1)
  assert.equal(listed.json.items[0]!.seenAt, undefined)

  const seen = await call<InboxItemView>('POST', `/api/inbox/${announced.id}/seen`, {})
  assert.equal(seen.status, 200)
  assert.equal(typeof seen.json.seenAt, 'number')
  assert.deepEqual(JSON.parse((await stream.next('inbox')).data), { id: announced.id, status: 'new', unread: 0 })
  const after = await call<InboxList>('GET', '/api/inbox')
  assert.equal(after.json.unread, 0)
  assert.equal(after.json.items[0]!.seenAt, seen.json.seenAt)

  // Opening it again changes nothing: the same seenAt, and no event (the next one is the policy-ignored request's).
  assert.equal((await call<InboxItemView>('POST', `/api/inbox/${announced.id}/seen`, {})).json.seenAt, seen.json.seenAt)
  const ignored = agency.request({ ...liveFields(), title: 'A homicide', category: 'homicide' })
  assert.equal((await node.services.network.ingest(ignored.bytes, { cells: topicCells(AREA) })).result, 'accept')
  assert.deepEqual(JSON.parse((await stream.next()).data), { id: ignored.id, status: 'ignored', unread: 0 })
  assert.equal((await call<InboxList>('GET', '/api/inbox')).json.unread, 0)

  const unknown = await call<{ error: { code: string } }>('POST', `/api/inbox/b${'a'.repeat(58)}/seen`, {})
  assert.equal(unknown.status, 404)
  assert.equal(unknown.json.error.code, 'INBOX_ITEM_NOT_FOUND')

  const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text()
  assert.match(metrics, /^porchlight_live_streams 1$/m)
})

test('the Cameras tab hears of its cameras: a camera added through the API and a recorder\'s status change each send a `cameras` event', async (t) => {
  const node: PorchlightNode<ResidentServices> = await createNode({
    config: parseConfig({ version: 1, role: 'resident', name: 'birch lane', cameras: [{ name: 'porch', lat, lng }] }),
    services: residentRole({ chain: stubChain(async (a) => ({ address: a, name: 'Seattle PD', cells: [], validUntil: 0, status: 'active' })) }),
    libp2p: { messageId: announcementMessageId },
    staticDir: false
  })
  await node.start()
  t.after(async () => { await node.stop() })
  const base = node.info().api!.url
  const stream = await openEventStream(`${base}/api/events`, node.keys.apiToken)
  t.after(() => { stream.close() })
  await stream.next('ready')
  const added = await fetch(`${base}/api/cameras`, {
    method: 'POST',
    headers: { authorization: `Bearer ${node.keys.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'drive', lat, lng })
  })
  assert.equal(added.status, 201, await added.text())
  assert.deepEqual(JSON.parse((await stream.next('cameras')).data), {})
  // What the recorder announces when a camera drops out or comes back (node/recording/service.ts).
  node.services.recordings.emit('status', { camera: 'drive', status: { state: 'unreachable', since: Date.now() } })
  assert.deepEqual(JSON.parse((await stream.next('cameras')).data), { name: 'drive' })
})

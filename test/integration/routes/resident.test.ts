// The resident routes the UI reads, against a real resident node (level store, TCP, the embedded chain):
// GET /api/inbox/:id carries the announcement's inclusion evidence, which the UI's badge code verifies;
// GET /api/cameras is token-only.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { cellToLatLng } from 'h3-js'
import type { ChainEndpoint } from '../../../node/config/index.js'
import { cameraCell, topicName } from '../../../protocol/index.js'
import { requestBadges } from '../../../ui/src/verify/badges.js'
import type { InboxItemView } from '../../../ui/src/api/types.js'
import type { ChainFixture } from '../../helpers/chain.js'
import type { TestAgency } from '../../helpers/announcements.js'
import { AREA, AREA_TOPIC_CELLS, connect, startRegisteredAgency, inboxAdded, liveFields, publish, startPublisher, startResident, waitForSubscribers } from '../../helpers/resident-network.js'

let fixture: ChainFixture
let endpoint: ChainEndpoint
let agency: TestAgency

before(async () => { ({ fixture, endpoint, agency } = await startRegisteredAgency()) })

after(async () => { await fixture.stop() })

test('GET /api/inbox/:id sends the announcement\'s proof, and the UI\'s badge verifies it; GET /api/cameras needs the token', async (t) => {
  const signal = AbortSignal.timeout(60_000)
  const [lat, lng] = cellToLatLng(AREA[0]!)
  const resident = await startResident('porch', [{ lat, lng }], endpoint, { listenApi: true })
  const publisher = await startPublisher()
  t.after(async () => { await resident.stop(); await publisher.stop() })
  await connect(publisher, resident.libp2p)
  for (const cell of AREA_TOPIC_CELLS.filter((c) => resident.services.network.cells().includes(c))) {
    await waitForSubscribers(publisher, topicName(cell), [resident.libp2p], signal)
  }

  agency.request(liveFields()) // logged but never announced: the announced one is not the log's first entry
  const a = agency.request(liveFields())
  const added = inboxAdded(resident, a.id, signal)
  await publish(publisher, a.bytes)
  await added

  const api = resident.api.address()!.url
  const auth = { authorization: `Bearer ${resident.keys.apiToken}` }
  const res = await fetch(`${api}/api/inbox/${a.id}`, { headers: auth })
  assert.equal(res.status, 200)
  const view = await res.json() as InboxItemView
  if (a.announcement.kind !== 'request') throw new Error('not a request')
  const evidence = { logIndex: a.announcement.logIndex, checkpoint: a.announcement.checkpoint, proof: a.announcement.proof }
  assert.equal(evidence.logIndex, agency.tree.size - 1)
  assert.deepEqual(view.announcement, evidence)
  assert.deepEqual({ logIndex: view.logIndex, checkpoint: view.checkpoint, proof: view.proof }, evidence)

  const badges = requestBadges({ request: view.request, domain: view.eip712.domain, verification: view.verification, evidence: view.announcement, now: Math.floor(Date.now() / 1000) })
  assert.deepEqual([badges.signature.state, badges.registered.state, badges.jurisdiction.state, badges.logged.state], ['ok', 'ok', 'ok', 'ok'])

  // Kept in the store: the evidence is still there once the live announcement is gone.
  await resident.services.network.live.prune(Number.MAX_SAFE_INTEGER)
  assert.deepEqual((await resident.services.inbox.get(a.id)).announcement, evidence)

  assert.equal((await fetch(`${api}/api/cameras`)).status, 401)
  const wrong = await fetch(`${api}/api/cameras`, { headers: { authorization: 'Bearer nope' } })
  assert.equal(wrong.status, 401)
  assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'UNAUTHORIZED')
  const cams = await (await fetch(`${api}/api/cameras`, { headers: auth })).json() as { items: unknown[] }
  assert.deepEqual(cams.items, [{ name: 'porch-cam0', lat, lng, cell: cameraCell(lat, lng) }])
  // Never on the public route.
  const node = await (await fetch(`${api}/api/node`)).json() as Record<string, unknown>
  assert.equal(JSON.stringify(node).includes(String(lat)), false)
})

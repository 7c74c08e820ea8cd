// The camera API on a real resident node (roleSetup('resident'), its own directory): a camera added over
// HTTP is saved to config.json, its request topic joined at once, and a request the node already held for
// that area enters the inbox; edits keep credentials the API never showed; a refused body changes nothing
// and is counted; removing the last camera of a cell leaves its topic. The registry is a stub.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cellToLatLng, cellToParent } from 'h3-js'
import { createNode, residentRole, type PorchlightNode, type ResidentServices } from '../../../node/index.js'
import { initNode, loadConfig, type CameraSource } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { announcementMessageId } from '../../../node/network/index.js'
import { topicCells } from '../../../protocol/index.js'
import type { SourceTestResult } from '../../../protocol/index.js'
import { stubChain } from '../../helpers/stub-chain.js'
import { TestAgency } from '../../helpers/announcements.js'
import { AGENCY_KEY, DOMAIN } from '../../helpers/messages.js'
import { AREA, inboxAdded, liveFields, type Resident } from '../../helpers/resident-network.js'

const SECRET = 'pa55-w0rd'
const [lat, lng] = cellToLatLng(AREA[0]!)
const agency = new TestAgency(AGENCY_KEY, DOMAIN)
const tested: CameraSource[] = []
let dir: string
let node: PorchlightNode<ResidentServices>

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porchlight-cameras-'))
  await initNode(dir, { role: 'resident', name: 'birch lane' })
  node = await createNode({
    dir,
    services: residentRole({
      chain: stubChain(async (a) => ({ address: a, name: 'Seattle PD', cells: [...new Set(AREA.map((c) => cellToParent(c, 5)))], validUntil: Math.floor(Date.now() / 1000) + 86400, status: 'active' })),
      // The lead wires node/cameras/source-test.ts here; this one records what it was asked.
      cameras: { testSource: async (source): Promise<SourceTestResult> => { tested.push(source); return { ok: false, error: { code: 'UNREACHABLE', message: 'cannot connect to 192.0.2.5:554' } } } }
    }),
    libp2p: { messageId: announcementMessageId },
    listenApi: false,
    staticDir: false,
    logger: createLogger({ level: 'silent' })
  })
  await node.start()
})
after(async () => {
  await node?.stop()
  await rm(dir, { recursive: true, force: true })
})

async function call (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, token: string | null = node.keys.apiToken): Promise<{ status: number, body: any, text: string }> {
  const res = await node.api.app.inject({ method, url, headers: token === null ? {} : { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) })
  return { status: res.statusCode, body: res.body === '' ? undefined : res.json(), text: res.body }
}

const porch = { name: 'porch', lat, lng, direction: 180, source: { kind: 'rtsp', url: `rtsp://admin:${SECRET}@192.0.2.5:554/stream1` } }

test('every camera route needs the token', async () => {
  for (const [method, url, body] of [['GET', '/api/cameras'], ['POST', '/api/cameras', porch], ['PUT', '/api/cameras/porch', porch], ['DELETE', '/api/cameras/porch'], ['POST', '/api/cameras/test', { name: 'porch' }]] as const) {
    const res = await call(method, url, body, null)
    assert.equal(res.status, 401, `${method} ${url}`)
  }
  assert.deepEqual(node.services.cameras.list(), [])
})

test('a camera added over the API: saved, its topic joined at once, and a request already held for its area enters the inbox', { timeout: 30_000 }, async () => {
  // The request reaches the node before it has any camera (a cell-mate's catch-up, a topic of another camera): not in the inbox.
  const announced = agency.request({ ...liveFields(), title: 'Break-in on Birch Lane', category: 'burglary' })
  assert.equal((await node.services.network.ingest(announced.bytes, { cells: topicCells(AREA) })).result, 'accept')
  await assert.rejects(node.services.inbox.get(announced.id), { name: 'InboxItemNotFoundError' })
  assert.deepEqual(node.services.network.cells(), [])

  const added = await call('POST', '/api/cameras', porch)
  assert.equal(added.status, 201)
  assert.equal(added.text.includes(SECRET), false, 'the answer never carries the password')
  assert.deepEqual(added.body.source, { kind: 'rtsp', url: 'rtsp://192.0.2.5:554/stream1 (credentials hidden)' })
  assert.equal(added.body.direction, 180)
  assert.deepEqual(node.services.network.cells(), topicCells([added.body.cell]))
  assert.deepEqual((await loadConfig(dir)).cameras, [porch])

  const item = await inboxAdded(node as unknown as Resident, announced.id, AbortSignal.timeout(15_000))
  assert.deepEqual(item.cameras, ['porch'])
  const listed = await call('GET', '/api/cameras')
  assert.deepEqual(listed.body.items.map((c: { name: string }) => c.name), ['porch'])
  assert.equal(listed.text.includes(SECRET), false)
})

test('an edit sending the shown source back keeps the password; the source test gets the stored source', async () => {
  const shown = (await call('GET', '/api/cameras/porch')).body
  const edited = await call('PUT', '/api/cameras/porch', { name: shown.name, lat: shown.lat, lng: shown.lng, direction: 200, source: shown.source })
  assert.equal(edited.status, 200)
  assert.equal(edited.body.direction, 200)
  assert.deepEqual((await loadConfig(dir)).cameras[0]!.source, porch.source)

  const result = await call('POST', '/api/cameras/test', { name: 'porch' })
  assert.equal(result.status, 200)
  assert.deepEqual(result.body, { ok: false, error: { code: 'UNREACHABLE', message: 'cannot connect to 192.0.2.5:554' } })
  // An edit tested before it is saved: the shown URL stands for the stored one.
  await call('POST', '/api/cameras/test', { name: 'porch', source: shown.source })
  assert.deepEqual(tested, [porch.source, porch.source])
})

test('a refused body changes nothing, answers a typed error and is counted in /metrics', async () => {
  const before = await readFile(join(dir, 'config.json'), 'utf8')
  const bad = await call('POST', '/api/cameras', { name: 'garage', lat: 91, lng })
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.code, 'INVALID_CAMERA')
  const dup = await call('POST', '/api/cameras', porch)
  assert.equal(dup.status, 409)
  assert.equal(dup.body.error.code, 'CAMERA_EXISTS')
  const unknown = await call('PUT', '/api/cameras/shed', { name: 'shed', lat, lng })
  assert.equal(unknown.body.error.code, 'CAMERA_NOT_FOUND')
  const untestable = await call('POST', '/api/cameras/test', { name: 'shed' })
  assert.equal(untestable.body.error.code, 'CAMERA_NOT_FOUND')
  // The route's schema refuses unknown fields before the book sees them.
  assert.equal((await call('POST', '/api/cameras', { ...porch, name: 'garage', owner: 'me' })).status, 400)
  assert.equal(await readFile(join(dir, 'config.json'), 'utf8'), before)
  assert.deepEqual(node.services.cameras.list().map((c) => c.name), ['porch'])
  const metrics = (await node.api.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${node.keys.apiToken}` } })).body
  assert.match(metrics, /porchlight_cameras_refused_total\{what="change",code="INVALID_CAMERA"\} 1/)
  assert.match(metrics, /porchlight_cameras_refused_total\{what="change",code="CAMERA_EXISTS"\} 1/)
  assert.match(metrics, /porchlight_cameras_refused_total\{what="test",code="CAMERA_NOT_FOUND"\} 1/)
  assert.match(metrics, /porchlight_cameras\{kind="rtsp"\} 1/)
  assert.equal(metrics.includes(SECRET), false)
})

test('a clip can name a camera from the moment it is added; removing the last camera of a cell leaves its topic', async () => {
  const clip = async function * (): AsyncGenerator<Uint8Array> { yield new Uint8Array([1, 2, 3]) }
  const now = Math.floor(Date.now() / 1000)
  await assert.rejects(node.services.clips.add(clip(), { camera: 'garage', start: now - 60, end: now - 30, contentType: 'video/mp4' }), { name: 'UnknownCameraError' })
  assert.equal((await call('POST', '/api/cameras', { name: 'garage', lat, lng })).status, 201)
  await node.services.clips.add(clip(), { camera: 'garage', start: now - 60, end: now - 30, contentType: 'video/mp4' })

  assert.equal((await call('DELETE', '/api/cameras/porch')).status, 204)
  assert.equal(node.services.network.cells().length, 1, 'the garage keeps the cell')
  assert.equal((await call('DELETE', '/api/cameras/garage')).status, 204)
  assert.deepEqual(node.services.network.cells(), [])
  assert.deepEqual(node.libp2p.services.pubsub.getTopics(), [])
  assert.equal((await call('GET', '/api/cameras/porch')).body.error.code, 'CAMERA_NOT_FOUND')
  assert.deepEqual((await loadConfig(dir)).cameras, [])
})

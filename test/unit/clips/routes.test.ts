import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createNode, residentRole, type PorchlightNode } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { parseRange, type ClipsService, type ClipRecord } from '../../../node/clips/index.js'
import { clipCid } from '../../../protocol/codec/index.js'
import { randomClip } from '../../support/byte-streams.js'

const start = Math.floor(Date.now() / 1000) - 3600

async function resident (t: { after: (fn: () => Promise<void>) => void }): Promise<{ node: PorchlightNode<{ clips: ClipsService }>, auth: { authorization: string } }> {
  const config = parseConfig({ version: 1, role: 'resident', name: 'maple', listen: ['/memory/clips-routes'], cameras: [{ name: 'porch', lat: 40.712776, lng: -74.005974 }] })
  const node = await createNode({ config, services: { cameras: residentRole().cameras, clips: residentRole({ clips: { maxClipBytes: 100_000, importFolder: false } }).clips }, listenApi: false, staticDir: false })
  await node.start()
  t.after(async () => { await node.stop() })
  return { node, auth: { authorization: `Bearer ${node.keys.apiToken}` } }
}

function upload (query: string): string {
  return `/api/clips?${query}`
}

test('POST /api/clips stores the body under its CID (201), again is 200; GET lists it and streams it back', async (t) => {
  const { node, auth } = await resident(t)
  const bytes = randomClip(20_000)
  const cid = clipCid(bytes).toString()
  const added: ClipRecord[] = []
  node.services.clips.on('clip:added', (clip) => { added.push(clip) })
  const first = await node.api.app.inject({ method: 'POST', url: upload(`camera=porch&start=${start}&duration=60`), headers: { ...auth, 'content-type': 'video/mp4' }, payload: Buffer.from(bytes) })
  assert.equal(first.statusCode, 201, first.body)
  assert.deepEqual({ ...first.json<ClipRecord>(), addedAt: 0 }, { cid, size: 20_000, camera: 'porch', start, end: start + 60, contentType: 'video/mp4', addedAt: 0 })
  const again = await node.api.app.inject({ method: 'POST', url: upload(`camera=porch&start=${start}&end=${start + 60}`), headers: { ...auth, 'content-type': 'video/mp4' }, payload: Buffer.from(bytes) })
  assert.equal(again.statusCode, 200)
  assert.equal(added.length, 1)

  const list = await node.api.app.inject({ method: 'GET', url: '/api/clips', headers: auth })
  assert.deepEqual(list.json(), [first.json()])

  const whole = await node.api.app.inject({ method: 'GET', url: `/api/clips/${cid}`, headers: auth })
  assert.equal(whole.statusCode, 200)
  assert.equal(whole.headers['content-type'], 'video/mp4')
  assert.equal(whole.headers['content-length'], '20000')
  assert.equal(whole.headers['x-content-type-options'], 'nosniff')
  assert.deepEqual(new Uint8Array(whole.rawPayload), bytes)

  const part = await node.api.app.inject({ method: 'GET', url: `/api/clips/${cid}`, headers: { ...auth, range: 'bytes=100-199' } })
  assert.equal(part.statusCode, 206)
  assert.equal(part.headers['content-range'], 'bytes 100-199/20000')
  assert.deepEqual(new Uint8Array(part.rawPayload), bytes.subarray(100, 200))
  const tail = await node.api.app.inject({ method: 'GET', url: `/api/clips/${cid}`, headers: { ...auth, range: 'bytes=-10' } })
  assert.deepEqual(new Uint8Array(tail.rawPayload), bytes.subarray(19_990))
  const beyond = await node.api.app.inject({ method: 'GET', url: `/api/clips/${cid}`, headers: { ...auth, range: 'bytes=20000-' } })
  assert.equal(beyond.statusCode, 416)
  assert.equal(beyond.headers['content-range'], 'bytes */20000')
  assert.equal(beyond.json().error.code, 'RANGE_NOT_SATISFIABLE')
})

test('every clip route needs the token', async (t) => {
  const { node } = await resident(t)
  const cid = clipCid(new Uint8Array([1])).toString()
  for (const [method, url] of [['POST', upload(`camera=porch&start=${start}&duration=1`)], ['GET', '/api/clips'], ['GET', `/api/clips/${cid}`]] as const) {
    const res = await node.api.app.inject({ method, url, payload: method === 'POST' ? Buffer.from([1]) : undefined })
    assert.equal(res.statusCode, 401, url)
  }
  assert.deepEqual(await node.services.clips.list(), [])
})

test('bad uploads are refused with their own code and store nothing', async (t) => {
  const { node, auth } = await resident(t)
  const body = Buffer.from(randomClip(1000))
  const cases: Array<[string, Record<string, string>, Buffer, number, string]> = [
    [`camera=attic&start=${start}&duration=60`, {}, body, 400, 'UNKNOWN_CAMERA'],
    [`camera=porch&start=${start}`, {}, body, 400, 'INVALID_CLIP_TIME'],
    [`camera=porch&start=${start}&end=${start + 1}&duration=1`, {}, body, 400, 'INVALID_CLIP_TIME'],
    [`camera=porch&start=${start}&end=${start - 1}`, {}, body, 400, 'INVALID_CLIP_TIME'],
    [`camera=porch&start=2026-01-01T00:00:00&duration=1`, {}, body, 400, 'INVALID_CLIP_TIME'],
    [`camera=porch&duration=1`, {}, body, 400, 'VALIDATION_FAILED'],
    [`camera=porch&start=${start}&duration=1&zoom=2`, {}, body, 400, 'VALIDATION_FAILED'],
    [`camera=porch&start=${start}&duration=1`, { 'content-type': 'text/html' }, body, 415, 'UNSUPPORTED_CLIP_TYPE'],
    [`camera=porch&start=${start}&duration=1`, { 'content-type': 'application/json' }, body, 415, 'UNSUPPORTED_CLIP_TYPE'],
    [`camera=porch&start=${start}&duration=1`, {}, Buffer.alloc(0), 400, 'EMPTY_CLIP'],
    [`camera=porch&start=${start}&duration=1`, {}, Buffer.alloc(100_001), 413, 'CLIP_TOO_LARGE']
  ]
  for (const [query, headers, payload, status, code] of cases) {
    const res = await node.api.app.inject({ method: 'POST', url: upload(query), headers: { ...auth, 'content-type': 'video/mp4', ...headers }, payload })
    assert.equal(res.statusCode, status, `${query} ${JSON.stringify(headers)}: ${res.body}`)
    assert.equal(res.json().error.code, code, query)
  }
  assert.deepEqual(await node.services.clips.list(), [])
})

test('GET /api/clips/:cid: an unknown clip is 404, a malformed id 400', async (t) => {
  const { node, auth } = await resident(t)
  const missing = await node.api.app.inject({ method: 'GET', url: `/api/clips/${clipCid(new Uint8Array([1])).toString()}`, headers: auth })
  assert.equal(missing.statusCode, 404)
  assert.equal(missing.json().error.code, 'CLIP_NOT_FOUND')
  const bad = await node.api.app.inject({ method: 'GET', url: '/api/clips/..%2Fapi-token', headers: auth })
  assert.equal(bad.statusCode, 400)
  assert.equal(bad.json().error.code, 'VALIDATION_FAILED')
})

test('the OpenAPI document lists the clip routes', async (t) => {
  const { node } = await resident(t)
  const doc = (await node.api.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, unknown> }>()
  assert.ok(doc.paths['/api/clips'] !== undefined)
  assert.ok(doc.paths['/api/clips/{cid}'] !== undefined)
})

test('parseRange: one range is served, others are ignored or unsatisfiable', () => {
  assert.deepEqual(parseRange('bytes=0-0', 10), { start: 0, end: 0 })
  assert.deepEqual(parseRange('bytes=5-', 10), { start: 5, end: 9 })
  assert.deepEqual(parseRange('bytes=5-100', 10), { start: 5, end: 9 })
  assert.deepEqual(parseRange('bytes=-3', 10), { start: 7, end: 9 })
  assert.deepEqual(parseRange('bytes=-30', 10), { start: 0, end: 9 })
  for (const ignored of [undefined, 'bytes=0-1,4-5', 'items=0-1', 'bytes=-', 'bytes=a-b']) assert.equal(parseRange(ignored, 10), undefined)
  for (const unsatisfiable of ['bytes=10-', 'bytes=5-4', 'bytes=-0']) assert.throws(() => parseRange(unsatisfiable, 10), { name: 'RangeNotSatisfiableError' })
})

test('the service refuses use before it starts with a typed error', async (t) => {
  const config = parseConfig({ version: 1, role: 'resident', name: 'maple', listen: ['/memory/clips-unstarted'], cameras: [] })
  const node = await createNode({ config, services: { cameras: residentRole().cameras, clips: residentRole({ clips: { importFolder: false } }).clips }, listenApi: false, staticDir: false })
  t.after(async () => { await node.stop() })
  await assert.rejects(node.services.clips.list(), { name: 'ClipsNotStartedError', code: 'CLIPS_NOT_STARTED' })
})

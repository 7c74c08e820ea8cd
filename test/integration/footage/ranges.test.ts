// A consent with a range of a camera's recordings, on real nodes: the resident's inbox shows what its rtsp
// camera recorded inside the window (with thumbnails made on the node), a range outside the window or the
// recording is refused with a typed error and stores nothing, and a range inside it is cut on the node,
// stored as a clip, delivered encrypted, and opened by the agency as the same H.264 at the same resolution.
// The recordings are real MPEG-TS segments from ffmpeg (lavfi), indexed as part A's recorder indexes them.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ffprobePath } from '../../../node/recording/segment-source.js'
import { call, corner, draft, issueRequest, shareWhere, startFootageWorld, type FootageWorld, type ResidentNode } from '../../helpers/footage-world.js'
import { makeSegments, MemorySegmentIndex, probe, type MadeSegments } from '../../support/recorded-segments.js'

const ffprobe = ffprobePath({})
let world: FootageWorld
let dir: string
let made: MadeSegments
let ann: ResidentNode
let requestId: string
const recordedFrom = Math.floor(Date.now() / 1000) - 1800

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porchlight-ranges-'))
  made = await makeSegments(join(dir, 'rec'), { camera: 'porch', startMs: recordedFrom * 1000, seconds: 60 })
  world = await startFootageWorld()
  ann = await world.resident('ann', [], {
    cameras: [{ name: 'porch', ...corner, source: { kind: 'rtsp', url: 'rtsp://viewer:hunter2@192.0.2.5:554/live' } }]
  }, { ranges: { segments: new MemorySegmentIndex(join(dir, 'rec')).add(...made.records) } })
  requestId = (await issueRequest(world, draft({ caseCode: 'RANGE-1' }))).id
})
after(async () => {
  await world?.stop()
  await rm(dir, { recursive: true, force: true })
})

test('the inbox item shows the camera\'s recorded overlap with the window and thumbnails; nothing is cut before consent', async () => {
  const item = await call(ann, 'GET', `/api/inbox/${requestId}`)
  assert.equal(item.status, 200)
  const [o, ...rest] = item.json.recordings
  assert.deepEqual(rest, [])
  assert.equal(o.camera, 'porch')
  assert.deepEqual([o.from, o.to, o.duration], [recordedFrom, recordedFrom + 60, 60])
  assert.ok(o.estimatedBytes > 0 && o.estimatedBytes <= made.records.reduce((n: number, r) => n + r.bytes, 0))
  assert.equal(o.thumbnails.length, 3)
  assert.equal(o.thumbnails[0], `/api/inbox/${requestId}/thumbnails/porch/0.jpg`)
  const jpeg = await call(ann, 'GET', o.thumbnails[2])
  assert.equal(jpeg.status, 200)
  assert.equal(jpeg.headers.get('content-type'), 'image/jpeg')
  assert.deepEqual([...jpeg.body.subarray(0, 2)], [0xff, 0xd8])
  assert.equal((await call(ann, 'GET', o.thumbnails[0], undefined, null)).status, 401)
  assert.equal((await call(ann, 'GET', `/api/inbox/${requestId}/thumbnails/porch/3.jpg`)).json.error.code, 'THUMBNAIL_NOT_FOUND')
  assert.equal((await call(ann, 'GET', `/api/inbox/${requestId}/thumbnails/garage/0.jpg`)).json.error.code, 'THUMBNAIL_NOT_FOUND')
  assert.deepEqual((await call(ann, 'GET', '/api/clips')).json, [])
  assert.ok(!JSON.stringify(item.json).includes('hunter2'))
})

test('a range outside the window, the recording or the area is refused with a typed error; nothing is stored or shared', async () => {
  const { windowStart, windowEnd } = (await call(ann, 'GET', `/api/inbox/${requestId}`)).json.request.message
  const refused = async (ranges: unknown[]): Promise<string> => {
    const res = await call(ann, 'POST', `/api/inbox/${requestId}/consent`, { ranges })
    assert.equal(res.status, 422, JSON.stringify(res.json))
    return res.json.error.code
  }
  assert.equal(await refused([{ camera: 'porch', from: windowStart - 10, to: windowStart + 10 }]), 'RANGE_OUTSIDE_WINDOW')
  assert.equal(await refused([{ camera: 'porch', from: windowEnd - 10, to: windowEnd + 1 }]), 'RANGE_OUTSIDE_WINDOW')
  assert.equal(await refused([{ camera: 'porch', from: recordedFrom + 30, to: recordedFrom + 20 }]), 'RANGE_OUTSIDE_WINDOW')
  // Inside the window, but longer than what was recorded.
  assert.equal(await refused([{ camera: 'porch', from: recordedFrom + 30, to: recordedFrom + 90 }]), 'RANGE_NOT_RECORDED')
  // A good range beside a bad one: nothing of either is cut.
  assert.equal(await refused([{ camera: 'porch', from: recordedFrom + 1, to: recordedFrom + 5 }, { camera: 'garage', from: recordedFrom + 1, to: recordedFrom + 5 }]), 'RANGE_CAMERA')
  assert.equal((await call(ann, 'POST', `/api/inbox/${requestId}/consent`, {})).status, 400)
  assert.deepEqual((await call(ann, 'GET', '/api/clips')).json, [])
  assert.deepEqual((await call(ann, 'GET', '/api/shares')).json.shares, [])
  const metrics = await (await fetch(`${ann.info().api!.url}/metrics`, { headers: { authorization: `Bearer ${ann.keys.apiToken}` } })).text()
  assert.match(metrics, /porchlight_shares_refused_total\{code="RANGE_OUTSIDE_WINDOW"\} 3/)
})

test('a consented range is cut on the node, stored, delivered, and the agency opens the same H.264 cut to the range', { timeout: 60_000 }, async () => {
  const from = recordedFrom + 12
  const to = recordedFrom + 41
  const consent = await call(ann, 'POST', `/api/inbox/${requestId}/consent`, { ranges: [{ camera: 'porch', from, to, label: 'Porch, east side' }] })
  assert.equal(consent.status, 202, JSON.stringify(consent.json))
  const [clip] = (await call(ann, 'GET', '/api/clips')).json
  assert.equal(clip.camera, 'porch')
  assert.equal(clip.contentType, 'video/mp4')
  assert.ok(clip.start <= from && clip.start >= from - made.keyframeSeconds && clip.end >= to, JSON.stringify(clip))
  assert.deepEqual(consent.json.consent.message.clips.map((c: { cid: string }) => c.cid), [clip.cid])

  const share = await shareWhere(ann, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(share.state, 'delivered', JSON.stringify(share.error))
  const record = await world.agency.services.footage.delivery(consent.json.id)
  assert.deepEqual(record?.clips.map((c) => c.cid), [clip.cid])

  const res = await fetch(`${world.agency.info().api!.url}/api/footage/${clip.cid}?purpose=${encodeURIComponent('case RANGE-1 review')}`, { headers: { authorization: `Bearer ${world.agency.keys.apiToken}` } })
  assert.equal(res.status, 200)
  const file = join(dir, 'received.mp4')
  await writeFile(file, new Uint8Array(await res.arrayBuffer()))
  const got = await probe(file, ffprobe)
  assert.deepEqual([got.codec, got.width, got.height], ['h264', made.width, made.height])
  assert.ok(got.firstIsKeyframe)
  assert.ok(Math.abs(got.duration - (to - from)) <= made.keyframeSeconds, `duration ${got.duration}`)
  // The consent said what the cut is: its media type, its length to the millisecond (not the store's whole
  // seconds) and the label the resident gave the range.
  const sent = consent.json.consent.message.clips[0] as { mediaType: string, durationMs: number, camera: string }
  assert.deepEqual([sent.mediaType, sent.camera], ['video/mp4', 'Porch, east side'])
  assert.ok(Math.abs(sent.durationMs - got.duration * 1000) <= 200, `${sent.durationMs} ms sent, ${got.duration} s received`)
  assert.deepEqual(record?.clips.map((c) => [c.mediaType, c.durationMs, c.camera]), [[sent.mediaType, sent.durationMs, sent.camera]])
})

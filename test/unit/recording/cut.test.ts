// Cutting recorded segments (real ffmpeg segments from lavfi, H.264, one keyframe a second): the cut is
// remuxed (ffprobe's codec and size equal the source's), starts on a keyframe at or before the chosen
// start, lasts the chosen range within one keyframe interval, and a range across a gap is refused.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { localRangeSource } from '../../../node/recording/local-range-source.js'
import { ffprobePath } from '../../../node/recording/segment-source.js'
import { thumbnailTimes } from '../../../node/recording/range-sources.js'
import type { Camera } from '../../../node/config/index.js'
import { ffmpeg, makeSegments, MemorySegmentIndex, probe, type MadeSegments } from '../../support/recorded-segments.js'

const ffprobe = ffprobePath({})
const camera: Camera = { name: 'porch', lat: 52.37, lng: 4.89, source: { kind: 'rtsp', url: 'rtsp://192.0.2.5/live' } }
const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000
let dir: string
let made: MadeSegments
let index: MemorySegmentIndex

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porchlight-cut-'))
  // 40 s recorded, then a 20 s gap (the camera dropped out), then 20 s more.
  made = await makeSegments(join(dir, 'rec'), { camera: 'porch', startMs: t0, seconds: 40 })
  const later = await makeSegments(join(dir, 'rec'), { camera: 'porch', startMs: t0 + 60_000, seconds: 20, prefix: 'late' })
  index = new MemorySegmentIndex(join(dir, 'rec')).add(...made.records, ...later.records)
})
after(async () => { await rm(dir, { recursive: true, force: true }) })

function source (): ReturnType<typeof localRangeSource> {
  return localRangeSource({ index, ffmpeg, ffprobe, thumbnails: join(dir, 'thumbs') })
}

test('the index\'s overlaps with a window: the gap splits them', async () => {
  const got = await source().overlaps(camera, t0 / 1000 - 10, t0 / 1000 + 100)
  assert.deepEqual(got.map((o) => [o.from - t0 / 1000, o.to - t0 / 1000]), [[0, 40], [60, 80]])
  assert.ok(got[0]!.estimatedBytes > 0)
})

test('a cut is remuxed (codec and resolution of the source), starts on a keyframe, lasts the range within a keyframe interval', async () => {
  const src = await probe(join(index.dir, made.records[0]!.file), ffprobe)
  const from = t0 / 1000 + 13
  const to = t0 / 1000 + 31
  const out = join(dir, 'cut.mp4')
  // Chosen half a second past a keyframe, so the keyframe before it is what the cut must start on.
  const cut = await source().cut(camera, from + 0.5, to, out)
  const got = await probe(out, ffprobe)
  assert.equal(got.codec, src.codec)
  assert.equal(got.codec, 'h264')
  assert.deepEqual([got.width, got.height], [made.width, made.height])
  assert.ok(got.firstIsKeyframe, 'the cut starts on a keyframe')
  assert.ok(cut.start <= from + 0.5 && cut.start >= from + 0.5 - made.keyframeSeconds, `start ${cut.start - t0 / 1000}`)
  assert.ok(Math.abs(got.duration - (to - (from + 0.5))) <= made.keyframeSeconds, `duration ${got.duration}`)
  assert.ok(Math.abs(cut.end - to) < 0.1, `end ${cut.end - t0 / 1000}`)
  assert.equal(cut.bytes, (await stat(out)).size)
  assert.equal(cut.contentType, 'video/mp4')
})

test('a range across the gap is refused (RangeNotRecordedError) and leaves no file', async () => {
  const out = join(dir, 'gap.mp4')
  await assert.rejects(source().cut(camera, t0 / 1000 + 30, t0 / 1000 + 70, out), { name: 'RangeNotRecordedError', code: 'RANGE_NOT_RECORDED' })
  await assert.rejects(stat(out), { code: 'ENOENT' })
  assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.concat.txt')), [])
})

test('an aborted cut fails with CutFailedError and leaves no file', async () => {
  const out = join(dir, 'aborted.mp4')
  await assert.rejects(source().cut(camera, t0 / 1000 + 1, t0 / 1000 + 39, out, AbortSignal.abort()), { name: 'CutFailedError' })
  await assert.rejects(stat(out), { code: 'ENOENT' })
})

test('a thumbnail is a JPEG made from the segment holding the instant, cached; none where nothing was recorded', async () => {
  const s = source()
  const [first] = await s.overlaps(camera, t0 / 1000, t0 / 1000 + 40)
  const at = thumbnailTimes(first!)[1]!
  const jpeg = await s.thumbnail!(camera, at)
  assert.ok(jpeg !== undefined && jpeg[0] === 0xff && jpeg[1] === 0xd8, 'JPEG magic')
  assert.equal((await readdir(join(dir, 'thumbs'))).length, 1)
  assert.deepEqual(await s.thumbnail!(camera, at), jpeg)
  assert.equal((await readdir(join(dir, 'thumbs'))).length, 1, 'served from the cache')
  assert.equal(await s.thumbnail!(camera, t0 / 1000 + 50), undefined)
})

test('thumbnail instants: three inside a run, one for a run under three seconds', () => {
  assert.deepEqual(thumbnailTimes({ camera: 'c', from: 100, to: 130, duration: 30, estimatedBytes: 0 }), [105, 115, 125])
  assert.deepEqual(thumbnailTimes({ camera: 'c', from: 100, to: 102, duration: 2, estimatedBytes: 0 }), [101])
})

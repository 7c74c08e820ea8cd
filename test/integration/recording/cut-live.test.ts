// Part A's recorder and part B's cut together, against a real RTSP server (GStreamer's, a synthetic H.264
// camera with a keyframe a second): the recording service indexes closed segments, the local range source
// finds them as one overlap, and a cut of a range inside it is the camera's own H.264 at its resolution,
// starting on a keyframe and lasting the range within one keyframe interval.
// Until part A (node/recording/service.ts, test/support/rtsp-server.ts) is merged this test is SKIPPED,
// saying so; its modules are imported by computed path so that this branch compiles without them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once, type EventEmitter } from 'node:events'
import { access, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { openStore } from '../../../node/storage/index.js'
import { FootageRanges } from '../../../node/recording/range-sources.js'
import { ffprobePath, type RecordedSegments, type SegmentRecord } from '../../../node/recording/segment-source.js'
import { probe } from '../../support/recorded-segments.js'

const partA = ['../../../node/recording/service.js', '../../support/rtsp-server.js'].map((p) => new URL(p.replace(/\.js$/, '.ts'), import.meta.url))
const merged = await Promise.all(partA.map(async (u) => await access(u).then(() => true, () => false))).then((xs) => xs.every(Boolean))

interface RecordingServiceLike extends RecordedSegments, EventEmitter { start: () => Promise<void>, stop: () => Promise<void> }

test('a range of a live RTSP recording is cut to the camera\'s own H.264, on a keyframe, within one keyframe interval', {
  timeout: 120_000, skip: merged ? false : 'part A (the recording service and the RTSP test server) is not merged on this branch'
}, async (t) => {
  const { RtspTestServer } = await import(partA[1]!.href) as { RtspTestServer: { start: (t: unknown, o: object) => Promise<{ url: () => string }> } }
  const { RecordingService } = await import(partA[0]!.href) as { RecordingService: new (c: object, i: object) => RecordingServiceLike }
  const server = await RtspTestServer.start(t, { width: 640, height: 360, fps: 15, keyint: 1 })
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-cut-live-'))
  const store = await openStore(dir)
  const logger = createLogger({ level: 'silent' })
  const config = parseConfig({ version: 1, role: 'resident', name: 'home', cameras: [{ name: 'porch', lat: 40.7, lng: -74, source: { kind: 'rtsp', url: server.url() } }], recording: { segmentSeconds: 2 } })
  const recordings = new RecordingService({ config, dir, store, logger }, {})
  t.after(async () => { await recordings.stop(); await store.close(); await rm(dir, { recursive: true, force: true }) })
  await recordings.start()
  const segments: SegmentRecord[] = []
  while (segments.length < 5) segments.push(...(await once(recordings, 'segment')) as SegmentRecord[])

  const ranges = new FootageRanges({ config, dir, store, logger, recordings })
  await ranges.start()
  const camera = config.cameras[0]!
  const source = ranges.sourceFor(camera)!
  const [o, ...more] = await source.overlaps(camera, Math.floor(segments[0]!.start / 1000), Math.ceil(segments.at(-1)!.end / 1000))
  assert.deepEqual(more, [])
  const from = o!.from + 1
  const to = o!.to - 1
  const out = ranges.cutPath()
  const cut = await source.cut(camera, from, to, out)
  const got = await probe(out, ffprobePath(config))
  assert.deepEqual([got.codec, got.width, got.height], ['h264', 640, 360])
  assert.ok(got.firstIsKeyframe)
  assert.ok(cut.start <= from && cut.start > from - 1.01, `start ${cut.start} for ${from}`)
  assert.ok(Math.abs(got.duration - (to - from)) <= 1.01, `duration ${got.duration} for ${to - from}`)
})

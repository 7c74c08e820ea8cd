// Which range source answers for a camera, and what the inbox gets from them: a source kind without one is
// refused with a typed error, a source that fails is left out of the item (the rest still shows), and the
// thumbnails are numbered per camera across its overlaps, as the route reads them back. A Frigate that fails
// is counted in the node's figures by kind and code.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Registry } from 'prom-client'
import { frigateRangeSource } from '../../../node/cameras/frigate.js'
import { nodeMetrics } from '../../../node/metrics/node-metrics.js'
import { FootageRanges } from '../../../node/recording/range-sources.js'
import type { RangeSource } from '../../../node/recording/range-source.js'
import type { Camera, NodeConfig } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import type { Store } from '../../../node/storage/index.js'
import { MemorySegmentIndex } from '../../support/recorded-segments.js'
import { startFrigateStandin } from '../../support/frigate-standin.js'

const at = { lat: 52.37, lng: 4.89 }
const rtsp: Camera = { name: 'porch', ...at, source: { kind: 'rtsp', url: 'rtsp://u:p@192.0.2.5/live' } }
const frigate: Camera = { name: 'door', ...at, source: { kind: 'frigate', url: 'http://192.0.2.8:5000', camera: 'front_door' } }
const folder: Camera = { name: 'shed', ...at, source: { kind: 'folder', path: '/srv/shed' } }
const bare: Camera = { name: 'yard', ...at }

function ranges (init: ConstructorParameters<typeof FootageRanges>[1] = {}): FootageRanges {
  return new FootageRanges({
    config: { cameras: [rtsp, frigate, folder, bare] } as unknown as NodeConfig,
    dir: '/nonexistent',
    store: { location: '/nonexistent/db' } as unknown as Store,
    logger: createLogger({ level: 'silent' })
  }, init)
}

test('a source kind without a range source here is refused with RANGE_SOURCE_UNAVAILABLE; folder and none have none', async () => {
  const r = ranges()
  await assert.rejects(r.sourceFor(frigate)!.overlaps(frigate, 0, 10), { name: 'RangeSourceUnavailableError', code: 'RANGE_SOURCE_UNAVAILABLE' })
  await assert.rejects(r.sourceFor(rtsp)!.cut(rtsp, 0, 10, '/nonexistent/x.mp4'), { code: 'RANGE_SOURCE_UNAVAILABLE' })
  assert.equal(r.sourceFor(folder), undefined)
  assert.equal(r.sourceFor(bare), undefined)
  // With a segment index, an rtsp camera answers from it (nothing recorded: no overlaps).
  assert.deepEqual(await ranges({ segments: new MemorySegmentIndex('/nonexistent') }).sourceFor(rtsp)!.overlaps(rtsp, 0, 10), [])
})

test('recordings: a failing source is left out, the others listed with thumbnails numbered per camera', async () => {
  const stub: RangeSource = {
    overlaps: async (camera, from) => [
      { camera: camera.name, from, to: from + 30, duration: 30, estimatedBytes: 3000 },
      { camera: camera.name, from: from + 40, to: from + 42, duration: 2, estimatedBytes: 200 }
    ],
    cut: async () => { throw new Error('not here') },
    thumbnail: async (_camera, t) => new Uint8Array([0xff, 0xd8, t % 256])
  }
  const r = ranges({ frigate: () => stub })
  const got = await r.recordings([rtsp, frigate, folder, bare], 1000, 2000, (camera, n) => `${camera}/${n}`)
  assert.deepEqual(got, [
    { camera: 'door', from: 1000, to: 1030, duration: 30, estimatedBytes: 3000, thumbnails: ['door/0', 'door/1', 'door/2'] },
    { camera: 'door', from: 1040, to: 1042, duration: 2, estimatedBytes: 200, thumbnails: ['door/3'] }
  ])
  // The n-th as numbered above: the fourth is the short run's middle.
  assert.deepEqual(await r.thumbnail(frigate, 1000, 2000, 3), new Uint8Array([0xff, 0xd8, 1041 % 256]))
  await assert.rejects(r.thumbnail(frigate, 1000, 2000, 4), { name: 'ThumbnailNotFoundError', code: 'THUMBNAIL_NOT_FOUND' })
  await assert.rejects(r.thumbnail(folder, 1000, 2000, 0), { code: 'THUMBNAIL_NOT_FOUND' })
})

test('a Frigate that fails is left out of the item and counted by kind and code, never with its URL, camera or token', async (t) => {
  const nvr = await startFrigateStandin(t, { cameras: ['front_door'], token: 'frigate-s3cret' })
  const wrongToken: Camera = { ...frigate, source: { kind: 'frigate', url: nvr.url, camera: 'front_door', token: 'not-the-token' } }
  const unknown: Camera = { ...frigate, source: { kind: 'frigate', url: nvr.url, camera: 'back_yard', token: 'frigate-s3cret' } }
  const r = ranges({ frigate: frigateRangeSource })
  const registry = new Registry()
  const metrics = nodeMetrics(registry, { config: { role: 'resident', name: 'birch lane' }, ranges: r })
  t.after(() => { metrics.stop() })
  assert.deepEqual(await r.recordings([wrongToken, unknown], 1000, 2000, (camera, n) => `${camera}/${n}`), [])
  await assert.rejects(r.sourceFor(wrongToken)!.cut(wrongToken, 1000, 1010, '/nonexistent/x.mp4'), { code: 'SOURCE_UNAUTHORIZED' })
  const text = await registry.metrics()
  assert.match(text, /porchlight_camera_source_failures_total\{kind="frigate",code="SOURCE_UNAUTHORIZED"\} 2/)
  assert.match(text, /porchlight_camera_source_failures_total\{kind="frigate",code="FRIGATE_UNKNOWN_CAMERA"\} 1/)
  for (const secret of ['not-the-token', 'frigate-s3cret', nvr.url, 'front_door', 'back_yard', '"door"']) assert.ok(!text.includes(secret), secret)
})

// What a segment index says a camera recorded inside a window: runs split at gaps, clamped, sized.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_GAP_MS, overlapsOf, segmentRuns } from '../../../node/recording/overlap.js'
import type { SegmentRecord } from '../../../node/recording/segment-source.js'

const t0 = 1_800_000_000_000
function seg (startS: number, endS: number, bytes = 1000): SegmentRecord {
  return { camera: 'porch', file: `porch/${startS}.ts`, start: t0 + startS * 1000, end: t0 + endS * 1000, bytes }
}

test('adjacent segments (and a jitter up to 2 s) are one run; a longer gap splits it', () => {
  const runs = segmentRuns([seg(0, 10), seg(10.04, 20), seg(22, 30), seg(32.5, 40), seg(40, 50)])
  assert.deepEqual(runs.map((r) => [r.start - t0, r.end - t0, r.segments.length]), [[0, 30_000, 3], [32_500, 50_000, 2]])
  assert.equal(MAX_GAP_MS, 2000)
})

test('segments out of order are sorted before they are joined', () => {
  assert.equal(segmentRuns([seg(10, 20), seg(0, 10)]).length, 1)
})

test('overlaps: one per run meeting the window, clamped to it, with the bytes inside it', () => {
  const from = t0 / 1000 + 5
  const to = t0 / 1000 + 45
  const got = overlapsOf('porch', [seg(0, 10), seg(10, 20), seg(30, 40), seg(40, 50), seg(60, 70)], from, to)
  assert.deepEqual(got, [
    { camera: 'porch', from, to: t0 / 1000 + 20, duration: 15, estimatedBytes: 1500 },
    { camera: 'porch', from: t0 / 1000 + 30, to, duration: 15, estimatedBytes: 1500 }
  ])
})

test('a run that only touches the window\'s edge is no overlap; no segments, no overlaps', () => {
  assert.deepEqual(overlapsOf('porch', [seg(0, 10)], t0 / 1000 + 10, t0 / 1000 + 20), [])
  assert.deepEqual(overlapsOf('porch', [], t0 / 1000, t0 / 1000 + 20), [])
})

test('a run\'s ends in milliseconds are rounded outwards to whole seconds', () => {
  const [o] = overlapsOf('porch', [seg(0.4, 9.6)], t0 / 1000 - 100, t0 / 1000 + 100)
  assert.equal(o?.from, t0 / 1000)
  assert.equal(o?.to, t0 / 1000 + 10)
})

import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { cameraCell } from '../../../protocol/geo/index.js'
import { matchingClips } from '../../../node/clips/index.js'

const camera = { name: 'porch', lat: 40.712776, lng: -74.005974 }
const cells = [cameraCell(camera.lat, camera.lng)]
const span = fc.tuple(fc.nat(10_000), fc.nat(10_000)).map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) }))

test('a clip of a camera in the area matches exactly when some second lies in both its span and the window', () => {
  fc.assert(fc.property(span, fc.array(span, { maxLength: 20 }), (window, spans) => {
    const clips = spans.map((s, i) => ({ ...s, camera: 'porch', cid: String(i) }))
    const matched = new Set(matchingClips({ cells, windowStart: window.start, windowEnd: window.end }, [camera], clips).map((c) => c.cid))
    for (const c of clips) {
      let shared = false
      for (let second = c.start; second <= c.end && !shared; second++) shared = second >= window.start && second <= window.end
      assert.equal(matched.has(c.cid), shared)
    }
  }), { numRuns: 300 })
})

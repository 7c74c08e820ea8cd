import { test } from 'node:test'
import assert from 'node:assert/strict'
import { gridDisk } from 'h3-js'
import { cameraCell } from '../../../protocol/geo/index.js'
import { matchingClips } from '../../../node/clips/index.js'

const porch = { name: 'porch', lat: 40.712776, lng: -74.005974 }
// About 1.1 km east: another res-9 cell, outside an area made of the porch's cell and its ring.
const far = { name: 'far', lat: 40.712776, lng: -73.993 }
const area = gridDisk(cameraCell(porch.lat, porch.lng), 1).sort()
const request = { cells: area, windowStart: 1000, windowEnd: 2000 }

function clip (camera: string, start: number, end: number): { cid: string, camera: string, start: number, end: number } {
  return { cid: `${camera}-${start}-${end}`, camera, start, end }
}

test('the camera geometry of these cases is what they say', () => {
  assert.equal(area.includes(cameraCell(far.lat, far.lng)), false)
})

test('a clip matches when its camera is in the area and its span overlaps the window, edges included', () => {
  const clips = [
    clip('porch', 500, 1500), // overlaps the start
    clip('porch', 1500, 2500), // overlaps the end
    clip('porch', 500, 2500), // covers the window
    clip('porch', 1200, 1300), // inside
    clip('porch', 2000, 2000), // a snapshot at the end
    clip('porch', 900, 1000), // ends as the window starts
    clip('porch', 100, 999), // before
    clip('porch', 2001, 3000), // after
    clip('far', 1200, 1300), // outside the area
    clip('attic', 1200, 1300) // a camera the node no longer has
  ]
  assert.deepEqual(matchingClips(request, [porch, far], clips).map((c) => c.cid), [
    'porch-500-1500', 'porch-1500-2500', 'porch-500-2500', 'porch-1200-1300', 'porch-2000-2000', 'porch-900-1000'
  ])
})

test('no camera in the area: nothing matches', () => {
  assert.deepEqual(matchingClips(request, [far], [clip('far', 1200, 1300), clip('porch', 1200, 1300)]), [])
  assert.deepEqual(matchingClips(request, [], [clip('porch', 1200, 1300)]), [])
})

test('a camera a few metres away in a neighbouring cell does not match an area of one cell', () => {
  const cell = cameraCell(porch.lat, porch.lng)
  const neighbour = gridDisk(cell, 1).find((c) => c !== cell)!
  const clips = [clip('porch', 1200, 1300)]
  assert.equal(matchingClips({ ...request, cells: [neighbour] }, [porch], clips).length, 0)
  assert.equal(matchingClips({ ...request, cells: [cell] }, [porch], clips).length, 1)
})

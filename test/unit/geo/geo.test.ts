import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToParent, getResolution, gridDisk, latLngToCell, cellToLatLng, greatCircleDistance } from 'h3-js'
import {
  areaFromCells, areaFromCircle, areaKm2, cameraCell, cellToUint64, isCameraInArea, isInsideJurisdiction,
  topicCells, topicName, uint64ToCell
} from '../../../protocol/geo/index.js'

// Seattle, Pike Place Market. Expected cells come from h3-js itself; `8928308280fffff` is the example
// cell of the H3 documentation.
const LAT = 47.6097
const LNG = -122.3422
const CENTER = latLngToCell(LAT, LNG, 9)

test('areaFromCells validates res-9 cells, dedupes and sorts', () => {
  const ring = gridDisk(CENTER, 1)
  const area = areaFromCells([...ring].reverse().concat(ring[0]!))
  assert.deepEqual(area, [...new Set(ring)].sort())
  assert.equal(area.length, 7)
  assert.throws(() => areaFromCells([cellToParent(CENTER, 8)]), { name: 'InvalidCellError', code: 'INVALID_CELL' })
  assert.throws(() => areaFromCells([CENTER.toUpperCase()]), { name: 'InvalidCellError' })
  assert.throws(() => areaFromCells(['8928308280fffffff']), { name: 'InvalidCellError' })
  assert.throws(() => areaFromCells(['not a cell']), (err: Error & { details: { field: string } }) => err.name === 'InvalidCellError' && err.details.field === 'cells[0]')
})

test('areaFromCircle covers the cells whose centers lie within the radius', () => {
  const cells = areaFromCircle(LAT, LNG, 600)
  assert.ok(cells.includes(CENTER))
  assert.deepEqual(cells, [...cells].sort())
  for (const c of cells) {
    assert.equal(getResolution(c), 9)
    if (c !== CENTER) assert.ok(greatCircleDistance([LAT, LNG], cellToLatLng(c), 'm') <= 600)
  }
  // Nothing inside the radius is missed: every res-9 cell around whose center is within 600 m is there.
  for (const c of gridDisk(CENTER, 8)) {
    if (greatCircleDistance([LAT, LNG], cellToLatLng(c), 'm') <= 600) assert.ok(cells.includes(c), c)
  }
  const km2 = areaKm2(cells)
  const disk = Math.PI * 0.6 * 0.6
  assert.ok(km2 > disk * 0.6 && km2 < disk * 1.4, `${km2} km² vs disk ${disk}`)
  assert.deepEqual(areaFromCircle(LAT, LNG, 1), [CENTER])
})

test('areaFromCircle rejects bad coordinates and radii', () => {
  for (const [lat, lng, r] of [[91, 0, 100], [0, 181, 100], [Number.NaN, 0, 100], [0, 0, 0], [0, 0, -5], [0, 0, 5001], [0, 0, Infinity]] as const) {
    assert.throws(() => areaFromCircle(lat, lng, r), { name: 'InvalidCoordinatesError' })
  }
})

test('areaKm2 sums real cell areas (a res-9 cell is about 0.1 km²)', () => {
  const one = areaKm2([CENTER])
  assert.ok(one > 0.08 && one < 0.14, String(one))
  const seven = areaKm2(gridDisk(CENTER, 1))
  assert.ok(Math.abs(seven - 7 * one) < one * 0.05)
  assert.equal(areaKm2([CENTER, CENTER]), one)
  assert.throws(() => areaKm2(['zz']), { name: 'InvalidCellError' })
})

test('topicCells are the sorted unique res-7 parents, topicName names their topic', () => {
  const area = areaFromCircle(LAT, LNG, 600)
  const topics = topicCells(area)
  assert.deepEqual(topics, [...new Set(area.map((c) => cellToParent(c, 7)))].sort())
  for (const t of topics) assert.equal(getResolution(t), 7)
  assert.equal(topicName(topics[0]!), `porchlight/1/req/${topics[0]}`)
  assert.throws(() => topicName(CENTER), { name: 'InvalidCellError' })
  assert.throws(() => topicCells([cellToParent(CENTER, 7)]), { name: 'InvalidCellError' })
})

test('isInsideJurisdiction: every area cell must have a listed ancestor (res ≤ 7)', () => {
  const parent7 = cellToParent(CENTER, 7)
  const parent5 = cellToParent(CENTER, 5)
  assert.equal(isInsideJurisdiction([CENTER], [parent7]), true)
  assert.equal(isInsideJurisdiction([CENTER], [parent5]), true)
  // Mixed resolutions: one cell covered by a res-5 cell elsewhere does not help; its own ancestor does.
  const far = latLngToCell(40.7128, -74.006, 9)
  assert.equal(isInsideJurisdiction([CENTER, far], [parent7]), false)
  assert.equal(isInsideJurisdiction([CENTER, far], [parent7, cellToParent(far, 4)]), true)
  // An area straddling two res-7 cells needs both.
  const area = areaFromCircle(LAT, LNG, 1500)
  const topics = topicCells(area)
  assert.ok(topics.length > 1)
  assert.equal(isInsideJurisdiction(area, topics.slice(1)), false)
  assert.equal(isInsideJurisdiction(area, topics), true)
  assert.throws(() => isInsideJurisdiction([CENTER], [cellToParent(CENTER, 8)]), { name: 'InvalidCellError' })
  assert.throws(() => isInsideJurisdiction([parent7], [parent5]), { name: 'InvalidCellError' })
})

test('cameraCell and isCameraInArea match a camera by its exact res-9 cell', () => {
  assert.equal(cameraCell(LAT, LNG), CENTER)
  const area = areaFromCircle(LAT, LNG, 300)
  assert.equal(isCameraInArea(LAT, LNG, area), true)
  assert.equal(isCameraInArea(LAT + 0.05, LNG, area), false)
  assert.throws(() => cameraCell(-91, 0), { name: 'InvalidCoordinatesError' })
  assert.throws(() => isCameraInArea(0, Number.POSITIVE_INFINITY, area), { name: 'InvalidCoordinatesError' })
})

test('cells map to uint64 and back (the contracts store uint64)', () => {
  assert.equal(cellToUint64('8928308280fffff'), 0x8928308280fffffn)
  assert.equal(uint64ToCell(0x8928308280fffffn), '8928308280fffff')
  assert.equal(uint64ToCell(cellToUint64(CENTER)), CENTER)
  assert.throws(() => cellToUint64('xyz'), { name: 'InvalidCellError' })
  assert.throws(() => uint64ToCell(1n << 64n), { name: 'InvalidCellError' })
  assert.throws(() => uint64ToCell(5n), { name: 'InvalidCellError' })
})

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { getResolution, gridDisk } from 'h3-js'
import { areaFromCircle, areaKm2, isCameraInArea, isInsideJurisdiction, LIMITS } from '../../../protocol/index.js'
import { demoPlan, demoResidents, demoTown, sampleClipFilter } from '../../../node/demo/index.js'

test('the two jurisdictions are disjoint, adjacent sets of res-7 cells', () => {
  const [north, south] = demoTown().agencies
  for (const cell of [...north.cells, ...south.cells]) assert.equal(getResolution(cell), 7)
  assert.equal(north.cells.filter((c) => south.cells.includes(c)).length, 0)
  assert.ok(north.cells.some((c) => gridDisk(c, 1).some((n) => south.cells.includes(n))), 'they share a border')
  assert.notEqual(north.name, south.name)
})

test('the sample request area is within the limits and inside the first agency\'s jurisdiction only', () => {
  const town = demoTown()
  const area = areaFromCircle(town.incident.lat, town.incident.lng, town.incident.radiusMeters)
  assert.ok(areaKm2(area) <= LIMITS.request.maxAreaKm2)
  assert.equal(isInsideJurisdiction(area, town.agencies[0].cells), true)
  assert.equal(isInsideJurisdiction(area, town.agencies[1].cells), false)
})

test('residents alternate jurisdictions; exactly the first two northern ones are in the area', () => {
  const town = demoTown()
  const area = areaFromCircle(town.incident.lat, town.incident.lng, town.incident.radiusMeters)
  const residents = demoResidents(town, 8)
  assert.deepEqual(residents.map((r) => r.agency), [0, 1, 0, 1, 0, 1, 0, 1])
  assert.deepEqual(residents.map((r) => r.inArea), [true, false, true, false, false, false, false, false])
  for (const r of residents) {
    for (const camera of r.cameras) {
      assert.equal(isCameraInArea(camera.lat, camera.lng, area), r.inArea, `${r.name} ${camera.name}`)
      assert.equal(isInsideJurisdiction(areaFromCircle(camera.lat, camera.lng, 1), town.agencies[r.agency]!.cells), true, `${r.name} is in its jurisdiction`)
    }
  }
  assert.equal(new Set(residents.map((r) => r.name)).size, residents.length)
  assert.equal(new Set(demoResidents(town, 40).map((r) => r.name)).size, 40, 'names stay unique past the street list')
})

test('the plan: two agencies, N residents, one auditor, three witnesses with quorum 2, distinct folders', () => {
  const plan = demoPlan(3)
  assert.deepEqual(plan.nodes.map((n) => n.role), ['agency', 'agency', 'resident', 'resident', 'resident', 'auditor', 'witness', 'witness', 'witness'])
  assert.equal(plan.witnessQuorum, 2)
  assert.equal(new Set(plan.nodes.map((n) => n.slug)).size, plan.nodes.length)
})

test('no two sample clips share a filter graph (a clip id is the hash of its bytes)', () => {
  const filters = Array.from({ length: 64 * 3 }, (_, n) => sampleClipFilter(n))
  assert.equal(new Set(filters).size, filters.length)
})

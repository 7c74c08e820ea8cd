import { test } from 'node:test'
import assert from 'node:assert/strict'
import { areaFromCircle } from '../../../protocol/index.js'
import { cellPositions, fitProjection } from '../../../ui/src/map/geometry.js'

test('the projection fits every cell inside the view and inverts', () => {
  const cells = areaFromCircle(47.6062, -122.3321, 400)
  const positions = cells.flatMap(cellPositions)
  const p = fitProjection(positions, 400, 300, 10)
  for (const pos of positions) {
    const { x, y } = p.toPoint(pos)
    assert.ok(x >= 9.99 && x <= 390.01 && y >= 9.99 && y <= 290.01, `${x},${y}`)
    const back = p.toLatLng({ x, y })
    assert.ok(Math.abs(back.lat - pos.lat) < 1e-9 && Math.abs(back.lng - pos.lng) < 1e-9)
  }
  const north = p.toPoint({ lat: 47.61, lng: -122.3321 }); const south = p.toPoint({ lat: 47.60, lng: -122.3321 })
  assert.ok(north.y < south.y, 'north is up')
})

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToParent, latLngToCell } from 'h3-js'
import { createCity, incidentSite } from '../../../simulations/city.js'
import { createRandom } from '../../../simulations/random.js'

test('the same seed builds the same city; another seed another', () => {
  const a = createCity(createRandom(7), { residents: 200, agencies: 3 })
  const b = createCity(createRandom(7), { residents: 200, agencies: 3 })
  const c = createCity(createRandom(8), { residents: 200, agencies: 3 })
  assert.deepEqual(a, b)
  assert.notDeepEqual(a.residents, c.residents)
})

test('jurisdictions tile the town: every topic cell belongs to exactly one agency', () => {
  const city = createCity(createRandom(1), { residents: 50, agencies: 4 })
  const all = city.agencies.flatMap((a) => a.jurisdiction).sort()
  assert.deepEqual(all, city.topicCells)
  assert.equal(new Set(all).size, all.length)
})

test('residents are unevenly spread and sit in the town; incidents fall in town cells', () => {
  const random = createRandom(3)
  const city = createCity(random, { residents: 1000, agencies: 2 })
  const perTopic = new Map<string, number>()
  for (const r of city.residents) {
    assert.equal(r.topic, cellToParent(latLngToCell(r.lat, r.lng, 9), 7))
    perTopic.set(r.topic, (perTopic.get(r.topic) ?? 0) + 1)
  }
  const counts = [...perTopic.values()].sort((x, y) => x - y)
  // Uneven: the densest cell holds several times the median one.
  assert.ok(counts.at(-1)! >= 3 * counts[Math.floor(counts.length / 2)]!, `counts ${counts.join(',')}`)
  for (let i = 0; i < 20; i++) {
    const site = incidentSite(random, city)
    assert.ok(city.topicCells.includes(cellToParent(latLngToCell(site.lat, site.lng, 9), 7)))
  }
})

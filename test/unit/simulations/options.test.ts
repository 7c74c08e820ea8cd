import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseSimArgs } from '../../../simulations/options.js'
import { plannedEdges } from '../../../simulations/world.js'
import { createCity } from '../../../simulations/city.js'
import { createRandom } from '../../../simulations/random.js'

test('npm run sim defaults: 1,000 nodes, 3 agencies, 20 requests, memory transport, 25 ms, seed 1, simulations/out', () => {
  const o = parseSimArgs([])
  assert.deepEqual(o, { nodes: 1000, agencies: 3, requests: 20, requestIntervalMs: 1000, adversaries: 0, attackRate: 5, offline: 0.1, transport: 'memory', seed: 1, out: 'simulations/out', latencyMs: 25, heartbeatMs: 1000, flood: true })
  assert.equal(parseSimArgs(['--nodes', '60', '--transport', 'tcp', '--offline', '0.1', '--no-flood']).nodes, 60)
})

test('--adversaries M and --attack-rate R are taken as given', () => {
  const o = parseSimArgs(['--adversaries', '6', '--attack-rate', '10'])
  assert.equal(o.adversaries, 6)
  assert.equal(o.attackRate, 10)
  assert.equal(parseSimArgs(['--attack-rate', '0.25']).attackRate, 0.25)
})

test('bad flags are UsageErrors', () => {
  for (const argv of [['--nodes', 'many'], ['--nodes', '1'], ['--transport', 'udp'], ['--offline', '1'], ['--offline', '-0.1'], ['--bogus'], ['--adversaries', '-1'], ['--adversaries', 'two'], ['--attack-rate', '0'], ['--attack-rate', '0.0'], ['--attack-rate', '-1'], ['--attack-rate', '1e3'], ['--attack-rate', '1001'], ['--request-interval', '-5'], ['--request-interval', 'soon']]) {
    assert.throws(() => parseSimArgs(argv), { name: 'UsageError' }, argv.join(' '))
  }
})

test('the rendezvous links every resident to a cell-mate when it has one, with no self-loops or repeats', () => {
  const random = createRandom(7)
  const city = createCity(random, { residents: 120, agencies: 2 })
  const edges = plannedEdges(city, random, 2)
  const keys = edges.map(([a, b]) => `${a},${b}`)
  assert.equal(new Set(keys).size, keys.length)
  for (const [a, b] of edges) assert.ok(a < b)
  city.residents.forEach((r, i) => {
    const mates = city.residents.filter((m, j) => j !== i && m.topic === r.topic).length
    if (mates === 0) return
    assert.ok(edges.some(([a, b]) => (a === i || b === i) && city.residents[a === i ? b : a]!.topic === r.topic), `resident ${i} has no link in its cell`)
  })
})

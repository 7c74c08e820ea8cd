import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRandom } from '../../../simulations/random.js'

test('exponential gaps are non-negative, have the asked mean, and repeat with the seed', () => {
  const draw = (seed: number): number[] => { const r = createRandom(seed); return Array.from({ length: 20_000 }, () => r.exponential(1000)) }
  const gaps = draw(7)
  assert.ok(gaps.every((g) => g >= 0 && Number.isFinite(g)))
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length
  assert.ok(Math.abs(mean - 1000) < 30, `mean ${mean}`)
  // Exponential, not uniform: about 1/e of the gaps exceed the mean.
  const above = gaps.filter((g) => g > 1000).length / gaps.length
  assert.ok(Math.abs(above - Math.exp(-1)) < 0.02, `share above the mean ${above}`)
  assert.deepEqual(draw(7).slice(0, 5), gaps.slice(0, 5))
})

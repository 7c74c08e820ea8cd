// A seeded random source for the simulator: every run is reproducible from `--seed`.
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

export interface Random {
  /** A float in [0, 1). */
  next (): number
  /** An integer in [min, max]. */
  int (min: number, max: number): number
  /** A standard normal deviate (Box–Muller). */
  normal (): number
  /** An exponential deviate with this mean: the gaps between events arriving at random times. */
  exponential (mean: number): number
  pick<T> (items: readonly T[]): T
  /** `k` distinct items, in random order. */
  sample<T> (items: readonly T[], k: number): T[]
}

export function createRandom (seed: number): Random {
  const rng = xoroshiro128plus(seed)
  const int = (min: number, max: number): number => uniformInt(rng, min, max)
  const next = (): number => uniformFloat64(rng)
  return {
    next,
    int,
    normal () {
      const u = Math.max(next(), Number.EPSILON)
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next())
    },
    exponential (mean) {
      return -mean * Math.log(1 - next())
    },
    pick (items) {
      if (items.length === 0) throw new RangeError('pick from an empty list')
      return items[int(0, items.length - 1)]!
    },
    sample (items, k) {
      const copy = [...items]
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i)
        ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
      }
      return copy.slice(0, Math.min(k, copy.length))
    }
  }
}

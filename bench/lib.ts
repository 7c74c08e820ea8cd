// Shared measuring helpers for `npm run bench`. These machines are shared and noisy: every figure is a
// median over several rounds, and every figure is reported beside a baseline measured in the same run.
import { performance } from 'node:perf_hooks'

/** One line of the report: a figure, its baseline from the same run, and the goal it is held to. */
export interface BenchRow {
  section: string
  figure: string
  value: number
  unit: string
  baseline?: { label: string, value: number }
  /** How to read value/baseline: `higher` is better (throughput) or `lower` is better (latency, gas). */
  better?: 'higher' | 'lower'
  goal?: string
  /** Whether the figure meets its goal; omitted when there is no goal. */
  met?: boolean
  note?: string
  /** The run that measured it (set by bench/index.ts: rows kept by `--keep` carry their own). */
  run?: { date: string, loadAverage: { start: number, end: number }, quick: boolean }
}

export interface BenchContext {
  /** Appends one row; the harness prints and saves them. */
  row (row: BenchRow): void
  /** True for `npm run bench -- --quick`: fewer rounds, smaller inputs (for a smoke run). */
  quick: boolean
}

export type Bench = (ctx: BenchContext) => Promise<void>

export function median (xs: number[]): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** The p-th percentile (0..100) by nearest rank. */
export function percentile (xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))
  return s[rank]!
}

/**
 * Operations per second of `fn`, median of `rounds` rounds; each round calls `fn` until at least
 * `minMs` have passed. `fn` returns how many operations it did (default 1).
 */
export async function opsPerSecond (fn: () => unknown, opts: { rounds?: number, minMs?: number } = {}): Promise<number> {
  const rounds = opts.rounds ?? 5
  const minMs = opts.minMs ?? 200
  const rates: number[] = []
  for (let r = 0; r < rounds; r++) {
    let ops = 0
    const start = performance.now()
    let elapsed: number
    do {
      const n = await fn()
      ops += typeof n === 'number' ? n : 1
      elapsed = performance.now() - start
    } while (elapsed < minMs)
    rates.push(ops / (elapsed / 1000))
  }
  return median(rates)
}

/** Median wall time in ms of `rounds` runs of `fn`. */
export async function medianMs (fn: () => unknown, rounds = 5): Promise<number> {
  const times: number[] = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  return median(times)
}

// What a camera's segment index says it recorded inside a window: adjacent segments merge into one run, a
// gap longer than `maxGapMs` splits it (a camera that dropped out). Segment times are unix ms, windows and
// overlaps unix seconds: a run's ends are rounded outwards to whole seconds, then clamped to the window.
import type { Overlap } from './range-source.js'
import type { SegmentRecord } from './segment-source.js'

/** Segments closer than this are one continuous run (ffmpeg's segment boundaries jitter by a frame or two). */
export const MAX_GAP_MS = 2000

/** A continuous run of segments, in order, with its span in unix ms. */
export interface SegmentRun {
  segments: SegmentRecord[]
  start: number
  end: number
}

/** Splits segments (in order) into continuous runs. */
export function segmentRuns (segments: readonly SegmentRecord[], maxGapMs = MAX_GAP_MS): SegmentRun[] {
  const runs: SegmentRun[] = []
  for (const s of [...segments].sort((a, b) => a.start - b.start)) {
    const last = runs.at(-1)
    if (last !== undefined && s.start - last.end <= maxGapMs) {
      last.segments.push(s)
      last.end = Math.max(last.end, s.end)
    } else {
      runs.push({ segments: [s], start: s.start, end: s.end })
    }
  }
  return runs
}

/**
 * One Overlap per run that meets [from, to] (unix s). The size is estimated from the bytes of the run's
 * segments in proportion to the part of each inside the window (constant bitrate within a segment).
 */
export function overlapsOf (camera: string, segments: readonly SegmentRecord[], from: number, to: number, maxGapMs = MAX_GAP_MS): Overlap[] {
  const fromMs = from * 1000
  const toMs = to * 1000
  const out: Overlap[] = []
  for (const run of segmentRuns(segments, maxGapMs)) {
    if (run.end <= fromMs || run.start >= toMs) continue
    const a = Math.max(from, Math.floor(run.start / 1000))
    const b = Math.min(to, Math.ceil(run.end / 1000))
    if (b <= a) continue
    let bytes = 0
    for (const s of run.segments) {
      const inside = Math.min(s.end, toMs) - Math.max(s.start, fromMs)
      if (inside > 0) bytes += s.end > s.start ? s.bytes * inside / (s.end - s.start) : s.bytes
    }
    out.push({ camera, from: a, to: b, duration: b - a, estimatedBytes: Math.round(bytes) })
  }
  return out
}

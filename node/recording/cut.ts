// Cuts a range out of a continuous run of MPEG-TS segments into one MP4, remuxed (`-c copy`: the camera's
// own H.264, and any signed-video metadata in it, unchanged). The start is the keyframe at or before the
// chosen start, read from the first segment's packets, and ffmpeg seeks there as an OUTPUT option: it reads
// the first segment from its start and drops the packets before that keyframe, so the file begins on it,
// with no hidden leading frames and no edit list (an input seek over the concat demuxer lands seconds early
// and hides the extra frames behind an edit list). The end is the chosen end, or the run's. `+faststart`
// puts the index first, so the agency's player can start before the whole file arrived.
import { execFile } from 'node:child_process'
import { rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { CutFailedError, RangeNotRecordedError } from './range-errors.js'
import type { SegmentRecord } from './segment-source.js'

const run = promisify(execFile)

export interface CutInit {
  ffmpeg: string
  ffprobe: string
  /** The recording directory the segments' `file` is relative to. */
  dir: string
  /** One continuous run (overlap.ts), in order. */
  segments: readonly SegmentRecord[]
  /** Unix ms. */
  fromMs: number
  toMs: number
  /** Where the MP4 is written (its directory must exist). */
  out: string
  signal?: AbortSignal
}

export interface CutResult {
  /** Unix ms of the first frame (the keyframe at or before the chosen start). */
  startMs: number
  /** Unix ms of the last frame's end. */
  endMs: number
  bytes: number
  contentType: 'video/mp4'
}

/** Seconds from the first packet to each keyframe of the file's first video stream. */
export async function keyframeTimes (ffprobe: string, file: string, signal?: AbortSignal): Promise<number[]> {
  const { stdout } = await run(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file],
    { maxBuffer: 16 * 1024 * 1024, ...(signal === undefined ? {} : { signal }) })
  const packets = stdout.split('\n').map((l) => l.split(',')).filter((p) => p.length >= 2 && p[0] !== '' && p[0] !== 'N/A')
  const first = Math.min(...packets.map((p) => Number(p[0])))
  return packets.filter((p) => p[1]!.includes('K')).map((p) => Number(p[0]) - first).sort((a, b) => a - b)
}

/** The concat demuxer's list: one quoted absolute path a line (a `'` in a path is closed, escaped, reopened). */
export function concatList (dir: string, segments: readonly SegmentRecord[]): string {
  return segments.map((s) => `file '${join(dir, s.file).replaceAll("'", "'\\''")}'\n`).join('')
}

/** ffmpeg's arguments for the remux: concat `list`, from `keyframe` s for `seconds`, into the MP4 `out`. */
export function remuxArgs (list: string, keyframe: number, seconds: number, out: string): string[] {
  return [
    '-hide_banner', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list,
    '-ss', keyframe.toFixed(3), '-t', seconds.toFixed(3),
    '-map', '0:v:0', '-map', '0:a?', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', out
  ]
}

export async function cutSegments (init: CutInit): Promise<CutResult> {
  const { fromMs, toMs, out, signal } = init
  const segments = init.segments.filter((s) => s.end > fromMs && s.start < toMs)
  const first = segments[0]
  const last = segments.at(-1)
  if (first === undefined || last === undefined || toMs <= fromMs) throw new RangeNotRecordedError({ fromMs, toMs })
  const list = `${out}.concat.txt`
  const opts = { maxBuffer: 16 * 1024 * 1024, ...(signal === undefined ? {} : { signal }) }
  try {
    const offset = Math.max(0, (fromMs - first.start) / 1000)
    // A millisecond of slack: a keyframe at exactly the chosen start is that start, whatever the float says.
    const keyframe = (await keyframeTimes(init.ffprobe, join(init.dir, first.file), signal)).filter((k) => k <= offset + 0.001).at(-1) ?? 0
    const startMs = first.start + Math.round(keyframe * 1000)
    const seconds = (Math.min(toMs, last.end) - startMs) / 1000
    await writeFile(list, concatList(init.dir, segments))
    await run(init.ffmpeg, remuxArgs(list, keyframe, seconds, out), opts)
    const probed = await run(init.ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', out], opts)
    const duration = Number(probed.stdout.trim())
    if (!Number.isFinite(duration) || duration <= 0) throw new Error(`the cut has no duration (${probed.stdout.trim()})`)
    return { startMs, endMs: startMs + Math.round(duration * 1000), bytes: (await stat(out)).size, contentType: 'video/mp4' }
  } catch (err) {
    await rm(out, { force: true })
    if (err instanceof RangeNotRecordedError) throw err
    throw new CutFailedError({ fromMs, toMs, segments: segments.length }, err)
  } finally {
    await rm(list, { force: true })
  }
}

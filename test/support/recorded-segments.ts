// Recordings for tests of matching and cutting, shaped as part A's recorder leaves them: MPEG-TS segments
// made by ffmpeg's segment muxer (`-reset_timestamps 1`) from lavfi's testsrc2, H.264 with a fixed GOP (one
// keyframe a second), and A's SegmentRecords over them. The index is in memory (A's RecordingService keeps
// it in the node's level store, and is a RecordedSegments too: a test may hand in either).
import { execFile } from 'node:child_process'
import { mkdir, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ffmpegPath } from '../../node/recording/segment-source.js'
import type { RecordedSegments, SegmentRecord } from '../../node/recording/segment-source.js'

const run = promisify(execFile)

export const ffmpeg = ffmpegPath({})

export interface MadeSegments {
  /** Seconds of each segment. */
  segmentSeconds: number
  /** Seconds between keyframes. */
  keyframeSeconds: number
  width: number
  height: number
  records: SegmentRecord[]
}

/**
 * Records `seconds` of test pattern for `camera` into `<dir>/<camera>/<prefix>NNN.ts`, the first frame at
 * `startMs` (unix ms); each segment's record spans its share of that time.
 */
export async function makeSegments (dir: string, opts: {
  camera: string
  startMs: number
  seconds: number
  segmentSeconds?: number
  prefix?: string
  width?: number
  height?: number
  fps?: number
  /** A camera-like constant bitrate (e.g. '4M'); absent: x264's default quality. */
  bitrate?: string
}): Promise<MadeSegments> {
  const { camera, startMs, seconds } = opts
  const segmentSeconds = opts.segmentSeconds ?? 10
  const fps = opts.fps ?? 25
  const width = opts.width ?? 640
  const height = opts.height ?? 360
  const prefix = opts.prefix ?? 'seg'
  await mkdir(join(dir, camera), { recursive: true })
  await run(ffmpeg, [
    '-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`, '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    ...(opts.bitrate === undefined ? [] : ['-b:v', opts.bitrate, '-maxrate', opts.bitrate, '-bufsize', opts.bitrate]), '-g', String(fps), '-keyint_min', String(fps), '-sc_threshold', '0',
    '-f', 'segment', '-segment_time', String(segmentSeconds), '-segment_format', 'mpegts', '-reset_timestamps', '1',
    join(dir, camera, `${prefix}%03d.ts`)
  ])
  const files = (await readdir(join(dir, camera))).filter((f) => f.startsWith(prefix) && f.endsWith('.ts')).sort()
  const records: SegmentRecord[] = []
  for (const [i, name] of files.entries()) {
    const start = startMs + i * segmentSeconds * 1000
    const end = Math.min(startMs + seconds * 1000, start + segmentSeconds * 1000)
    records.push({ camera, file: `${camera}/${name}`, start, end, bytes: (await stat(join(dir, camera, name))).size })
  }
  return { segmentSeconds, keyframeSeconds: 1, width, height, records }
}

/** A segment index over records held in memory (A's RecordingService keeps them in the node's level store). */
export class MemorySegmentIndex implements RecordedSegments {
  readonly dir: string
  readonly records: SegmentRecord[] = []

  constructor (dir: string) { this.dir = dir }

  add (...records: SegmentRecord[]): this {
    this.records.push(...records)
    this.records.sort((a, b) => a.start - b.start)
    return this
  }

  async segments (camera: string, fromMs: number, toMs: number): Promise<SegmentRecord[]> {
    return this.records.filter((r) => r.camera === camera && r.end >= fromMs && r.start <= toMs)
  }
}

export interface Probed { codec: string, width: number, height: number, duration: number, firstIsKeyframe: boolean }

/** What ffprobe says of a file's first video stream and its first packet. */
export async function probe (file: string, ffprobe: string): Promise<Probed> {
  const { stdout } = await run(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', file])
  const info = JSON.parse(stdout) as { streams: Array<{ codec_name: string, width: number, height: number }>, format: { duration: string } }
  const packets = await run(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-read_intervals', '%+#1', '-show_entries', 'packet=flags', '-of', 'csv=p=0', file])
  const s = info.streams[0]!
  return { codec: s.codec_name, width: s.width, height: s.height, duration: Number(info.format.duration), firstIsKeyframe: packets.stdout.trim().startsWith('K') }
}

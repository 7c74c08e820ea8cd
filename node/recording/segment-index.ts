// The one place the footage ranges depend on the recording service (part A of issue 17): the shape of a
// segment record, the index reader the local RangeSource uses, and which ffmpeg/ffprobe to run.
// TODO lead (merge of h-a-recording): replace the SegmentRecord copy below with
//   `export type { SegmentRecord } from './types.js'`
// and ffmpegOf/ffprobeOf with A's `ffmpegPath`/`ffprobePath` from './binaries.js'. A's RecordingService
// has `dir` and `segments()` and so is a SegmentIndex as it is.
import ffmpeg from '@ffmpeg-installer/ffmpeg'
import ffprobe from '@ffprobe-installer/ffprobe'
import type { NodeConfig } from '../config/index.js'

/** One closed segment of a camera's continuous recording (times: unix ms, node clock). Copy of A's type. */
export interface SegmentRecord {
  camera: string
  /** The MPEG-TS file, relative to the recording directory, with `/` separators. */
  file: string
  start: number
  end: number
  bytes: number
  clockOffsetMs?: number
}

/** The recording service as the footage ranges read it (A's RecordingService). */
export interface SegmentIndex {
  /** The recording directory, absolute. */
  readonly dir: string
  /** The camera's closed segments overlapping [fromMs, toMs], in order. */
  segments (camera: string, fromMs: number, toMs: number): Promise<SegmentRecord[]>
}

export function ffmpegOf (config: Pick<NodeConfig, 'recording'>): string {
  return config.recording?.ffmpeg ?? ffmpeg.path
}

export function ffprobeOf (config: Pick<NodeConfig, 'recording'>): string {
  return config.recording?.ffprobe ?? ffprobe.path
}

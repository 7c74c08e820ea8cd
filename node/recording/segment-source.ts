// The one place the footage ranges depend on the recording service (part A of issue 17): the segment
// record, what the local RangeSource reads of the recordings, and which ffmpeg/ffprobe to run.
// types.ts and binaries.ts are byte-for-byte copies of part A's files at h-a-recording befb4ed, so the
// merge takes A's. A's RecordingService has `dir` and `segments()` and so is a RecordedSegments as it is.
import type { SegmentRecord } from './types.js'

export type { SegmentRecord }
export { ffmpegPath, ffprobePath } from './binaries.js'

/** The recording service as the footage ranges read it (A's RecordingService). */
export interface RecordedSegments {
  /** The recording directory, absolute. */
  readonly dir: string
  /** The camera's closed segments overlapping [fromMs, toMs], in order. */
  segments (camera: string, fromMs: number, toMs: number): Promise<SegmentRecord[]>
}

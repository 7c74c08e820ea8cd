// What the recording service keeps and reports: one entry per closed segment file, and each recorder's state.
// Segment times are unix MILLISECONDS on the node's clock (request windows and clips are seconds).

/** One closed segment of a camera's continuous recording, as the index holds it. */
export interface SegmentRecord {
  /** The camera's name (config `cameras[].name`). */
  camera: string
  /** The MPEG-TS file, relative to the recording directory (`RecordingService.dir`), with `/` separators. */
  file: string
  /** Unix ms, node clock: when the segment's first frame was recorded. */
  start: number
  /** Unix ms, node clock: when its last frame ended. */
  end: number
  /** The file's size. */
  bytes: number
  /**
   * The camera's clock minus the node's, in ms, where the stream carries wall-clock time (RTCP sender
   * reports); absent where it does not (docs/cameras.md).
   */
  clockOffsetMs?: number
}

export type RecorderState = 'recording' | 'connecting' | 'unreachable' | 'disk-full' | 'stopped'

export interface RecorderStatus {
  state: RecorderState
  /** Unix ms: since when the recorder is in this state ("unreachable since 10:02"). */
  since: number
  /** Unix ms: when the last segment closed. */
  lastSegmentAt?: number
  /** Why it is not recording; the message names the source only redacted (node/cameras/redact.ts). */
  error?: { code: string, message: string }
}

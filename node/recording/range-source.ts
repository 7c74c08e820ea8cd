// What every footage source offers the inbox and consent (docs/cameras.md): which stretches of a request's
// window a camera recorded, a clip cut to a chosen range, and optionally a thumbnail. Local RTSP recordings
// (node/recording/local-range-source.ts) and Frigate (node/cameras/frigate.ts) each implement it, so matching
// and consent never ask what kind of source a camera has. Nothing here sends anything off the node.
import type { Overlap } from '../../protocol/index.js'
import type { Camera } from '../config/schema.js'

// The API sends overlaps as they are (InboxItemView.recordings), so the type is the protocol's.
export type { Overlap }

export interface RangeSource {
  /** What this camera recorded inside [from, to] (unix s): one entry per continuous run (gaps split it). */
  overlaps (camera: Camera, from: number, to: number): Promise<Overlap[]>
  /** Cuts [from, to] into one MP4 file at `out` (remux only, keyframe-aligned start); nothing leaves the node. */
  cut (camera: Camera, from: number, to: number, out: string, signal?: AbortSignal): Promise<{ start: number, end: number, bytes: number, contentType: string }>
  /** A JPEG of the frame nearest `at` (unix s), made locally, or undefined. */
  thumbnail? (camera: Camera, at: number): Promise<Uint8Array | undefined>
}

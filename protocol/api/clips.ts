// A resident's clip as GET/POST /api/clips send it (GET answers a bare list of these).

export interface ClipView {
  /** CIDv1 `raw` sha2-256 of the bytes, base32 (`bafk…`). */
  cid: string
  size: number
  /** The name of one of the node's cameras. */
  camera: string
  /** The span it records, Unix seconds; `start = end` for a snapshot. */
  start: number
  end: number
  /** When the node stored it, Unix seconds. */
  addedAt: number
  contentType: string
}

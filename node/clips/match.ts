// Which of a resident's clips a request asks for (docs/design.md §2 step 4): computed on the resident's node
// from its cameras' exact cells, which never leave it.
import { isCameraInArea } from '../../protocol/geo/index.js'
import type { Request } from '../../protocol/messages/index.js'
import type { Camera } from '../config/index.js'

/** The parts of a request that decide a match. */
export type RequestArea = Pick<Request, 'cells' | 'windowStart' | 'windowEnd'>

/** The parts of a clip that decide a match (a ClipRecord has them). */
export interface ClipSpan {
  camera: string
  start: number
  end: number
}

/**
 * The clips whose camera's res-9 cell is one of the request's cells and whose span overlaps the window
 * [windowStart, windowEnd] (both ends inclusive, so a snapshot at either edge counts), in the given order.
 * A clip of a camera no longer in `cameras` never matches.
 */
export function matchingClips<C extends ClipSpan> (request: RequestArea, cameras: readonly Camera[], clips: readonly C[]): C[] {
  const inArea = new Set(cameras.filter((c) => isCameraInArea(c.lat, c.lng, request.cells)).map((c) => c.name))
  if (inArea.size === 0) return []
  return clips.filter((clip) => inArea.has(clip.camera) && clip.start <= request.windowEnd && clip.end >= request.windowStart)
}

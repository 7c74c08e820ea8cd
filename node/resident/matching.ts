// Private matching (docs/design.md §2 step 4): only this node ever learns whether a request concerns one of its
// cameras. A request matches when a camera's exact res-9 cell is in the area and the clip matcher agrees.
import { cameraCell, topicCells, type Request } from '../../protocol/index.js'
import type { Camera } from '../config/index.js'

/**
 * The clip-window hook: issue 6's clip store answers whether a matching camera holds clips in the request's
 * window. Until then every camera in the area counts (`anyCameraInArea`).
 */
export type ClipMatcher = (request: Request, cameras: readonly Camera[]) => Promise<boolean>

export const anyCameraInArea: ClipMatcher = async (_request, cameras) => cameras.length > 0

/** The cameras whose exact res-9 cell lies in the request's area. */
export function camerasInArea (request: Request, cameras: readonly Camera[]): Camera[] {
  const area = new Set(request.cells)
  return cameras.filter((c) => area.has(cameraCell(c.lat, c.lng)))
}

/** The res-7 cells of the cameras: the request topics a resident joins, all it reveals of its location. */
export function cameraTopicCells (cameras: readonly Camera[]): string[] {
  return topicCells(cameras.map((c) => cameraCell(c.lat, c.lng)))
}

// H3 cell sets (h3-js, Uber's H3 v4). An incident area is a sorted, duplicate-free list of resolution-9
// cells (~0.1 km² each) written as lowercase hex strings; cameras are matched by their own res-9 cell.
import { cellArea, cellToParent, getResolution, isValidCell, latLngToCell } from 'h3-js'
import { InvalidCellError, InvalidCoordinatesError } from './errors.js'

/** The resolution of area cells and camera cells. */
export const AREA_RESOLUTION = 9
/** The resolution of gossip topics (~5 km² per cell). */
export const TOPIC_RESOLUTION = 7

// h3-js also accepts uppercase and short forms; one spelling keeps cell lists canonical and sortable.
const CELL_PATTERN = /^[0-9a-f]{15}$/

/** True when `cell` is a valid H3 cell in canonical string form (any resolution). */
export function isCell (cell: unknown): cell is string {
  return typeof cell === 'string' && CELL_PATTERN.test(cell) && isValidCell(cell)
}

/** Checks one cell and its resolution; `maxResolution` accepts any resolution up to it instead. */
export function assertCell (cell: unknown, resolution: { exact?: number, max?: number } = {}, field = 'cell'): string {
  if (!isCell(cell)) throw new InvalidCellError('not a canonical H3 cell index', { field, value: cell })
  const res = getResolution(cell)
  if (resolution.exact !== undefined && res !== resolution.exact) {
    throw new InvalidCellError(`resolution is ${res}, expected ${resolution.exact}`, { field, value: cell, resolution: res })
  }
  if (resolution.max !== undefined && res > resolution.max) {
    throw new InvalidCellError(`resolution is ${res}, at most ${resolution.max} allowed`, { field, value: cell, resolution: res })
  }
  return cell
}

/** An area from res-9 cells: each validated, then deduplicated and sorted. */
export function areaFromCells (cells: readonly string[]): string[] {
  if (!Array.isArray(cells)) throw new InvalidCellError('cells must be an array')
  cells.forEach((c, i) => assertCell(c, { exact: AREA_RESOLUTION }, `cells[${i}]`))
  return sortedUnique(cells)
}

/** Sorts and deduplicates canonical cell strings (equal length, so string order is numeric order). */
export function sortedUnique (cells: readonly string[]): string[] {
  return [...new Set(cells)].sort()
}

export function assertLatLng (lat: number, lng: number): void {
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) throw new InvalidCoordinatesError('lat', lat)
  if (typeof lng !== 'number' || !Number.isFinite(lng) || lng < -180 || lng > 180) throw new InvalidCoordinatesError('lng', lng)
}

/** The res-9 cell of a camera's exact position. The position itself never leaves the resident's node. */
export function cameraCell (lat: number, lng: number): string {
  assertLatLng(lat, lng)
  return latLngToCell(lat, lng, AREA_RESOLUTION)
}

/** Whether a camera at (lat, lng) lies in an area given as res-9 cells. */
export function isCameraInArea (lat: number, lng: number, cells: readonly string[]): boolean {
  return cells.includes(cameraCell(lat, lng))
}

/** The area of a set of cells in km² (each cell's exact area, duplicates counted once). */
export function areaKm2 (cells: readonly string[]): number {
  let total = 0
  for (const cell of new Set(cells)) {
    if (!isCell(cell)) throw new InvalidCellError('not a canonical H3 cell index', { value: cell })
    total += cellArea(cell, 'km2')
  }
  return total
}

/** The res-7 parents of an area's cells, sorted and unique: the gossip topics a request goes out on. */
export function topicCells (cells: readonly string[]): string[] {
  return sortedUnique(cells.map((c, i) => cellToParent(assertCell(c, { exact: AREA_RESOLUTION }, `cells[${i}]`), TOPIC_RESOLUTION)))
}

const TOPIC_PREFIX = 'porchlight/1/req/'

/** The gossipsub topic of a res-7 cell. */
export function topicName (cell7: string): string {
  assertCell(cell7, { exact: TOPIC_RESOLUTION })
  return `${TOPIC_PREFIX}${cell7}`
}

/** The res-7 cell whose request topic `topic` is, or undefined when it is no such topic (in its one spelling). */
export function topicCell (topic: string): string | undefined {
  if (!topic.startsWith(TOPIC_PREFIX)) return undefined
  const cell = topic.slice(TOPIC_PREFIX.length)
  return isCell(cell) && getResolution(cell) === TOPIC_RESOLUTION ? cell : undefined
}

/**
 * Whether every cell of an area lies inside a jurisdiction given as coarser cells (resolution ≤ 7,
 * mixed resolutions allowed): each area cell's ancestor at some jurisdiction resolution is listed.
 */
export function isInsideJurisdiction (cells: readonly string[], jurisdictionCells: readonly string[]): boolean {
  const jurisdiction = new Set<string>()
  const resolutions = new Set<number>()
  jurisdictionCells.forEach((c, i) => {
    assertCell(c, { max: TOPIC_RESOLUTION }, `jurisdictionCells[${i}]`)
    jurisdiction.add(c)
    resolutions.add(getResolution(c))
  })
  return cells.every((c, i) => {
    const cell = assertCell(c, { exact: AREA_RESOLUTION }, `cells[${i}]`)
    for (const res of resolutions) if (jurisdiction.has(cellToParent(cell, res))) return true
    return false
  })
}

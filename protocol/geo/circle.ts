// An incident area drawn as a center and radius, turned into the res-9 cells whose centers fall inside.
import { cellToLatLng, getHexagonEdgeLengthAvg, greatCircleDistance, gridDisk, latLngToCell } from 'h3-js'
import { AREA_RESOLUTION, assertLatLng, sortedUnique } from './cells.js'
import { InvalidCoordinatesError } from './errors.js'

/** Far larger than any allowed incident area; it only bounds the work a bad input can cause. */
export const MAX_RADIUS_METERS = 5_000

// Neighbouring res-9 centers are ~√3 edge lengths apart, less where H3 distorts; half an edge length
// per ring over-covers the disk everywhere, and the distance filter trims it.
const RING_STEP_METERS = getHexagonEdgeLengthAvg(AREA_RESOLUTION, 'm') / 2

/**
 * The res-9 cells whose centers lie within `radiusMeters` of (lat, lng); at least the center's own cell,
 * so a small radius still names the place. Sorted and unique.
 */
export function areaFromCircle (lat: number, lng: number, radiusMeters: number): string[] {
  assertLatLng(lat, lng)
  if (typeof radiusMeters !== 'number' || !Number.isFinite(radiusMeters) || radiusMeters <= 0 || radiusMeters > MAX_RADIUS_METERS) {
    throw new InvalidCoordinatesError('radiusMeters', radiusMeters)
  }
  const center = latLngToCell(lat, lng, AREA_RESOLUTION)
  const rings = Math.ceil(radiusMeters / RING_STEP_METERS) + 1
  const inside = gridDisk(center, rings).filter((cell) => greatCircleDistance([lat, lng], cellToLatLng(cell), 'm') <= radiusMeters)
  return sortedUnique([center, ...inside])
}

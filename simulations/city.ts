// A synthetic city: a real-sized town's bounding box, residents placed with uneven density (a few dense
// neighborhoods over a sparse background, as real camera ownership is), and agencies whose jurisdictions
// tile the town's res-7 cells in contiguous west-to-east bands.
import { POLYGON_TO_CELLS_FLAGS, cellToLatLng, cellToParent, polygonToCellsExperimental } from 'h3-js'
import { TOPIC_RESOLUTION, cameraCell } from '../protocol/geo/index.js'
import type { Random } from './random.js'

export interface BoundingBox { south: number, west: number, north: number, east: number }

/** Dayton, Ohio: about 14 × 12 km, some 140,000 people. */
export const DEFAULT_BBOX: BoundingBox = { south: 39.70, west: -84.27, north: 39.81, east: -84.10 }

/** `topic`: the res-7 cell the resident's node joins, the parent of its camera's res-9 cell (node/resident/matching.ts). */
export interface SimResident { name: string, lat: number, lng: number, topic: string }
export interface SimAgency { name: string, jurisdiction: string[] }
export interface City {
  bbox: BoundingBox
  /** Every res-7 cell the town touches, sorted. */
  topicCells: string[]
  residents: SimResident[]
  agencies: SimAgency[]
}

export interface CityInit {
  residents: number
  agencies: number
  bbox?: BoundingBox
  /** How many dense neighborhoods; @default 6 */
  neighborhoods?: number
  /** The share of residents in the neighborhoods rather than the background; @default 0.7 */
  clustered?: number
}

function inside (b: BoundingBox, lat: number, lng: number): boolean {
  return lat >= b.south && lat <= b.north && lng >= b.west && lng <= b.east
}

function uniformPoint (random: Random, b: BoundingBox): [number, number] {
  return [b.south + random.next() * (b.north - b.south), b.west + random.next() * (b.east - b.west)]
}

export function createCity (random: Random, init: CityInit): City {
  const bbox = init.bbox ?? DEFAULT_BBOX
  const ring = [[bbox.south, bbox.west], [bbox.south, bbox.east], [bbox.north, bbox.east], [bbox.north, bbox.west]]
  // Every cell the box overlaps, not only those whose center is inside: residents near the edge live there.
  const topicCells = polygonToCellsExperimental(ring, TOPIC_RESOLUTION, POLYGON_TO_CELLS_FLAGS.containmentOverlapping).sort()
  if (init.agencies < 1 || init.agencies > topicCells.length) {
    throw new RangeError(`agencies must be between 1 and ${topicCells.length} for this town`)
  }

  // Neighborhood centers anywhere in town; spread ~0.6–1.5 km (as degrees: ~0.009 per km of latitude).
  const hoods = Array.from({ length: init.neighborhoods ?? 6 }, () => {
    const [lat, lng] = uniformPoint(random, bbox)
    return { lat, lng, spread: 0.0055 + random.next() * 0.008 }
  })
  const clustered = init.clustered ?? 0.7
  const residents: SimResident[] = []
  while (residents.length < init.residents) {
    let lat: number, lng: number
    if (random.next() < clustered) {
      const hood = random.pick(hoods)
      lat = hood.lat + random.normal() * hood.spread
      lng = hood.lng + random.normal() * hood.spread * 1.3
      if (!inside(bbox, lat, lng)) continue
    } else {
      [lat, lng] = uniformPoint(random, bbox)
    }
    residents.push({ name: `resident-${residents.length}`, lat, lng, topic: cellToParent(cameraCell(lat, lng), TOPIC_RESOLUTION) })
  }

  // Jurisdictions: the town's topic cells sorted by longitude, cut into equal contiguous bands.
  const byLng = [...topicCells].sort((a, b) => cellToLatLng(a)[1] - cellToLatLng(b)[1])
  const per = Math.ceil(byLng.length / init.agencies)
  const agencies: SimAgency[] = Array.from({ length: init.agencies }, (_, i) => ({
    name: `agency-${i}`,
    jurisdiction: byLng.slice(i * per, (i + 1) * per).sort()
  })).filter((a) => a.jurisdiction.length > 0)

  return { bbox, topicCells, residents, agencies }
}

/** A random incident site inside the town, near where people live (a resident's position, jittered). */
export function incidentSite (random: Random, city: City): { lat: number, lng: number } {
  const near = random.pick(city.residents)
  for (;;) {
    const lat = near.lat + random.normal() * 0.002
    const lng = near.lng + random.normal() * 0.0026
    if (inside(city.bbox, lat, lng)) return { lat, lng }
  }
}

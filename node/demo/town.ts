// The demo's neighborhood: Boulder, Colorado. The 19 res-7 cells around downtown (two rings) are split by
// latitude into two adjacent jurisdictions, a police department in the north half and a sheriff's office in
// the south half (both made up). The incident of the sample request is in North Boulder; the first two
// northern residents live next to it, the others are spread over the cells of both jurisdictions.
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js'
import { TOPIC_RESOLUTION } from '../../protocol/geo/index.js'
import type { Camera } from '../config/index.js'

export interface LatLng { lat: number, lng: number }

export interface DemoAgencyPlan {
  name: string
  /** Res-7 cells, sorted. */
  cells: string[]
}

export interface DemoResidentPlan {
  name: string
  /** Index into `DemoTown.agencies` of the jurisdiction the cameras are in. */
  agency: number
  /** True when the cameras are inside the sample request's area. */
  inArea: boolean
  cameras: Camera[]
}

export interface DemoTown {
  name: string
  agencies: [DemoAgencyPlan, DemoAgencyPlan]
  /** The sample request's area: a circle around the incident, in the first agency's jurisdiction. */
  incident: LatLng & { radiusMeters: number }
}

const downtown: LatLng = { lat: 40.0150, lng: -105.2705 }
/** In North Boulder, well inside the northern jurisdiction. */
const incident: LatLng = { lat: 40.0300, lng: -105.2720 }
const streets = [
  'Mapleton Ave', 'Arapahoe Ave', 'Pearl St', 'Baseline Rd', 'Spruce St', 'Table Mesa Dr', 'Pine St',
  'Folsom St', 'Alpine Ave', 'Iris Ave', 'Balsam Ave', 'College Ave', 'Grove St', 'Aurora Ave', 'Hawthorn Ave',
  'Marine St'
]
/** About 30 m in latitude: the second camera of a household is across its yard. */
const yard = 0.00027

function centerOf (cell: string): LatLng {
  const [lat, lng] = cellToLatLng(cell)
  return { lat, lng }
}

export function demoTown (): DemoTown {
  const middle = latLngToCell(downtown.lat, downtown.lng, TOPIC_RESOLUTION)
  const middleLat = centerOf(middle).lat
  const cells = gridDisk(middle, 2).sort()
  const north = cells.filter((c) => centerOf(c).lat >= middleLat)
  const south = cells.filter((c) => centerOf(c).lat < middleLat)
  return {
    name: 'Boulder, Colorado',
    agencies: [
      { name: 'Boulder Northside Police (demo)', cells: north },
      { name: 'Boulder Southside Sheriff (demo)', cells: south }
    ],
    incident: { ...incident, radiusMeters: 300 }
  }
}

function household (name: string, at: LatLng): Camera[] {
  return [
    { name: 'porch', lat: at.lat, lng: at.lng },
    { name: 'driveway', lat: at.lat + yard, lng: at.lng }
  ]
}

/**
 * `count` residents alternating between the two jurisdictions (north first). The first two northern ones
 * live at the incident (inside the sample request's area); every other one lives at the center of a cell
 * of its jurisdiction other than the incident's, so it is outside that area.
 */
export function demoResidents (town: DemoTown, count: number): DemoResidentPlan[] {
  const incidentCell = latLngToCell(town.incident.lat, town.incident.lng, TOPIC_RESOLUTION)
  const spread = town.agencies.map((a) => a.cells.filter((c) => c !== incidentCell))
  const seen = [0, 0]
  return Array.from({ length: count }, (_, i) => {
    const agency = i % 2
    const nth = seen[agency]!++
    const inArea = agency === 0 && nth < 2
    const cells = spread[agency]!
    const at = inArea
      ? { lat: town.incident.lat + (nth === 0 ? -yard : yard * 2), lng: town.incident.lng + (nth === 0 ? yard : -yard) }
      : centerOf(cells[Math.floor(i / 2) % cells.length]!)
    const street = streets[i % streets.length]!
    const name = i < streets.length ? `${street} household` : `${street} household ${Math.floor(i / streets.length) + 1}`
    return { name, agency, inArea, cameras: household(name, at) }
  })
}

// H3 cells drawn as SVG polygons in Web Mercator, the projection of every tiled street map, fitted into a
// fixed viewBox: the base map under them (BaseMap.tsx) is told to show exactly `bounds()`, so a street and
// the hexagon it crosses line up. Without a base map it needs no tiles and no network.
import { cellToBoundary, cellToLatLng } from 'h3-js'

export interface Point { x: number, y: number }
export interface LatLng { lat: number, lng: number }

export interface Projection {
  width: number
  height: number
  toPoint: (p: LatLng) => Point
  toLatLng: (p: Point) => LatLng
  /** What the whole viewBox shows: [west, south, east, north]. */
  bounds: () => [number, number, number, number]
}

const RAD = Math.PI / 180
// Mercator's y of a latitude (radians up to a constant scale), and back.
const mercY = (lat: number): number => Math.log(Math.tan(Math.PI / 4 + lat * RAD / 2))
const latOf = (y: number): number => (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / RAD

/** A projection that fits every given position into width×height with `pad` units around. */
export function fitProjection (positions: readonly LatLng[], width = 480, height = 360, pad = 24): Projection {
  const ys = positions.map((p) => mercY(p.lat))
  const xs = positions.map((p) => p.lng * RAD)
  const minY = Math.min(...ys); const maxY = Math.max(...ys)
  const minX = Math.min(...xs); const maxX = Math.max(...xs)
  const spanX = Math.max(maxX - minX, 1e-8)
  const spanY = Math.max(maxY - minY, 1e-8)
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY)
  const cx = (minX + maxX) / 2; const cy = (minY + maxY) / 2
  const toLatLng = ({ x, y }: Point): LatLng => ({ lat: latOf(cy - (y - height / 2) / scale), lng: (cx + (x - width / 2) / scale) / RAD })
  return {
    width,
    height,
    toPoint: ({ lat, lng }) => ({ x: width / 2 + (lng * RAD - cx) * scale, y: height / 2 - (mercY(lat) - cy) * scale }),
    toLatLng,
    bounds: () => {
      const nw = toLatLng({ x: 0, y: 0 }); const se = toLatLng({ x: width, y: height })
      return [nw.lng, se.lat, se.lng, nw.lat]
    }
  }
}

export function cellPositions (cell: string): LatLng[] {
  return cellToBoundary(cell).map(([lat, lng]) => ({ lat, lng }))
}

export function cellCenter (cell: string): LatLng {
  const [lat, lng] = cellToLatLng(cell)
  return { lat, lng }
}

/** The SVG `points` attribute of a cell's hexagon. */
export function cellPoints (cell: string, projection: Projection): string {
  return cellPositions(cell).map((p) => projection.toPoint(p)).map(({ x, y }) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')
}

// H3 cells drawn as SVG polygons: an equirectangular projection scaled by cos(latitude) around the view's
// center (exact enough for a neighbourhood), fitted into a fixed viewBox. No tiles, no network.
import { cellToBoundary, cellToLatLng } from 'h3-js'

export interface Point { x: number, y: number }
export interface LatLng { lat: number, lng: number }

export interface Projection {
  width: number
  height: number
  toPoint: (p: LatLng) => Point
  toLatLng: (p: Point) => LatLng
}

/** A projection that fits every given position into width×height with `pad` units around. */
export function fitProjection (positions: readonly LatLng[], width = 480, height = 360, pad = 24): Projection {
  const lats = positions.map((p) => p.lat)
  const lngs = positions.map((p) => p.lng)
  const minLat = Math.min(...lats); const maxLat = Math.max(...lats)
  const minLng = Math.min(...lngs); const maxLng = Math.max(...lngs)
  const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180)
  const spanX = Math.max((maxLng - minLng) * k, 1e-6)
  const spanY = Math.max(maxLat - minLat, 1e-6)
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY)
  const cx = (minLng + maxLng) / 2; const cy = (minLat + maxLat) / 2
  return {
    width,
    height,
    toPoint: ({ lat, lng }) => ({ x: width / 2 + (lng - cx) * k * scale, y: height / 2 - (lat - cy) * scale }),
    toLatLng: ({ x, y }) => ({ lat: cy - (y - height / 2) / scale, lng: cx + (x - width / 2) / (k * scale) })
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

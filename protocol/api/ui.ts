// GET /api/ui: what the web UI needs to know about its node beyond the node itself: the base map and the
// address search it is configured with, and for an agency the zone and jurisdiction its pages show.

/** The base map under the cells; `none` when none is configured (the cells on a blank background). */
export type MapSourceView =
  | { kind: 'none' }
  | { kind: 'style', url: string }
  /** `layers`: vector tiles' source layers to draw. */
  | { kind: 'tiles', url: string, type: 'raster' | 'vector', attribution?: string, maxZoom?: number, layers?: string[] }
  /** `url` is this node's own (GET /api/map/tiles.pmtiles, byte ranges). */
  | { kind: 'pmtiles', url: string, attribution?: string }

export interface UiSettings {
  map: MapSourceView
  /** A Nominatim-compatible search endpoint; absent: no address search. */
  geocoder?: { url: string, attribution?: string }
  /** Agencies: the IANA zone every time in the agency's pages is shown in. */
  timeZone?: string
  /** Agencies: the jurisdiction on chain (H3 cells, res ≤ 7); empty when the registry has none for it. */
  jurisdiction?: string[]
}

// MapLibre GL, loaded only by a page whose node has a base map configured (it is most of the bundle's
// weight). Its worker is bundled beside it and loaded from the page's own origin, as the page's CSP asks
// (no blob: workers). The style is built from the node's MapSourceView: a style URL as it is; raster
// tiles as one raster layer; vector tiles and PMTiles as neutral lines and fills of their source layers
// (no labels: a label needs glyphs from a server, and the cells carry the page's own labels).
import { Map as MapLibreMap, addProtocol, setWorkerUrl, type StyleSpecification, type LayerSpecification } from 'maplibre-gl'
import { PMTiles, Protocol, TileType } from 'pmtiles'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url'
import 'maplibre-gl/dist/maplibre-gl.css'
import type { MapSourceView } from '../api/types.js'

setWorkerUrl(workerUrl)
const pmtiles = new Protocol()
addProtocol('pmtiles', pmtiles.tile)

const BACKGROUND: LayerSpecification = { id: 'background', type: 'background', paint: { 'background-color': '#f3f1ec' } }

/** Lines and fills for each source layer of a vector source: streets read as lines, blocks and water as fills. */
function vectorLayers (layers: readonly string[]): LayerSpecification[] {
  return layers.flatMap((layer): LayerSpecification[] => [
    { id: `${layer}-fill`, type: 'fill', source: 'base', 'source-layer': layer, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#dcd8cf', 'fill-opacity': 0.6 } },
    { id: `${layer}-line`, type: 'line', source: 'base', 'source-layer': layer, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#9a958a', 'line-width': 1.2 } }
  ])
}

export async function styleOf (source: Exclude<MapSourceView, { kind: 'none' }>): Promise<StyleSpecification | string> {
  if (source.kind === 'style') return source.url
  const attribution = source.attribution === undefined ? {} : { attribution: source.attribution }
  if (source.kind === 'tiles') {
    const maxzoom = source.maxZoom === undefined ? {} : { maxzoom: source.maxZoom }
    return source.type === 'raster'
      ? { version: 8, sources: { base: { type: 'raster', tiles: [source.url], tileSize: 256, ...attribution, ...maxzoom } }, layers: [BACKGROUND, { id: 'base', type: 'raster', source: 'base' }] }
      : { version: 8, sources: { base: { type: 'vector', tiles: [source.url], ...attribution, ...maxzoom } }, layers: [BACKGROUND, ...vectorLayers(source.layers ?? [])] }
  }
  // A PMTiles archive says itself whether it holds images or vector tiles, and which layers.
  const url = new URL(source.url, window.location.href).href
  const archive = new PMTiles(url)
  pmtiles.add(archive)
  const header = await archive.getHeader()
  const src = `pmtiles://${url}`
  if (header.tileType !== TileType.Mvt) {
    return { version: 8, sources: { base: { type: 'raster', url: src, tileSize: 256, ...attribution } }, layers: [BACKGROUND, { id: 'base', type: 'raster', source: 'base' }] }
  }
  const metadata = await archive.getMetadata() as { vector_layers?: Array<{ id: string }> }
  return { version: 8, sources: { base: { type: 'vector', url: src, ...attribution } }, layers: [BACKGROUND, ...vectorLayers((metadata.vector_layers ?? []).map((l) => l.id))] }
}

/** Whether this browser can draw WebGL at all (a headless browser without software GL cannot). */
export function hasWebGl (): boolean {
  const canvas = document.createElement('canvas')
  return (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) !== null
}

/**
 * A still map in `container` showing exactly `bounds` ([west, south, east, north]): the cells above it are
 * the interactive part, so the map takes no input of its own (it would steal the cells' clicks and keys).
 */
export interface OpenedMap {
  fit: (b: [number, number, number, number]) => void
  remove: () => void
  /** Resolves with the style's attributions once the map has drawn. */
  loaded: Promise<string>
}

export async function openMap (container: HTMLElement, source: Exclude<MapSourceView, { kind: 'none' }>, bounds: [number, number, number, number]): Promise<OpenedMap> {
  const map = new MapLibreMap({
    container,
    style: await styleOf(source),
    bounds,
    fitBoundsOptions: { padding: 0, animate: false },
    interactive: false,
    // Its attribution button would be a control inside the hidden map: the figure's caption names the sources instead.
    attributionControl: false,
    renderWorldCopies: false
  })
  const loaded = new Promise<string>((resolve, reject) => {
    map.once('load', () => {
      const sources = Object.values(map.getStyle().sources) as Array<{ attribution?: string }>
      // Attributions may be HTML (`<a href=…>© OpenStreetMap</a>`): the caption shows their text.
      const text = sources.map((s) => s.attribution ?? '').filter((a) => a !== '').map((a) => new DOMParser().parseFromString(a, 'text/html').body.textContent ?? '')
      resolve([...new Set(text)].join(' · '))
    })
    map.once('error', (e) => { reject(e.error instanceof Error ? e.error : new Error('the map failed to load')) })
  })
  let current = bounds
  const fit = (b: [number, number, number, number]): void => { current = b; map.fitBounds(b, { padding: 0, animate: false }) }
  map.on('resize', () => { fit(current) })
  return { fit, remove: () => { map.remove() }, loaded }
}

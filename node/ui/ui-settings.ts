// What the web UI is told about its node beyond the node itself (GET /api/ui): the base map and address
// search from config `ui`, and for an agency its time zone (config `agency.timeZone`, else the machine's)
// and its jurisdiction as the registry holds it, so the composer can mark cells outside it before sending.
// A PMTiles base map is a file on this node's disk, served by byte ranges (routes.ts): nothing leaves it.
import { EventEmitter } from 'node:events'
import { stat } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { getAddress } from 'ethers'
import type { MapSourceView, UiSettings } from '../../protocol/index.js'
import type { ChainService } from '../chain/index.js'
import { InvalidConfigError, agencyAddress, type MapSourceConfig, type NodeConfig } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'

export const PMTILES_ROUTE = '/api/map/tiles.pmtiles'

export type UiSettingsComponents = Pick<NodeComponents, 'config' | 'dir' | 'keys' | 'logger'> & {
  /** An agency's chain: its jurisdiction is read from the registry. */
  chain?: ChainService
}

export interface UiSettingsEvents {
  /** A request for the map file refused (a range outside it): counted in /metrics. */
  'map:refused': [{ code: string }]
}

export interface UiSettingsService extends NodeService, Pick<EventEmitter<UiSettingsEvents>, 'on' | 'off' | 'emit'> {
  settings: () => Promise<UiSettings>
  /** The PMTiles file served at PMTILES_ROUTE, with its size; undefined when none is configured. */
  readonly pmtiles: { path: string, size: number } | undefined
}

/** The machine's IANA zone: the agency's default (a node set to UTC says so: `UTC`). */
export const machineTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone

/** The origins the UI's pages fetch from for the configured base map and geocoder (for their CSP). */
export function uiOrigins (config: Pick<NodeConfig, 'ui'>): string[] {
  const map = config.ui?.map
  const urls = [
    ...(map !== undefined && 'style' in map ? [map.style] : []),
    ...(map !== undefined && 'tiles' in map ? [map.tiles.replace(/\{[zxy]\}/g, '0')] : []),
    ...(config.ui?.geocoder === undefined ? [] : [config.ui.geocoder.url])
  ]
  return [...new Set(urls.map((u) => new URL(u).origin))]
}

function mapView (map: MapSourceConfig | undefined): MapSourceView {
  if (map === undefined) return { kind: 'none' }
  if ('style' in map) return { kind: 'style', url: map.style }
  if ('tiles' in map) return { kind: 'tiles', url: map.tiles, type: map.type, ...(map.attribution === undefined ? {} : { attribution: map.attribution }), ...(map.maxZoom === undefined ? {} : { maxZoom: map.maxZoom }), ...(map.layers === undefined ? {} : { layers: map.layers }) }
  return { kind: 'pmtiles', url: PMTILES_ROUTE, ...(map.attribution === undefined ? {} : { attribution: map.attribution }) }
}

export function uiSettings (): (components: UiSettingsComponents) => UiSettingsService {
  return ({ config, dir, keys, logger, chain }) => {
    const log = logger.child({ component: 'ui-settings' })
    const map = config.ui?.map
    let pmtiles: { path: string, size: number } | undefined
    const agency = config.role === 'agency' && keys.agencyKey !== undefined ? getAddress(agencyAddress(keys.agencyKey)) : undefined
    const events = new EventEmitter<UiSettingsEvents>()
    return {
      on: events.on.bind(events),
      off: events.off.bind(events),
      emit: events.emit.bind(events),
      get pmtiles () { return pmtiles },
      // A configured map file that is not there is the config's mistake: said at start, not as broken tiles.
      start: async () => {
        if (map === undefined || !('pmtiles' in map)) return
        const path = isAbsolute(map.pmtiles) ? map.pmtiles : join(dir ?? process.cwd(), map.pmtiles)
        const st = await stat(path).catch(() => undefined)
        if (st?.isFile() !== true) throw new InvalidConfigError({ field: '/ui/map/pmtiles', reason: 'is not a readable file', value: path })
        pmtiles = { path, size: st.size }
        log.info({ bytes: st.size }, 'ui: serving the base map from a PMTiles file')
      },
      settings: async () => {
        const view: UiSettings = { map: mapView(map), ...(config.ui?.geocoder === undefined ? {} : { geocoder: config.ui.geocoder }) }
        if (config.role !== 'agency') return view
        view.timeZone = config.agency?.timeZone ?? machineTimeZone()
        // The registry may not know the agency yet (not registered, or no chain): an empty jurisdiction,
        // and the composer says so rather than marking every cell outside.
        view.jurisdiction = agency === undefined || chain?.registry === undefined
          ? []
          : await chain.registry.jurisdictionOf(agency).catch((err: unknown) => { log.warn({ err }, 'ui: jurisdiction unknown'); return [] })
        return view
      }
    }
  }
}

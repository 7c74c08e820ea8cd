// The UI's map file (node/ui): ranges refused, by code. Nothing about which tiles were asked (they say where
// a household looks).
import { Counter, type Registry } from 'prom-client'
import type { UiSettingsService } from '../ui/index.js'

export function uiMetrics (registry: Registry, ui: Pick<UiSettingsService, 'on' | 'off'>): () => void {
  const refused = new Counter({
    name: 'porchlight_map_requests_refused_total',
    help: 'Requests for the PMTiles base map refused, by code (RANGE_NOT_SATISFIABLE)',
    labelNames: ['code'] as const,
    registers: [registry]
  })
  const onRefused = ({ code }: { code: string }): void => { refused.inc({ code }) }
  ui.on('map:refused', onRefused)
  return () => { ui.off('map:refused', onRefused) }
}

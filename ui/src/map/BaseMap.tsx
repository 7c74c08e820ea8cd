// The street map under a HexMap: MapLibre GL showing exactly the hexagons' bounds, loaded only when the node
// has a base map configured. Where none is configured, or the browser cannot draw WebGL, the cells stay on
// their blank background and the map says which (data-basemap: none | loading | ready | failed).
import { useEffect, useRef, useState } from 'preact/hooks'
import type { MapSourceView } from '../api/types.js'

export type BaseMapState = 'none' | 'loading' | 'ready' | 'failed'

export function useBaseMap (source: MapSourceView | undefined, bounds: [number, number, number, number] | undefined): { ref: { current: HTMLDivElement | null }, state: BaseMapState, reason?: string, attribution?: string } {
  const ref = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<{ state: BaseMapState, reason?: string, attribution?: string }>({ state: 'none' })
  const map = useRef<{ fit: (b: [number, number, number, number]) => void, remove: () => void } | undefined>(undefined)
  const key = source === undefined || source.kind === 'none' ? undefined : JSON.stringify(source)
  useEffect(() => {
    if (source === undefined || source.kind === 'none' || ref.current === null || bounds === undefined) { setState({ state: 'none' }); return }
    let live = true
    setState({ state: 'loading' })
    const container = ref.current
    void (async () => {
      const lib = await import('./maplibre.js')
      if (!lib.hasWebGl()) throw new Error('this browser cannot draw WebGL')
      const opened = await lib.openMap(container, source, bounds)
      if (!live) { opened.remove(); return }
      map.current = opened
      const attribution = await opened.loaded
      if (live) setState({ state: 'ready', attribution })
    })().catch((err: unknown) => { if (live) setState({ state: 'failed', reason: err instanceof Error ? err.message : String(err) }) })
    return () => { live = false; map.current?.remove(); map.current = undefined }
  }, [key, bounds === undefined])
  useEffect(() => { if (bounds !== undefined) map.current?.fit(bounds) }, [bounds?.join()])
  return { ref, ...state }
}

// The request area drawn as its H3 hexagons (SVG) over the node's street map when one is configured
// (BaseMap.tsx; else a blank background that says so). In view mode it shows the area and, for a resident,
// the resident's own cameras (positions that only this browser receives). In pick mode the agency clicks
// or presses Enter/Space on cells around a center to add or remove them; the agency's jurisdiction is
// outlined and the land outside it greyed, and a chosen cell outside it is marked before anything is sent.
// In place mode a click anywhere on the map gives its latitude and longitude (a resident placing a camera);
// the arrow keys move the placed point by a few metres, for keyboards.
import { useMemo, useRef, useState } from 'preact/hooks'
import { cellsToMultiPolygon, getResolution, gridDisk, uncompactCells } from 'h3-js'
import type { MapSourceView } from '../api/types.js'
import { useBaseMap } from './BaseMap.js'
import { cellCenter, cellPoints, cellPositions, fitProjection, type LatLng, type Projection } from './geometry.js'
import { outsideCells } from './jurisdiction.js'

export interface Marker extends LatLng {
  name: string
  /** Degrees clockwise from north that the camera faces: drawn as a short line. */
  direction?: number
}

export interface HexMapProps {
  /** The selected area (res-9 cells). */
  cells: readonly string[]
  /** Cells that can be picked (pick mode); drawn faintly when not selected. */
  candidates?: readonly string[]
  markers?: readonly Marker[]
  onToggle?: (cell: string) => void
  label: string
  /** Drawn red: the area breaks a limit. */
  invalid?: boolean
  /** Place mode: called with the position clicked (or moved to with the arrow keys from `placed`). */
  onPlace?: (position: LatLng) => void
  /** The position placed so far, drawn as a pin. */
  placed?: LatLng & { direction?: number }
  /** The street map under the cells (GET /api/ui); `none`: a blank background, said so; undefined: blank, unsaid. */
  base?: MapSourceView
  /** The agency's jurisdiction (H3 cells, res ≤ 7): outlined, with what lies outside it greyed. */
  jurisdiction?: readonly string[]
}

/** How far one arrow-key press moves the placed point: ~5 m. */
const STEP = 0.00005

/** The SVG path of the jurisdiction's outline (its cells merged, holes kept). */
function outlinePath (jurisdiction: readonly string[], projection: Projection): string {
  if (jurisdiction.length === 0) return ''
  // cellsToMultiPolygon wants one resolution: the finest one present (≤ 7, so a bounded number of cells).
  const res = Math.max(...jurisdiction.map(getResolution))
  const polygons = cellsToMultiPolygon(uncompactCells([...jurisdiction], res))
  return polygons.flatMap((rings) => rings.map((ring) => 'M' + ring.map(([lat, lng]) => {
    const { x, y } = projection.toPoint({ lat, lng })
    return `${x.toFixed(1)},${y.toFixed(1)}`
  }).join('L') + 'Z')).join(' ')
}

const ARROWS: Record<string, [number, number]> = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] }

/** The nearest cell from `from` in an arrow's direction (within 60° of it), or undefined at the edge. */
function neighbourToward (from: string, key: string, cells: readonly string[], projection: Projection): string | undefined {
  const dir = ARROWS[key]
  if (dir === undefined) return undefined
  const a = projection.toPoint(cellCenter(from))
  let best: { cell: string, d: number } | undefined
  for (const cell of cells) {
    if (cell === from) continue
    const b = projection.toPoint(cellCenter(cell))
    const dx = b.x - a.x; const dy = b.y - a.y
    const d = Math.hypot(dx, dy)
    if ((dx * dir[0] + dy * dir[1]) / d < 0.5) continue
    if (best === undefined || d < best.d) best = { cell, d }
  }
  return best?.cell
}

/** Label rows, so that two cameras side by side ("porch", "driveway") do not write over each other. */
function labelOffsets (points: ReadonlyArray<{ x: number, y: number, name: string }>): number[] {
  const placed: Array<{ x0: number, x1: number, y: number }> = []
  return points.map((p) => {
    const x0 = p.x + 10; const x1 = x0 + 7 * p.name.length
    let dy = 0
    while (placed.some((o) => o.x0 < x1 && x0 < o.x1 && Math.abs(o.y - (p.y + dy)) < 14)) dy += 14
    placed.push({ x0, x1, y: p.y + dy })
    return dy
  })
}

export function HexMap ({ cells, candidates = [], markers = [], onToggle, label, invalid, onPlace, placed, base, jurisdiction }: HexMapProps) {
  const svg = useRef<SVGSVGElement>(null)
  // Pick mode is one tab stop (a roving tabindex): Tab enters the map on one cell, the arrow keys move
  // between cells, Enter or Space toggles; a second Tab leaves the map for the next control.
  const [active, setActive] = useState<string | undefined>()
  const selected = useMemo(() => new Set(cells), [cells])
  // In view mode the neighbouring cells are drawn faintly, so the area is seen in its surroundings.
  const context = useMemo(() => onToggle === undefined ? cells.flatMap((c) => gridDisk(c, 2)) : [], [cells, onToggle])
  const all = useMemo(() => [...new Set([...candidates, ...context, ...cells])], [candidates, context, cells])
  const outside = useMemo(() => new Set(jurisdiction === undefined || jurisdiction.length === 0 ? [] : outsideCells(all, jurisdiction)), [all, jurisdiction])
  const projection = useMemo(() => {
    const positions = [...all.flatMap(cellPositions), ...markers, ...(placed === undefined ? [] : [placed])]
    return positions.length === 0 ? undefined : fitProjection(positions)
  }, [all, markers, placed?.lat, placed?.lng])
  const bounds = useMemo(() => projection?.bounds(), [projection])
  const map = useBaseMap(base, bounds)
  const outline = useMemo(() => projection === undefined || jurisdiction === undefined ? '' : outlinePath(jurisdiction, projection), [projection, jurisdiction])
  if (projection === undefined) return <p class='muted'>No area to draw.</p>
  const focusCell = active !== undefined && all.includes(active) ? active : cells.find((c) => all.includes(c)) ?? all[0]
  const move = (e: KeyboardEvent, from: string): void => {
    const next = neighbourToward(from, e.key, all, projection)
    if (ARROWS[e.key] === undefined) return
    e.preventDefault()
    if (next === undefined) return
    setActive(next)
    svg.current?.querySelector<SVGElement>(`[data-cell="${next}"]`)?.focus()
  }
  // The click's place in the SVG's own units (the figure is scaled to its box), then on the earth.
  const place = (e: MouseEvent): void => {
    const el = svg.current
    const ctm = el?.getScreenCTM()
    if (onPlace === undefined || el === null || ctm === null || ctm === undefined) return
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse())
    onPlace(projection.toLatLng({ x: p.x, y: p.y }))
  }
  const nudge = (e: KeyboardEvent): void => {
    const move = { ArrowUp: [STEP, 0], ArrowDown: [-STEP, 0], ArrowLeft: [0, -STEP], ArrowRight: [0, STEP] }[e.key]
    if (onPlace === undefined || placed === undefined || move === undefined) return
    e.preventDefault()
    onPlace({ lat: placed.lat + move[0]!, lng: placed.lng + move[1]! / Math.cos(placed.lat * Math.PI / 180) })
  }
  const role = onPlace !== undefined ? 'application' : onToggle === undefined ? 'img' : 'group'
  const hint = onToggle === undefined ? '' : ' (Tab reaches the cells; the arrow keys move between them)'
  const points = markers.map((m) => ({ ...projection.toPoint(m), name: m.name }))
  const offsets = labelOffsets(points)
  const { width: w, height: h } = projection
  return (
    <figure class={`hexmap${onPlace === undefined ? '' : ' placing'}`} data-basemap={map.state}>
      <div class='hexmap-frame'>
        {base !== undefined && base.kind !== 'none' && <div class='basemap' ref={map.ref} aria-hidden='true' />}
        {/* `tabindex` in lower case: on an SVG element preact sets attributes, and SVG's are case-sensitive. */}
        <svg ref={svg} viewBox={`0 0 ${w} ${h}`} role={role} aria-label={label + hint}
          {...(onPlace === undefined ? {} : { tabindex: 0, onClick: place, onKeyDown: nudge, 'data-placing': 'true' })}>
          {map.state !== 'ready' && <rect width={w} height={h} class='map-bg' />}
          {outline !== '' && <path class='outside-jurisdiction' fill-rule='evenodd' d={`M0,0H${w}V${h}H0Z ${outline}`} />}
          {outline !== '' && <path class='jurisdiction' d={outline} />}
          {all.map((cell) => {
            const on = selected.has(cell)
            const out = outside.has(cell)
            const cls = `cell ${on ? (invalid === true || out ? 'cell-on cell-invalid' : 'cell-on') : 'cell-off'}${out ? ' cell-outside' : ''}`
            if (onToggle === undefined) return <polygon key={cell} class={cls} points={cellPoints(cell, projection)}><title>{cell}</title></polygon>
            const c = cellCenter(cell)
            return (
              <polygon key={cell} class={`${cls} pickable`} points={cellPoints(cell, projection)} tabindex={cell === focusCell ? 0 : -1} role='checkbox'
                aria-checked={on} aria-label={`cell ${cell} at ${c.lat.toFixed(4)}, ${c.lng.toFixed(4)}${out ? ', outside the jurisdiction' : ''}`} data-cell={cell}
                {...(out ? { 'data-outside': 'true' } : {})}
                onClick={() => { setActive(cell); onToggle(cell) }} onFocus={() => { setActive(cell) }}
                onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onToggle(cell) } else move(e, cell) }} />
            )
          })}
          {markers.map((m, i) => {
            const p = points[i]!
            return (
              <g key={m.name} class='camera' transform={`translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`}>
                {m.direction !== undefined && <line class='camera-direction' x1={0} y1={0} x2={0} y2={-16} transform={`rotate(${m.direction})`} />}
                <circle r={7} /><circle r={2.5} class='camera-dot' />
                <text x={10} y={4 + offsets[i]!}>{m.name}</text>
                <title>your camera “{m.name}”</title>
              </g>
            )
          })}
          {placed !== undefined && (() => {
            const p = projection.toPoint(placed)
            return (
              <g class='placed' transform={`translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`} data-lat={placed.lat.toFixed(6)} data-lng={placed.lng.toFixed(6)}>
                {placed.direction !== undefined && <line class='camera-direction' x1={0} y1={0} x2={0} y2={-20} transform={`rotate(${placed.direction})`} />}
                <circle r={8} /><title>the new place</title>
              </g>
            )
          })()}
        </svg>
      </div>
      <figcaption class='muted'>
        {cells.length} hexagon{cells.length === 1 ? '' : 's'} (H3 resolution 9){markers.length > 0 ? ` · ● your cameras (${markers.map((m) => m.name).join(', ')}), shown only to you` : ''}
        {outline !== '' ? ' · dashed line: the agency\'s jurisdiction, grey outside it' : ''}
        {base !== undefined && <>{' · '}<span class='basemap-state'>{baseWords(map.state, base, map.reason, map.attribution)}</span></>}
      </figcaption>
    </figure>
  )
}

function baseWords (state: ReturnType<typeof useBaseMap>['state'], base: MapSourceView, reason: string | undefined, attribution: string | undefined): string {
  if (base.kind === 'none') return 'no base map configured (config ui.map): cells on a blank background'
  if (state === 'failed') return `the street map could not be drawn (${reason ?? 'unknown'}): cells only`
  if (state === 'loading') return 'loading the street map…'
  return `street map${attribution === undefined || attribution === '' ? '' : ` ${attribution}`}`
}

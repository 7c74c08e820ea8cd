// The request area drawn as its H3 hexagons (SVG, no tiles). In view mode it shows the area and, for a
// resident, the resident's own cameras (positions that only this browser receives). In pick mode the
// agency clicks or presses Enter/Space on cells around a center to add or remove them. In place mode a
// click anywhere on the map gives its latitude and longitude (a resident placing a camera); the arrow keys
// move the placed point by a few metres, for keyboards.
import { useMemo, useRef } from 'preact/hooks'
import { gridDisk } from 'h3-js'
import { cellCenter, cellPoints, cellPositions, fitProjection, type LatLng } from './geometry.js'

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
}

/** How far one arrow-key press moves the placed point: ~5 m. */
const STEP = 0.00005

export function HexMap ({ cells, candidates = [], markers = [], onToggle, label, invalid, onPlace, placed }: HexMapProps) {
  const svg = useRef<SVGSVGElement>(null)
  const selected = useMemo(() => new Set(cells), [cells])
  // In view mode the neighbouring cells are drawn faintly, so the area is seen in its surroundings.
  const context = useMemo(() => onToggle === undefined ? cells.flatMap((c) => gridDisk(c, 2)) : [], [cells, onToggle])
  const all = useMemo(() => [...new Set([...candidates, ...context, ...cells])], [candidates, context, cells])
  const projection = useMemo(() => {
    const positions = [...all.flatMap(cellPositions), ...markers, ...(placed === undefined ? [] : [placed])]
    return positions.length === 0 ? undefined : fitProjection(positions)
  }, [all, markers, placed?.lat, placed?.lng])
  if (projection === undefined) return <p class='muted'>No area to draw.</p>
  // (`tabindex` in lower case: on an SVG element preact sets attributes, and SVG's are case-sensitive.)
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
  return (
    <figure class={`hexmap${onPlace === undefined ? '' : ' placing'}`}>
      <svg ref={svg} viewBox={`0 0 ${projection.width} ${projection.height}`} role={role} aria-label={label}
        {...(onPlace === undefined ? {} : { tabindex: 0, onClick: place, onKeyDown: nudge, 'data-placing': 'true' })}>
        <rect width={projection.width} height={projection.height} class='map-bg' />
        {all.map((cell) => {
          const on = selected.has(cell)
          const cls = `cell ${on ? (invalid === true ? 'cell-on cell-invalid' : 'cell-on') : 'cell-off'}`
          if (onToggle === undefined) return <polygon key={cell} class={cls} points={cellPoints(cell, projection)}><title>{cell}</title></polygon>
          const c = cellCenter(cell)
          return (
            <polygon key={cell} class={`${cls} pickable`} points={cellPoints(cell, projection)} tabIndex={0} role='checkbox'
              aria-checked={on} aria-label={`cell ${cell} at ${c.lat.toFixed(4)}, ${c.lng.toFixed(4)}`} data-cell={cell}
              onClick={() => { onToggle(cell) }}
              onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onToggle(cell) } }} />
          )
        })}
        {markers.map((m) => {
          const p = projection.toPoint(m)
          return (
            <g key={m.name} class='camera' transform={`translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`}>
              {m.direction !== undefined && <line class='camera-direction' x1={0} y1={0} x2={0} y2={-16} transform={`rotate(${m.direction})`} />}
              <circle r={7} /><circle r={2.5} class='camera-dot' />
              <text x={10} y={4}>{m.name}</text>
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
      <figcaption class='muted'>
        {cells.length} hexagon{cells.length === 1 ? '' : 's'} (H3 resolution 9){markers.length > 0 ? ` · ● your cameras (${markers.map((m) => m.name).join(', ')}), shown only to you` : ''}
      </figcaption>
    </figure>
  )
}

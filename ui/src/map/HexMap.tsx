// The request area drawn as its H3 hexagons (SVG, no tiles). In view mode it shows the area and, for a
// resident, the resident's own cameras (positions that only this browser receives). In pick mode the
// agency clicks or presses Enter/Space on cells around a center to add or remove them.
import { useMemo } from 'preact/hooks'
import { gridDisk } from 'h3-js'
import { cellCenter, cellPoints, cellPositions, fitProjection, type LatLng } from './geometry.js'

export interface Marker extends LatLng { name: string }

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
}

export function HexMap ({ cells, candidates = [], markers = [], onToggle, label, invalid }: HexMapProps) {
  const selected = useMemo(() => new Set(cells), [cells])
  // In view mode the neighbouring cells are drawn faintly, so the area is seen in its surroundings.
  const context = useMemo(() => onToggle === undefined ? cells.flatMap((c) => gridDisk(c, 2)) : [], [cells, onToggle])
  const all = useMemo(() => [...new Set([...candidates, ...context, ...cells])], [candidates, context, cells])
  const projection = useMemo(() => {
    const positions = [...all.flatMap(cellPositions), ...markers]
    return positions.length === 0 ? undefined : fitProjection(positions)
  }, [all, markers])
  if (projection === undefined) return <p class='muted'>No area to draw.</p>
  return (
    <figure class='hexmap'>
      <svg viewBox={`0 0 ${projection.width} ${projection.height}`} role={onToggle === undefined ? 'img' : 'group'} aria-label={label}>
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
              <circle r={7} /><circle r={2.5} class='camera-dot' />
              <text x={10} y={4}>{m.name}</text>
              <title>your camera “{m.name}”</title>
            </g>
          )
        })}
      </svg>
      <figcaption class='muted'>
        {cells.length} hexagon{cells.length === 1 ? '' : 's'} (H3 resolution 9){markers.length > 0 ? ` · ● your cameras (${markers.map((m) => m.name).join(', ')}), shown only to you` : ''}
      </figcaption>
    </figure>
  )
}

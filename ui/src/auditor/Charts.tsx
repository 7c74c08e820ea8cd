// Requests, deliveries, accesses, shares and deletions over time, one chart per agency: grouped bars in SVG,
// one bar per series side by side in each day (or month, for a long history), so no series hides another
// (uPlot's lines drew equal counts on top of each other, and its core has no grouped bars). The time axis
// runs from the first to the last day with data, whatever the span; the SVG scales to its box, so it fits a
// phone. The numbers are also a table for screen readers.
import type { AgencyReport } from '../api/types.js'
import { SERIES, bucketsOf, type Bucket } from './status.js'

const W = 600
const H = 220
const PAD = { left: 40, right: 8, top: 12, bottom: 32 }
const MAX_BAR = 28

/** Four or five whole-number ticks from 0 to at least `top`. */
function ticks (top: number): number[] {
  const step = Math.max(1, Math.ceil(top / 4))
  const out: number[] = []
  for (let v = 0; out.at(-1) === undefined || out.at(-1)! < top; v += step) out.push(v)
  return out
}

function Bars ({ buckets, label }: { buckets: Bucket[], label: string }) {
  const top = Math.max(1, ...buckets.flatMap((b) => SERIES.map((s) => b[s.key])))
  const marks = ticks(top)
  const yTop = marks.at(-1)!
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const slot = plotW / buckets.length
  // Bars no wider than MAX_BAR, the group centred in its day: one day of data is not five slabs.
  const bar = Math.min((slot * 0.8) / SERIES.length, MAX_BAR)
  const inset = (slot - bar * SERIES.length) / 2
  const y = (v: number): number => PAD.top + plotH - (v / yTop) * plotH
  const every = Math.ceil(buckets.length / 6)
  return (
    <svg viewBox={`0 0 ${W} ${H}`} class='bars' role='img' aria-label={`Activity of ${label}, ${buckets[0]!.label} to ${buckets.at(-1)!.label}`}
      data-first={buckets[0]!.label} data-last={buckets.at(-1)!.label} data-buckets={buckets.length}>
      {marks.map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} class='grid' />
          <text x={PAD.left - 4} y={y(v) + 4} text-anchor='end' class='tick'>{v}</text>
        </g>
      ))}
      {buckets.map((b, i) => (
        <g key={b.label}>
          {SERIES.map((s, j) => b[s.key] === 0
            ? null
            : <rect key={s.key} class={`bar bar-${s.key}`} data-series={s.key} data-bucket={b.label} data-value={b[s.key]} fill={s.color}
              x={PAD.left + i * slot + inset + j * bar} width={Math.max(1, bar - 0.5)} y={y(b[s.key])} height={Math.max(2, PAD.top + plotH - y(b[s.key]))}><title>{`${b.label}: ${b[s.key]} ${s.label}`}</title></rect>)}
          {i % every === 0 && <text x={PAD.left + (i + 0.5) * slot} y={H - 8} text-anchor='middle' class='tick'>{b.label}</text>}
        </g>
      ))}
      <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} class='axis' />
    </svg>
  )
}

function Chart ({ agency }: { agency: AgencyReport }) {
  const { unit, buckets } = bucketsOf(agency)
  const label = agency.name === '' ? agency.agency : agency.name
  const totals = Object.fromEntries(SERIES.map((s) => [s.key, buckets.reduce((n, b) => n + b[s.key], 0)]))
  return (
    <figure class='chart' data-chart={agency.agency}>
      <figcaption><strong>{label}</strong> <span class='muted'>per {unit}</span></figcaption>
      {buckets.length === 0
        ? <p class='muted'>No activity yet.</p>
        : <Bars buckets={buckets} label={label} />}
      <ul class='legend' aria-label='Series'>
        {SERIES.map((s) => <li key={s.key} data-series={s.key}><span class='swatch' style={{ background: s.color }} aria-hidden='true' />{s.label} {totals[s.key]}</li>)}
      </ul>
      {/* In a box of its own: a table is never narrower than its content, so on its own .sr-only would still widen the page. */}
      <div class='sr-only'><table>
        <caption>Activity of {label} per {unit}</caption>
        <thead><tr><th>{unit}</th>{SERIES.map((s) => <th key={s.key}>{s.label}</th>)}</tr></thead>
        <tbody>{buckets.map((b) => <tr key={b.label}><td>{b.label}</td>{SERIES.map((s) => <td key={s.key}>{b[s.key]}</td>)}</tr>)}</tbody>
      </table></div>
    </figure>
  )
}

export function Charts ({ agencies }: { agencies: AgencyReport[] }) {
  return (
    <section aria-labelledby='charts-h'>
      <h2 id='charts-h'>Activity over time</h2>
      <div class='charts'>{agencies.map((a) => <Chart key={a.agency} agency={a} />)}</div>
    </section>
  )
}

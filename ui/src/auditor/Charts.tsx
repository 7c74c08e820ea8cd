// Requests, deliveries and accesses over time, one uPlot chart per agency (bundled; drawn on a canvas, so
// the numbers are also given as a table for screen readers).
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { AgencyReport } from '../api/types.js'
import { activityOf } from './status.js'

const day = 86400
const colors = { requests: '#2563eb', deliveries: '#059669', accesses: '#d97706' }

function Chart ({ agency }: { agency: AgencyReport }) {
  const ref = useRef<HTMLDivElement>(null)
  const series = activityOf(agency)
  useEffect(() => {
    if (ref.current === null || series.length === 0) return
    const data: uPlot.AlignedData = [series.map((p) => p.at), series.map((p) => p.requests), series.map((p) => p.deliveries), series.map((p) => p.accesses)]
    const first = data[0][0]!
    const last = data[0][data[0].length - 1]!
    const top = Math.max(...data.slice(1).flatMap((ys) => [...ys].map((y) => y ?? 0)))
    const plot = new uPlot({
      width: Math.min(560, ref.current.clientWidth || 560),
      height: 200,
      series: [
        {},
        { label: 'requests', stroke: colors.requests, width: 2 },
        { label: 'deliveries', stroke: colors.deliveries, width: 2 },
        { label: 'accesses', stroke: colors.accesses, width: 2 }
      ],
      // At least the last two weeks on the time axis, and from zero up: uPlot's own range for a single day
      // spans years and its y range hugs the one value.
      scales: {
        x: { time: true, auto: false, range: [Math.min(first, last - 13 * day) - day / 2, last + day / 2] },
        y: { auto: false, range: [0, Math.max(1, Math.ceil(top * 1.2))] }
      },
      axes: [{}, { label: 'per day' }]
    }, data, ref.current)
    return () => { plot.destroy() }
  }, [agency])
  const label = agency.name === '' ? agency.agency : agency.name
  return (
    <figure class='chart' aria-label={`Activity of ${label}`}>
      <figcaption><strong>{label}</strong></figcaption>
      {series.length === 0 ? <p class='muted'>No activity yet.</p> : <div ref={ref} aria-hidden='true' />}
      <table class='sr-only'>
        <caption>Activity of {label}</caption>
        <thead><tr><th>day</th><th>requests</th><th>deliveries</th><th>accesses</th></tr></thead>
        <tbody>{series.map((p) => <tr key={p.at}><td>{p.day}</td><td>{p.requests}</td><td>{p.deliveries}</td><td>{p.accesses}</td></tr>)}</tbody>
      </table>
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

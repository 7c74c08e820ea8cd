// The transparency report: per agency, requests per category and per month, requests withdrawn, shares to
// other agencies (and to anyone else, with a legal basis), and deletions against the retention promised;
// with the report as JSON and CSV files.
import type { AgencyReport, AuditReport } from '../api/types.js'
import { short } from '../components/ui.js'
import { formatTime } from '../components/time.js'
import { transparencyCsv, transparencyJson } from './export.js'
import { SERIES } from './status.js'

/** Hands the browser a file to save. */
export function download (name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => { URL.revokeObjectURL(url) }, 10_000)
}

function AgencyFigures ({ a, names }: { a: AgencyReport, names: ReadonlyMap<string, string> }) {
  const t = a.transparency
  const label = a.name === '' ? a.agency : a.name
  const r = t.retention
  return (
    <article class='figures' data-figures={a.agency} aria-labelledby={`fig-${a.agency}`}>
      <h3 id={`fig-${a.agency}`}>{label} <code class='wrap' title={a.agency}>{short(a.agency)}</code></h3>
      <dl class='tally'>
        <div><dt>Requests</dt><dd data-count='requests'>{a.requests.total}</dd></div>
        <div><dt>Withdrawn</dt><dd data-count='withdrawn'>{t.withdrawn}</dd></div>
        <div><dt>Deleted on time</dt><dd data-count='deletedOnTime'>{r.deletedOnTime}</dd></div>
        <div><dt>Deleted late</dt><dd data-count='deletedLate' class={r.deletedLate > 0 ? 'bad' : ''}>{r.deletedLate}</dd></div>
        <div><dt>Kept past the deadline</dt><dd data-count='overdue' class={r.overdue > 0 ? 'bad' : ''}>{r.overdue}</dd></div>
        <div><dt>Kept, deadline ahead</dt><dd data-count='pending'>{r.pending}</dd></div>
      </dl>
      <h4>Requests per category</h4>
      {Object.keys(t.categories).length === 0
        ? <p class='muted'>No request logged.</p>
        : <table class='table compact' data-table='categories'><thead><tr><th scope='col'>Category</th><th scope='col'>Requests</th></tr></thead>
          <tbody>{Object.entries(t.categories).sort((x, y) => y[1] - x[1]).map(([c, n]) => <tr key={c}><th scope='row'>{c}</th><td>{n}</td></tr>)}</tbody></table>}
      <h4>Per month</h4>
      {Object.keys(t.months).length === 0
        ? <p class='muted'>No activity yet.</p>
        : <div class='scroll'><table class='table compact' data-table='months'>
          <thead><tr><th scope='col'>Month</th>{SERIES.map((s) => <th scope='col' key={s.key}>{s.label}</th>)}</tr></thead>
          <tbody>{Object.entries(t.months).map(([m, v]) => <tr key={m}><th scope='row'>{m}</th>{SERIES.map((s) => <td key={s.key}>{v[s.key]}</td>)}</tr>)}</tbody>
        </table></div>}
      <h4>Shares</h4>
      {t.shares.length === 0
        ? <p class='muted'>No clip shared with anyone.</p>
        : <ul class='plain' data-table='shares'>{t.shares.map((s) => (
          <li key={s.recipient} data-registered={String(s.registered)}>
            {names.has(s.recipient.toLowerCase()) && <>{names.get(s.recipient.toLowerCase())} </>}<code class='wrap'>{s.recipient}</code>: {s.count} {s.count === 1 ? 'share' : 'shares'} <span class='muted'>({s.registered ? 'a registered agency' : 'not a registered agency: a legal basis is logged'})</span>
          </li>))}</ul>}
    </article>
  )
}

export function Report ({ report }: { report: AuditReport }) {
  const stamp = new Date(report.auditedAt * 1000).toISOString().slice(0, 10)
  const names = new Map(report.agencies.filter((a) => a.name !== '').map((a) => [a.agency.toLowerCase(), a.name]))
  return (
    <section aria-labelledby='report-h'>
      <h2 id='report-h'>Transparency report</h2>
      <p class='muted'>From every verified entry of every audited log, as of the pass of {formatTime(report.auditedAt, { zone: undefined })}. Deadlines are the retention each request promised, from each clip's first delivery.</p>
      <div class='actions'>
        <button type='button' onClick={() => { download(`transparency-${stamp}.json`, 'application/json', JSON.stringify(transparencyJson(report), null, 2)) }}>Export JSON</button>
        <button type='button' onClick={() => { download(`transparency-${stamp}.csv`, 'text/csv', transparencyCsv(report)) }}>Export CSV</button>
      </div>
      {report.agencies.map((a) => <AgencyFigures key={a.agency} a={a} names={names} />)}
    </section>
  )
}

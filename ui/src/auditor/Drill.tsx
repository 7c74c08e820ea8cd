// One agency opened: every entry of its log this auditor verified, decoded, filtered by kind, date range,
// request (id or case code) and user, each with what the auditor concluded of it; and one request's history:
// its deliveries, accesses, shares and deletions, and each clip's retention deadline, met or missed.
import { useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import type { AgencyReport, AuditedEntryFilter, AuditedEntryView, ClipRetention } from '../api/types.js'
import { ErrorNote, Loading, fmtBytes, short, useLoad } from '../components/ui.js'
import { formatTime } from '../components/time.js'

const KINDS = ['request', 'withdraw', 'delivery', 'access', 'share', 'delete', 'malformed'] as const
const PAGE = 50

/** What an entry says, in a line. */
function summary (e: AuditedEntryView, names: ReadonlyMap<string, string>): string {
  const entry = e.entry
  if (entry === undefined) return 'does not decode as a log entry'
  switch (entry.kind) {
    case 'request': return `${entry.request.message.title} (${entry.request.message.category}); keeps footage ${entry.request.message.retentionDays} days`
    case 'withdraw': return 'the agency withdrew the request'
    case 'delivery': return `${entry.clips.length} clip${entry.clips.length === 1 ? '' : 's'}, ${fmtBytes(entry.clips.reduce((n, c) => n + c.size, 0))}`
    case 'access': return `clip ${short(entry.clip)} opened: ${entry.purpose}`
    case 'share': {
      const approved = (entry as { approvedBy?: string }).approvedBy
      return `clip ${short(entry.clip)} shared with ${names.get(entry.recipient.toLowerCase()) ?? entry.recipient}${entry.legalBasis === '' ? '' : ` (legal basis: ${entry.legalBasis})`}${approved === undefined ? '' : `, approved by ${approved}`}`
    }
    case 'delete': return `clip ${short(entry.clip)} deleted (${entry.reason})`
  }
}

function EntryItem ({ e, names, onRequest }: { e: AuditedEntryView, names: ReadonlyMap<string, string>, onRequest?: (request: string) => void }) {
  return (
    <li class='entry' data-index={e.index} data-kind={e.kind} data-verified={String(e.verified)}>
      <div class='entry-head'>
        <span class={`pill pill-${e.verified ? 'ok' : 'fail'}`}>{e.verified ? '✓ verified' : '✗ not verified'}</span>
        <strong>#{e.index} {e.kind}</strong>
        <span class='muted'>{e.time === undefined ? 'no time' : formatTime(e.time, { seconds: true })}</span>
        {e.request !== undefined && (onRequest === undefined
          ? <span class='muted'>{e.caseCode ?? short(e.request)}</span>
          : <button type='button' class='link' onClick={() => { onRequest(e.request!) }} aria-label={`History of request ${e.caseCode ?? e.request}`}>{e.caseCode ?? short(e.request)}</button>)}
        {e.users.length > 0 && <span class='muted'>by {e.users.join(', ')}</span>}
      </div>
      <p class='entry-what'>{summary(e, names)}</p>
      {e.findings.length > 0 && <p class='bad'>{e.findings.map((f) => f.rule).join(', ')}: {e.findings[0]!.message}</p>}
      <details><summary>Decoded entry</summary>
        <p class='muted'>Leaf hash <code class='wrap'>{e.leaf}</code> — {e.leafMatches ? 'matches' : 'differs from'} the agency's level-0 tile.</p>
        <pre>{JSON.stringify(e.entry ?? null, null, 2)}</pre>
      </details>
    </li>
  )
}

const utcDay = (v: string, end: boolean): number | undefined => v === '' ? undefined : Date.parse(`${v}T00:00:00Z`) / 1000 + (end ? 86_399 : 0)

function Filters ({ onApply }: { onApply: (f: AuditedEntryFilter) => void }) {
  const [kind, setKind] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [request, setRequest] = useState('')
  const [user, setUser] = useState('')
  const apply = (e: Event): void => {
    e.preventDefault()
    const f: AuditedEntryFilter = {}
    if (kind !== '') f.kind = kind as AuditedEntryFilter['kind'] & string
    const a = utcDay(from, false); const b = utcDay(to, true)
    if (a !== undefined) f.from = a
    if (b !== undefined) f.to = b
    if (request.trim() !== '') f.request = request.trim()
    if (user.trim() !== '') f.user = user.trim()
    onApply(f)
  }
  return (
    <form class='filters' onSubmit={apply} aria-label='Filter entries'>
      <label>Kind <select value={kind} onChange={(e) => { setKind((e.target as HTMLSelectElement).value) }}>
        <option value=''>any</option>{KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
      </select></label>
      <label>From (UTC) <input type='date' value={from} onInput={(e) => { setFrom((e.target as HTMLInputElement).value) }} /></label>
      <label>To (UTC) <input type='date' value={to} onInput={(e) => { setTo((e.target as HTMLInputElement).value) }} /></label>
      <label>Request or case code <input value={request} spellcheck={false} onInput={(e) => { setRequest((e.target as HTMLInputElement).value) }} /></label>
      <label>User <input value={user} spellcheck={false} onInput={(e) => { setUser((e.target as HTMLInputElement).value) }} /></label>
      <button type='submit' class='primary'>Filter</button>
    </form>
  )
}

function RetentionItem ({ c }: { c: ClipRetention }) {
  const label = { met: '✓ deadline met', missed: '✗ deadline missed', pending: '… deadline ahead', unknown: '? no promise logged' }[c.state]
  return (
    <li data-clip={c.clip} data-retention={c.state}>
      <span class={`pill pill-${c.state === 'met' ? 'ok' : c.state === 'missed' ? 'fail' : 'pending'}`}>{label}</span>{' '}
      <code class='wrap' title={c.clip}>{short(c.clip)}</code>
      <span class='muted'> delivered {formatTime(c.deliveredAt)}{c.deadline === undefined ? '' : ` · delete by ${formatTime(c.deadline)}`}{c.deletedAt === undefined ? ' · not deleted' : ` · deleted ${formatTime(c.deletedAt)}`}</span>
    </li>
  )
}

function RequestView ({ api, agency, request, names, onClose }: { api: ApiClient, agency: string, request: string, names: ReadonlyMap<string, string>, onClose: () => void }) {
  const history = useLoad(async () => await api.requestHistory(agency, request), [agency, request])
  const h = history.data
  const count = (kind: string, one: string, many: string): string => {
    const n = h?.entries.filter((e) => e.kind === kind).length ?? 0
    return `${n} ${n === 1 ? one : many}`
  }
  return (
    <section class='request-history' aria-labelledby='history-h' data-request={request}>
      <div class='entry-head'>
        <h3 id='history-h'>Request {h?.caseCode ?? short(request)}</h3>
        <button type='button' onClick={onClose}>Back to all entries</button>
      </div>
      {history.loading && <Loading what="the request's history" />}
      <ErrorNote error={history.error} />
      {h !== undefined && <>
        <p class='muted'>
          <code class='wrap'>{h.request}</code>{h.retentionDays === undefined ? '' : ` · promises to keep footage ${h.retentionDays} days`}{h.withdrawnAt === undefined ? '' : ` · withdrawn ${formatTime(h.withdrawnAt)}`}
        </p>
        <p data-history-counts>{count('delivery', 'delivery', 'deliveries')} · {count('access', 'access', 'accesses')} · {count('share', 'share', 'shares')} · {count('delete', 'deletion', 'deletions')}</p>
        <h4>Retention, per delivered clip</h4>
        {h.clips.length === 0 ? <p class='muted'>Nothing delivered.</p> : <ul class='plain'>{h.clips.map((c) => <RetentionItem key={c.clip} c={c} />)}</ul>}
        <h4>Entries</h4>
        <ul class='entries'>{h.entries.map((e) => <EntryItem key={e.index} e={e} names={names} />)}</ul>
      </>}
    </section>
  )
}

/** `names`: registered agencies' names by lower-case address, to name a share's recipient. */
export function Drill ({ api, agency, names, onClose }: { api: ApiClient, agency: AgencyReport, names: ReadonlyMap<string, string>, onClose: () => void }) {
  const [filter, setFilter] = useState<AuditedEntryFilter>({})
  const [offset, setOffset] = useState(0)
  const [request, setRequest] = useState<string | undefined>()
  const list = useLoad(async () => await api.auditedEntries(agency.agency, { ...filter, offset, limit: PAGE }), [agency.agency, JSON.stringify(filter), offset])
  const l = list.data
  const label = agency.name === '' ? agency.agency : agency.name
  return (
    <section aria-labelledby='drill-h' class='drill' data-drill={agency.agency}>
      <div class='entry-head'>
        <h2 id='drill-h'>{label}</h2>
        <button type='button' onClick={onClose}>All agencies</button>
      </div>
      <p class='muted'><code class='wrap'>{agency.agency}</code> · {agency.status} · {agency.verifiedSize} entries verified</p>
      {request !== undefined
        ? <RequestView api={api} agency={agency.agency} request={request} names={names} onClose={() => { setRequest(undefined) }} />
        : <>
          <Filters onApply={(f) => { setFilter(f); setOffset(0) }} />
          {list.loading && <Loading what='the entries' />}
          <ErrorNote error={list.error} />
          {l !== undefined && <>
            {l.logViolations.length > 0 && <p class='error' role='alert'>The log itself fails ({l.logViolations.join(', ')}): no entry of it is verified.</p>}
            <p class='muted' role='status' data-total={l.total}>{l.total} matching {l.total === 1 ? 'entry' : 'entries'}{l.total > PAGE ? `, ${offset + 1}–${Math.min(l.total, offset + PAGE)} shown` : ''}</p>
            <ul class='entries'>{l.entries.map((e) => <EntryItem key={e.index} e={e} names={names} onRequest={setRequest} />)}</ul>
            {l.total > PAGE && (
              <div class='actions'>
                <button type='button' disabled={offset === 0} onClick={() => { setOffset(Math.max(0, offset - PAGE)) }}>Previous</button>
                <button type='button' disabled={offset + PAGE >= l.total} onClick={() => { setOffset(offset + PAGE) }}>Next</button>
              </div>
            )}
          </>}
        </>}
    </section>
  )
}

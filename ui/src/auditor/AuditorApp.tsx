// The auditor's dashboard: every registered agency with its log size, last anchor and verification status,
// each opened onto its entries and requests; the transparency report; findings with their evidence;
// activity charts; and a page to check one receipt or entry.
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import type { AuditProgress, AuditReport } from '../api/types.js'
import { ErrorNote, Loading, Panel, Progress, Tabs, fmtTime, short, useLoad } from '../components/ui.js'
import { Charts } from './Charts.js'
import { Check } from './Check.js'
import { Drill } from './Drill.js'
import { Report } from './Report.js'
import { agencyStatus } from './status.js'
import { Witnesses } from './Witnesses.js'
import './auditor.css'
import { Pending } from './Pending.js'

const tabs = [
  { id: 'agencies', label: 'Agencies' }, { id: 'report', label: 'Report' }, { id: 'findings', label: 'Findings' },
  { id: 'witnesses', label: 'Witnesses' }, { id: 'council', label: 'Council' }, { id: 'check', label: 'Check evidence' }
]

/** How often "Audit now" asks how far the pass is. */
const PROGRESS_EVERY_MS = 300

export function AuditorApp ({ api }: { api: ApiClient }) {
  const [tab, setTab] = useState('agencies')
  const [opened, setOpened] = useState<string | undefined>()
  const report = useLoad(async () => await api.report(), [], 5000)
  const [auditing, setAuditing] = useState(false)
  const [auditError, setAuditError] = useState<unknown>()
  const [fresh, setFresh] = useState<AuditReport | undefined>()
  const [progress, setProgress] = useState<AuditProgress | undefined>()
  const [done, setDone] = useState<{ progress: AuditProgress | undefined, report: AuditReport } | undefined>()
  // The newer of the polled report and the one an "Audit now" pass returned.
  const r: AuditReport | undefined = fresh !== undefined && (report.data === undefined || fresh.auditedAt >= report.data.auditedAt) ? fresh : report.data
  useEffect(() => {
    if (!auditing) return
    const t = setInterval(() => { api.auditProgress().then(setProgress, () => {}) }, PROGRESS_EVERY_MS)
    return () => { clearInterval(t) }
  }, [auditing])
  const auditNow = (): void => {
    setAuditing(true); setAuditError(undefined); setDone(undefined); setProgress(undefined)
    api.audit().then(async (result) => {
      setFresh(result)
      setDone({ report: result, progress: await api.auditProgress().catch(() => undefined) })
    }, setAuditError).finally(() => { setAuditing(false) })
  }
  const agency = opened === undefined ? undefined : r?.agencies.find((a) => a.agency === opened)
  return (
    <div class='auditor'>
      <div class='audit-bar'>
        <button type='button' onClick={auditNow} disabled={auditing} aria-describedby='audit-error'>{auditing ? 'Auditing every log…' : 'Audit now'}</button>
        <div class='audit-state' role='status' aria-live='polite'>
          {auditing && <AuditRunning progress={progress} />}
          {!auditing && done !== undefined && <AuditDone {...done} />}
        </div>
        <ErrorNote error={auditError} id='audit-error' />
      </div>
      <Tabs tabs={tabs} current={tab} onSelect={(t) => { setTab(t); setOpened(undefined) }} />
      <Panel id={tab}>
        {report.loading && <Loading what='the audit report' />}
        <ErrorNote error={report.error} />
        {r !== undefined && tab === 'agencies' && (agency !== undefined
          ? <Drill api={api} agency={agency} names={new Map(r.agencies.filter((a) => a.name !== '').map((a) => [a.agency.toLowerCase(), `${a.name} (${short(a.agency)})`]))} onClose={() => { setOpened(undefined) }} />
          : <><Agencies report={r} onOpen={setOpened} /><Charts agencies={r.agencies} /></>)}
        {r !== undefined && tab === 'report' && <Report report={r} />}
        {r !== undefined && tab === 'findings' && <Findings report={r} />}
        {r !== undefined && tab === 'witnesses' && <Witnesses report={r.witnesses} />}
        {tab === 'council' && <Pending api={api} />}
        {tab === 'check' && <Check knownAgencies={(r?.agencies ?? []).map((a) => a.agency)} {...(r === undefined ? {} : { chainId: r.chainId, registry: r.registry })} />}
      </Panel>
    </div>
  )
}

function AuditRunning ({ progress: p }: { progress: AuditProgress | undefined }) {
  if (p === undefined || !p.running) return <span class='muted'>Starting the pass: reading the chain…</span>
  return (
    <span class='audit-progress' data-progress={`${p.agenciesDone}/${p.agencies}`}>
      <Progress value={p.agenciesDone} max={Math.max(1, p.agencies)} label={`Agencies audited: ${p.agenciesDone} of ${p.agencies}`} />
      <span class='muted'>{p.agenciesDone} of {p.agencies} agencies{p.agency === undefined ? '' : ` · ${short(p.agency)}: ${p.entriesDone} of ${p.entriesTotal} new entries checked`}</span>
    </span>
  )
}

function AuditDone ({ progress: p, report }: { progress: AuditProgress | undefined, report: AuditReport }) {
  const seconds = p?.startedAt !== undefined && p.finishedAt !== undefined ? p.finishedAt - p.startedAt : undefined
  return (
    <span class={report.violations === 0 ? 'ok' : 'bad'} data-audit-done={report.violations === 0 ? 'clean' : 'violations'}>
      Pass done{seconds === undefined ? '' : ` in ${seconds} s`}: {report.agencies.length} agencies, {p?.entriesVerified ?? 0} new entries verified, {p?.newFindings ?? 0} new finding{p?.newFindings === 1 ? '' : 's'} · {report.violations} violation{report.violations === 1 ? '' : 's'} in all.
    </span>
  )
}

function Agencies ({ report, onOpen }: { report: AuditReport, onOpen: (agency: string) => void }) {
  return (
    <section aria-labelledby='agencies-h'>
      <h2 id='agencies-h'>Registered agencies</h2>
      <p class='muted'>{report.agencies.length} agencies · {report.violations} violation{report.violations === 1 ? '' : 's'} · last pass {fmtTime(report.auditedAt)} (chain {report.chainId}) · {report.pendingCheckpoints} checkpoint{report.pendingCheckpoints === 1 ? '' : 's'} seen in gossip, receipts and at witnesses waiting for the next pass</p>
      <div class='scroll'><table class='table' data-agencies={report.agencies.length}>
        <caption class='sr-only'>Registered agencies and the state of their logs</caption>
        <thead><tr><th scope='col'>Agency</th><th scope='col'>Status</th><th scope='col'>Log size</th><th scope='col'>Last anchor</th><th scope='col'>Requests (30 d)</th><th scope='col'>Verification</th></tr></thead>
        <tbody>{report.agencies.map((a) => {
          const st = agencyStatus(a, report.findings)
          return (
            <tr key={a.agency} data-agency={a.agency} data-verified={String(st.state === 'ok')}>
              <th scope='row'>
                <button type='button' class='link' onClick={() => { onOpen(a.agency) }} aria-label={`Open ${a.name === '' ? a.agency : a.name}: its entries and requests`}>{a.name === '' ? 'unregistered' : a.name}</button>{' '}
                <code title={a.agency}>{short(a.agency)}</code>
              </th>
              <td>{a.status}</td>
              <td>{a.checkpoint?.size ?? '—'}{a.checkpoint !== undefined && a.verifiedSize < a.checkpoint.size ? ` (${a.verifiedSize} checked)` : ''}</td>
              <td>{a.latestAnchor === undefined ? 'never' : `${fmtTime(a.latestAnchor.anchoredAt)} (size ${a.latestAnchor.treeSize})`}</td>
              <td>{a.requests.last30d}</td>
              <td><span class={`pill pill-${st.state === 'ok' ? 'ok' : st.state === 'fail' ? 'fail' : 'pending'}`}>{st.label}</span></td>
            </tr>
          )
        })}</tbody>
      </table></div>
    </section>
  )
}

function Findings ({ report }: { report: AuditReport }) {
  const name = (agency: string): string => report.agencies.find((a) => a.agency.toLowerCase() === agency.toLowerCase())?.name ?? short(agency)
  return (
    <section aria-labelledby='findings-h'>
      <h2 id='findings-h'>Findings</h2>
      {report.findings.length === 0 && <p class='ok' data-findings='0'>No findings: every log checked out.</p>}
      <ul class='findings' data-findings={report.findings.length}>
        {report.findings.map((f, i) => (
          <li key={i} class={`finding sev-${f.severity}`} data-rule={f.rule}>
            <p><span class={`pill pill-${f.severity === 'violation' ? 'fail' : 'pending'}`}>{f.rule}</span> <strong>{name(f.agency)}</strong>{f.entryIndex === undefined ? '' : `, entry ${f.entryIndex}`}: {f.message}</p>
            <p class='muted'>{f.severity} · found {fmtTime(f.foundAt)}</p>
            <details><summary>Evidence</summary><pre>{JSON.stringify(f.evidence, null, 2)}</pre></details>
          </li>
        ))}
      </ul>
    </section>
  )
}

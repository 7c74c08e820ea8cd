// The auditor's dashboard: every registered agency with its log size, last anchor and verification status;
// findings with their evidence; activity charts; and a page to check one receipt or entry.
import { useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import type { AuditReport } from '../api/types.js'
import { ErrorNote, Loading, Panel, Tabs, fmtTime, short, useLoad } from '../components/ui.js'
import { Charts } from './Charts.js'
import { Check } from './Check.js'
import { agencyStatus } from './status.js'
import { Witnesses } from './Witnesses.js'
import { Pending } from './Pending.js'

const tabs = [{ id: 'agencies', label: 'Agencies' }, { id: 'findings', label: 'Findings' }, { id: 'witnesses', label: 'Witnesses' }, { id: 'council', label: 'Council' }, { id: 'check', label: 'Check evidence' }]

export function AuditorApp ({ api }: { api: ApiClient }) {
  const [tab, setTab] = useState('agencies')
  const report = useLoad(async () => await api.report(), [], 5000)
  const [auditing, setAuditing] = useState(false)
  const [auditError, setAuditError] = useState<unknown>()
  const [fresh, setFresh] = useState<AuditReport | undefined>()
  // The newer of the polled report and the one an "Audit now" pass returned.
  const r: AuditReport | undefined = fresh !== undefined && (report.data === undefined || fresh.auditedAt >= report.data.auditedAt) ? fresh : report.data
  const auditNow = (): void => {
    setAuditing(true); setAuditError(undefined)
    api.audit().then(setFresh, setAuditError).finally(() => { setAuditing(false) })
  }
  return (
    <>
      <div class='toolbar'>
        <button type='button' onClick={auditNow} disabled={auditing} aria-describedby='audit-error'>{auditing ? 'Auditing every log…' : 'Audit now'}</button>
        {auditing && <span class='muted' role='status'>Fetching checkpoints, tiles and entries; checking every rule.</span>}
        <ErrorNote error={auditError} id='audit-error' />
      </div>
      <Tabs tabs={tabs} current={tab} onSelect={setTab} />
      <Panel id={tab}>
        {report.loading && <Loading what='the audit report' />}
        <ErrorNote error={report.error} />
        {r !== undefined && tab === 'agencies' && <><Agencies report={r} /><Charts agencies={r.agencies} /></>}
        {r !== undefined && tab === 'findings' && <Findings report={r} />}
        {r !== undefined && tab === 'witnesses' && <Witnesses report={r.witnesses} />}
        {tab === 'council' && <Pending api={api} />}
        {tab === 'check' && <Check knownAgencies={(r?.agencies ?? []).map((a) => a.agency)} {...(r === undefined ? {} : { chainId: r.chainId })} />}
      </Panel>
    </>
  )
}

function Agencies ({ report }: { report: AuditReport }) {
  return (
    <section aria-labelledby='agencies-h'>
      <h2 id='agencies-h'>Registered agencies</h2>
      <p class='muted'>{report.agencies.length} agencies · {report.violations} violation{report.violations === 1 ? '' : 's'} · last pass {fmtTime(report.auditedAt)} (chain {report.chainId}) · {report.pendingCheckpoints} checkpoint{report.pendingCheckpoints === 1 ? '' : 's'} seen in gossip, receipts and at witnesses waiting for the next pass</p>
      <table class='table' data-agencies={report.agencies.length}>
        <caption class='sr-only'>Registered agencies and the state of their logs</caption>
        <thead><tr><th scope='col'>Agency</th><th scope='col'>Status</th><th scope='col'>Log size</th><th scope='col'>Last anchor</th><th scope='col'>Requests (30 d)</th><th scope='col'>Verification</th></tr></thead>
        <tbody>{report.agencies.map((a) => {
          const st = agencyStatus(a, report.findings)
          return (
            <tr key={a.agency} data-agency={a.agency} data-verified={String(st.state === 'ok')}>
              <th scope='row'>{a.name === '' ? 'unregistered' : a.name} <code title={a.agency}>{short(a.agency)}</code></th>
              <td>{a.status}</td>
              <td>{a.checkpoint?.size ?? '—'}{a.checkpoint !== undefined && a.verifiedSize < a.checkpoint.size ? ` (${a.verifiedSize} checked)` : ''}</td>
              <td>{a.latestAnchor === undefined ? 'never' : `${fmtTime(a.latestAnchor.anchoredAt)} (size ${a.latestAnchor.treeSize})`}</td>
              <td>{a.requests.last30d}</td>
              <td><span class={`pill pill-${st.state === 'ok' ? 'ok' : st.state === 'fail' ? 'fail' : 'pending'}`}>{st.label}</span></td>
            </tr>
          )
        })}</tbody>
      </table>
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

// What the resident has shared: each consent's delivery progress (live) and its receipt's status —
// "logged" once the agency's signed receipt proves the delivery entry is in its log, "publicly anchored"
// once a root covering it is on chain.
import { useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import { useLive } from '../api/live.js'
import type { ShareRow } from '../api/types.js'
import { ErrorNote, Loading, Progress, fmtBytes, fmtTime, short, useLoad } from '../components/ui.js'
import { checkEvidenceValue } from '../verify/evidence.js'

export function receiptStatus (share: ShareRow): { label: string, state: 'ok' | 'pending' | 'fail' } {
  if (share.error !== undefined) return { label: `failed: ${share.error.message}`, state: 'fail' }
  if (share.anchored) return { label: 'publicly anchored', state: 'ok' }
  if (share.receipt !== undefined || share.status === 'logged') return { label: 'logged', state: 'ok' }
  return { label: share.status === 'delivering' || share.progress !== undefined ? 'delivering' : share.status, state: 'pending' }
}

/** The receipt checked here: the agency-signed checkpoint and the proof that the delivery entry is under it. */
function ReceiptCheck ({ share }: { share: ShareRow }) {
  if (share.receipt === undefined || share.entry === undefined) return null
  const result = checkEvidenceValue({ receipt: share.receipt, entry: share.entry })
  const failed = result.steps.filter((s) => !s.ok)
  return result.ok
    ? <span class='muted' data-receipt-check='ok' title={result.steps.map((s) => `${s.label}: ${s.detail}`).join('\n')}> ✓ proof checked in this browser</span>
    : <span class='error' data-receipt-check='fail'> ✗ {failed.map((s) => `${s.label}: ${s.detail}`).join('; ')}</span>
}

export function Shares ({ api, version }: { api: ApiClient, version: number }) {
  const shares = useLoad(async () => await api.shares(), [version])
  const inbox = useLoad(async () => await api.inbox(), [version])
  // A state change or a receipt anchored: the list read again. Progress moves the bar in place (a few times a
  // second while sending) without a read; a share that starts again (a retry) or stops drops its bar.
  const [progress, setProgress] = useState<ReadonlyMap<string, { sent: number, total: number }>>(new Map())
  useLive(['share', 'receipt'], (e) => {
    if (e?.type === 'share' && e.data.state !== 'sending' && e.data.state !== 'delivered') setProgress((m) => { const n = new Map(m); n.delete(e.data.id); return n })
    shares.reload()
  })
  useLive(['progress'], (e) => { if (e !== undefined) setProgress((m) => new Map(m).set(e.data.id, { sent: e.data.sent, total: e.data.total })) })
  const titles = new Map((inbox.data ?? []).map((i) => [i.id, `${i.title} (case ${i.caseCode})`]))
  // The share names the agency by address; the inbox item has the name its registry entry gives.
  const agencyNames = new Map((inbox.data ?? []).map((i) => [i.id, i.agencyName]))
  return (
    <section aria-labelledby='shares-h'>
      <h2 id='shares-h'>Shares</h2>
      <p class='muted'>Every clip you shared, to whom, and what the agency's public log says about it.</p>
      {shares.loading && <Loading what='shares' />}
      <ErrorNote error={shares.error} />
      {shares.data !== undefined && shares.data.length === 0 && <p class='muted'>You have not shared anything.</p>}
      <table class='table'>
        <caption class='sr-only'>Shares and their receipts</caption>
        <thead><tr><th scope='col'>Request</th><th scope='col'>Agency</th><th scope='col'>Clips</th><th scope='col'>When</th><th scope='col'>Receipt</th></tr></thead>
        <tbody>
          {(shares.data ?? []).map((row) => {
            const live = progress.get(row.consent)
            const s = live === undefined || row.receipt !== undefined ? row : { ...row, progress: live }
            const st = receiptStatus(s)
            const total = s.clips.reduce((n, c) => n + c.size, 0)
            return (
              <tr key={s.consent} data-request={s.request}>
                <td>{titles.get(s.request) ?? <code>{short(s.request)}</code>}</td>
                <td>{agencyNames.get(s.request) ?? short(s.agency)}</td>
                <td>{s.clips.length} ({fmtBytes(total)})</td>
                <td>{fmtTime(s.at)}</td>
                <td>
                  <span class={`pill pill-${st.state}`} data-receipt={st.label}>{st.label}</span>
                  {s.progress !== undefined && s.receipt === undefined && <Progress value={s.progress.sent} max={s.progress.total} label='sent' />}
                  {s.receipt !== undefined && <span class='muted'> entry {s.receipt.message.logIndex}</span>}
                  <ReceiptCheck share={s} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}

// What the resident has shared: each consent's delivery (live), its receipt's status — "logged" once the
// agency's signed receipt proves the delivery entry is in its log, "publicly anchored" once a root covering
// it is on chain — and what the resident can still do: withdraw before delivery, retry after a failure, ask
// the agency to delete, export the receipt as a file. "What happened to my footage" reads what the agency
// logged about the clips since (accesses, shares, deletions), checks every entry in this browser, and counts
// down to the deadline by which the request promised the footage is deleted.
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import { useLive } from '../api/live.js'
import type { ShareAction, ShareRow } from '../api/types.js'
import { Confirm, ErrorNote, Loading, Progress, fmtBytes, short, useLoad } from '../components/ui.js'
import { formatTime } from '../components/time.js'
import { checkEvidenceValue } from '../verify/evidence.js'
import { checkShareHistory } from '../verify/share-history.js'
import type { ReceiptFile } from '../../../protocol/index.js'
import { countdown, shareStateWords } from './share-state.js'

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

const actionLabel: Record<ShareAction, string> = { withdraw: 'Withdraw', retry: 'Retry', 'delete-request': 'Ask the agency to delete' }

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
  const [asking, setAsking] = useState<{ share: ShareRow, action: ShareAction } | undefined>()
  const [busy, setBusy] = useState(false)
  const [actionError, setActionError] = useState<{ share: string, error: unknown } | undefined>()
  const [opened, setOpened] = useState<string | undefined>()

  async function run (share: ShareRow, action: ShareAction): Promise<void> {
    setBusy(true); setActionError(undefined)
    try {
      if (action === 'withdraw') await api.withdrawShare(share.consent)
      else if (action === 'retry') await api.retryShare(share.consent)
      else await api.deleteRequest(share.consent)
      shares.reload()
    } catch (error) {
      setActionError({ share: share.consent, error })
    } finally {
      setBusy(false); setAsking(undefined)
    }
  }

  return (
    <section aria-labelledby='shares-h'>
      <h2 id='shares-h'>Shares</h2>
      <p class='muted'>Every clip you shared, to whom, and what the agency's public log says about it.</p>
      {shares.loading && <Loading what='shares' />}
      <ErrorNote error={shares.error} />
      {shares.data !== undefined && shares.data.length === 0 && <p class='muted'>You have not shared anything.</p>}
      <table class='table shares'>
        <caption class='sr-only'>Shares and their receipts</caption>
        <thead><tr><th scope='col'>Request</th><th scope='col'>Agency</th><th scope='col'>Clips</th><th scope='col'>When</th><th scope='col'>State</th><th scope='col'>Receipt</th><th scope='col'>Actions</th></tr></thead>
        <tbody>
          {(shares.data ?? []).map((row) => {
            const live = progress.get(row.consent)
            const s = live === undefined || row.receipt !== undefined ? row : { ...row, progress: live }
            const st = receiptStatus(s)
            const state = shareStateWords(s)
            const total = s.clips.reduce((n, c) => n + c.size, 0)
            const agency = agencyNames.get(s.request) ?? short(s.agency)
            return [
              <tr key={s.consent} data-request={s.request} data-share={s.consent}>
                <td data-label='Request'>{titles.get(s.request) ?? <code>{short(s.request)}</code>}</td>
                <td data-label='Agency'>{agency}</td>
                <td data-label='Clips'>{s.clips.length} ({fmtBytes(total)})</td>
                <td data-label='When'>{formatTime(s.at)}</td>
                <td data-label='State'><span class={`pill pill-${state.state}`} data-share-state={state.key}>{state.label}</span></td>
                <td data-label='Receipt'>
                  <span class={`pill pill-${st.state}`} data-receipt={st.label}>{st.label}</span>
                  {s.progress !== undefined && s.receipt === undefined && <Progress value={s.progress.sent} max={s.progress.total} label='sent' />}
                  {s.receipt !== undefined && <span class='muted'> entry {s.receipt.message.logIndex}</span>}
                  <ReceiptCheck share={s} />
                </td>
                <td data-label='Actions'><div class='actions share-actions'>
                  {s.actions.map((a) => (
                    <button type='button' key={a} disabled={busy} onClick={() => { setAsking({ share: s, action: a }) }}>{actionLabel[a]}</button>
                  ))}
                  {s.receipt !== undefined && <ExportReceipt api={api} share={s} />}
                  {s.state === 'delivered' && (
                    <button type='button' aria-expanded={opened === s.consent} aria-controls={`history-${s.consent}`}
                      onClick={() => { setOpened(opened === s.consent ? undefined : s.consent) }}>What happened to my footage</button>
                  )}
                </div>
                {actionError?.share === s.consent && <ErrorNote error={actionError.error} />}
                </td>
              </tr>,
              opened === s.consent && (
                <tr key={`${s.consent}-history`} class='history-row'>
                  <td colSpan={7} id={`history-${s.consent}`}><History api={api} share={s} agency={agency} /></td>
                </tr>
              )
            ]
          })}
        </tbody>
      </table>
      {asking !== undefined && (
        <Confirm title={confirmTitle[asking.action]} confirmLabel={actionLabel[asking.action]} busy={busy}
          onCancel={() => { setAsking(undefined) }} onConfirm={() => { void run(asking.share, asking.action) }}>
          <p>{confirmText(asking.action, agencyNames.get(asking.share.request) ?? asking.share.agency, asking.share.clips.length)}</p>
        </Confirm>
      )}
    </section>
  )
}

const confirmTitle: Record<ShareAction, string> = {
  withdraw: 'Withdraw this share?',
  retry: 'Deliver this share again?',
  'delete-request': 'Ask the agency to delete this footage?'
}

function confirmText (action: ShareAction, agency: string, clips: number): string {
  const these = `${clips} clip${clips === 1 ? '' : 's'}`
  if (action === 'withdraw') return `The delivery of ${these} stops now. ${agency} keeps nothing of it and nothing is logged as delivered.`
  if (action === 'retry') return `The ${these} are sent to ${agency} again, from the first byte, under the same consent.`
  return `Your node signs a deletion request for the ${these} with this share's one-time key and sends it to ${agency}, which deletes them and records each deletion in its public log. The share then shows when the agency deleted them.`
}

/** The receipt as a file (ReceiptFile): what an auditor's "Check evidence" takes. */
function ExportReceipt ({ api, share }: { api: ApiClient, share: ShareRow }) {
  const [error, setError] = useState<unknown>()
  async function save (): Promise<void> {
    setError(undefined)
    try {
      if (share.view.receipt === undefined || share.view.entry === undefined) throw new Error('the share has no receipt yet')
      // The EIP-712 domain the request was verified under names the chain and the registry.
      const { domain } = (await api.inboxItem(share.request)).eip712
      const file: ReceiptFile = { format: 'porchlight-receipt/1', receipt: share.view.receipt, entry: share.view.entry, chainId: Number(domain.chainId), registry: String(domain.verifyingContract) }
      const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2) + '\n'], { type: 'application/json' }))
      const a = document.createElement('a')
      a.href = url
      a.download = `porchlight-receipt-${share.caseCode.replace(/[^A-Za-z0-9._-]/g, '_')}-${share.consent.slice(-8)}.json`
      document.body.append(a)
      a.click()
      a.remove()
      setTimeout(() => { URL.revokeObjectURL(url) }, 10_000)
    } catch (err) { setError(err) }
  }
  return <><button type='button' onClick={() => { void save() }}>Export receipt</button><ErrorNote error={error} /></>
}

/** Ticks every second while mounted: a countdown's clock. */
function useNow (): number {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000))
  useEffect(() => { const t = setInterval(() => { setNow(Math.floor(Date.now() / 1000)) }, 1000); return () => { clearInterval(t) } }, [])
  return now
}

const entryWords = (e: NonNullable<ReturnType<typeof checkShareHistory>['rows'][number]['entry']>): string => {
  const actor = (e as { actor?: string }).actor
  if (e.kind === 'access') return `opened by ${actor ?? 'someone at the agency'} — purpose: ${e.purpose}`
  if (e.kind === 'share') return `shared with ${e.recipient}${e.legalBasis === '' ? '' : ` — legal basis: ${e.legalBasis}`}${actor === undefined ? '' : ` (by ${actor})`}`
  return `deleted — ${e.reason === 'resident-request' ? 'at your request' : e.reason === 'retention' ? 'its retention period ended' : e.reason}${actor === undefined ? '' : ` (by ${actor})`}`
}

function History ({ api, share, agency }: { api: ApiClient, share: ShareRow, agency: string }) {
  const history = useLoad(async () => await api.shareHistory(share.consent), [share.consent, share.deletion?.deletedAt])
  const now = useNow()
  const deliveredAt = share.entry?.at
  const deadline = deliveredAt === undefined ? undefined : deliveredAt + share.retentionDays * 86_400
  const checked = history.data === undefined ? undefined : checkShareHistory(history.data, share.agency)
  return (
    <div class='share-history' data-history={share.consent}>
      <h3>What happened to my footage</h3>
      {deadline !== undefined && (
        <p data-retention-deadline={deadline}>
          {share.deletion?.deletedAt !== undefined
            ? <>Deleted by {agency} at {formatTime(share.deletion.deletedAt, { seconds: true })}; the request promised deletion by {formatTime(deadline)}{share.deletion.deletedAt <= deadline ? ' — kept.' : ' — late.'}</>
            : <>{agency} must delete it by <strong>{formatTime(deadline)}</strong> ({share.retentionDays} days after delivery): <span data-countdown>{deadline > now ? `${countdown(deadline - now)} left` : `${countdown(now - deadline)} overdue`}</span>.</>}
        </p>
      )}
      {history.loading && <Loading what={`${agency}'s public log`} />}
      <ErrorNote error={history.error} />
      {checked !== undefined && checked.problem !== undefined && <p class='error' data-history-check='fail'>{checked.problem}</p>}
      {checked !== undefined && checked.problem === undefined && (
        <>
          {checked.rows.length === 0
            ? <p class='muted' data-history-empty>Nothing logged about these clips since delivery: no one at {agency} opened, shared or deleted them.</p>
            : (
              <ol class='history-entries'>
                {checked.rows.map((r) => (
                  <li key={r.index} data-entry-kind={r.entry?.kind} data-entry-check={r.ok ? 'ok' : 'fail'}>
                    {r.entry !== undefined && <>{formatTime(r.entry.at, { seconds: true })}: clip <code>{short(r.entry.clip, 6)}</code> {entryWords(r.entry)}</>}
                    {r.ok ? <span class='muted'> ✓ entry {r.index}, checked in this browser</span> : <span class='error'> ✗ entry {r.index}: {r.problem}</span>}
                  </li>
                ))}
              </ol>)}
          <p class='muted'>Read from {agency}'s public log, entries {history.data!.from}–{history.data!.to - 1}{history.data!.complete ? '' : ' (the newest only)'}; every entry's inclusion proof checked here against the checkpoint {agency} signed.</p>
        </>
      )}
    </div>
  )
}

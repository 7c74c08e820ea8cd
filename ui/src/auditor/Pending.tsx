// The council's changes during their notice period: every registration, jurisdiction change, reinstatement
// and witness-set change scheduled on the council's timelock and not yet executed, with when it may take
// effect. This is the public notice issue 21 asks for: anyone reading an auditor sees a new requester coming.
import type { ApiClient } from '../api/client.js'
import type { PendingChangesView } from '../../../protocol/api/council.js'
import { ErrorNote, Loading, short, useLoad } from '../components/ui.js'
import { formatDuration, formatTime } from '../components/time.js'

function describe (change: PendingChangesView['changes'][number]): string {
  const { method, args } = change.action
  const cells = Array.isArray(args.cells) ? ` · ${args.cells.length} cells` : ''
  if (method === 'register') return `Register ${String(args.name)} (${String(args.agency)})${cells}`
  if (method === 'update') return `Change ${String(args.name)} (${String(args.agency)})${cells}`
  if (method === 'reinstate') return `Reinstate ${String(args.agency)}`
  if (method === 'addWitness') return `Add witness ${String(args.name)}`
  if (method === 'removeWitness') return `Remove witness ${String(args.name)}`
  if (method === 'updateWitness') return `Change how witness ${String(args.name)} is reached`
  if (method === 'setQuorum') return `Set the witness quorum to ${String(args.quorum_ ?? args.quorum)}`
  return `${change.action.contract}.${method}`
}

export function Pending ({ api }: { api: ApiClient }) {
  const view = useLoad(async () => {
    const res = await fetch(`${api.credentials.base}/api/council/pending`)
    if (!res.ok) throw new Error(`the auditor answered ${res.status}`)
    return await res.json() as PendingChangesView
  }, [], 15000)
  if (view.error !== undefined) return <ErrorNote error={view.error} />
  const v = view.data
  if (v === undefined) return <Loading what='pending council changes' />
  if (v.timelock === null) return <p class='muted'>This chain's registry has no council timelock: changes take effect at once.</p>
  return (
    <section aria-labelledby='pending-h'>
      <h2 id='pending-h'>Pending council changes</h2>
      <p class='muted'>Each waits a notice period of {formatDuration(v.noticeSeconds ?? 0)} before the council may execute it.</p>
      {v.changes.length === 0
        ? <p data-pending={0}>Nothing is pending.</p>
        : (
          <ul class='findings' data-pending={v.changes.length}>
            {v.changes.map((c) => (
              <li key={c.id} data-change={c.action.method}>
                <strong>{describe(c)}</strong>
                <span class='muted'> · {c.readyAt <= v.chainTime ? 'may be executed now' : `from ${formatTime(c.readyAt, { zone: undefined })}`} · <code title={c.scheduledTx}>{short(c.scheduledTx)}</code></span>
              </li>
            ))}
          </ul>
          )}
    </section>
  )
}

// The agency's own public log, read as an outsider reads it (checkpoint and entry tiles, checked in this
// browser), with the latest anchor on chain.
import type { ApiClient } from '../api/client.js'
import { ErrorNote, Loading, short, useLoad } from '../components/ui.js'
import { useTimeZone } from '../components/ui-settings.js'
import { formatTime } from '../components/time.js'
import { entryContexts } from './log-context.js'
import { useLive } from '../api/live.js'
import { readLog } from '../verify/log-reader.js'
import { toHex, type LogEntry } from '../../../protocol/index.js'

function describe (e: LogEntry): string {
  switch (e.kind) {
    case 'request': return `request “${e.request.message.title}” (case ${e.request.message.caseCode})`
    case 'withdraw': return `withdrawal of ${short(e.withdrawal.message.request)}`
    case 'delivery': return `delivery of ${e.clips.length} clip${e.clips.length === 1 ? '' : 's'} for ${short(e.request)}`
    case 'access': return `access to ${short(e.clip)} by ${e.actor}: ${e.purpose}`
    case 'share': return `share of ${short(e.clip)} with ${e.recipient}`
    case 'delete': return `deletion of ${short(e.clip)} (${e.reason})`
  }
}

export function Log ({ api, agency }: { api: ApiClient, agency: string }) {
  const log = useLoad(async () => await readLog(api, agency), [agency])
  const anchors = useLoad(async () => await api.anchors(), [])
  const zone = useTimeZone(api)
  // A checkpoint issued (new entries) or an anchor recorded.
  useLive(['log'], () => { log.reload(); anchors.reload() })
  const latest = anchors.data?.at(-1)
  const contexts = entryContexts(log.data?.entries ?? [])
  return (
    <section aria-labelledby='log-h'>
      <h2 id='log-h'>Public log</h2>
      <div class='stats'>
        <div class='stat'><span class='stat-label'>Entries</span><span class='stat-value' data-log-size>{log.data?.checkpoint.size ?? '…'}</span></div>
        <div class='stat'><span class='stat-label'>Root</span><span class='stat-value'><code>{log.data === undefined ? '…' : short(toHex(log.data.checkpoint.root), 8)}</code></span></div>
        <div class='stat'><span class='stat-label'>Latest anchor</span><span class='stat-value'>{latest === undefined ? (anchors.error === undefined ? 'none yet' : 'not reported') : `size ${latest.treeSize}, ${formatTime(Math.floor(latest.recordedAt / 1000), { zone })}`}</span></div>
        <div class='stat'><span class='stat-label'>Checked here</span><span class='stat-value'>{log.data === undefined ? '…' : log.data.rootMatches === false ? '✗ root mismatch' : '✓ signature' + (log.data.rootMatches === true ? ', root' : '')}</span></div>
      </div>
      {latest !== undefined && <p class='muted'>Anchored in block {latest.blockNumber}, transaction <code>{short(latest.transactionHash)}</code>.</p>}
      {log.loading && <Loading what='the log' />}
      <ErrorNote error={log.error} />
      <table class='table'>
        <caption class='sr-only'>Log entries, newest first</caption>
        <thead><tr><th scope='col'>#</th><th scope='col'>Time</th><th scope='col'>Case</th><th scope='col'>Kind</th><th scope='col'>What</th></tr></thead>
        <tbody>{[...contexts].reverse().map(({ index, entry, at, caseCodes }) => (
          <tr key={index} data-index={index}>
            <td>{index}</td>
            <td data-entry-time>{formatTime(at, { seconds: true, zone })}</td>
            <td data-entry-case>{caseCodes.join(', ')}</td>
            <td><span class={`pill pill-kind-${entry.kind}`}>{entry.kind}</span></td>
            <td>{describe(entry)}</td>
          </tr>
        ))}</tbody>
      </table>
    </section>
  )
}

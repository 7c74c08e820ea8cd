// The agency's requests with their delivery counts (never who ignored: no one tells the agency), one
// request's deliveries, and footage viewing that asks for a purpose first because every view is logged.
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import type { DeliveredClipView, DeliveryView, SignedRequestView } from '../api/types.js'
import { Badge, Confirm, ErrorNote, Loading, fmtBytes, short, useLoad } from '../components/ui.js'
import { useTimeZone } from '../components/ui-settings.js'
import { formatDuration, formatSpan, formatTime } from '../components/time.js'
import { useLive } from '../api/live.js'
import { HexMap } from '../map/HexMap.js'
import { EvidenceExport } from './Evidence.js'
import { domainOf, inclusionBadge, signatureBadge, type Badge as BadgeData } from '../verify/badges.js'

export function Requests ({ api, selected, onSelect }: { api: ApiClient, selected?: string, onSelect: (id: string | undefined) => void }) {
  const list = useLoad(async () => await api.requests(), [])
  const zone = useTimeZone(api)
  // The delivery counts change as deliveries arrive.
  useLive(['delivery'], list.reload)
  const items = [...(list.data ?? [])].sort((a, b) => b.request.message.issuedAt - a.request.message.issuedAt)
  useEffect(() => { if (selected === undefined && items[0] !== undefined) onSelect(items[0].id) }, [items.length])
  return (
    <div class='split'>
      <section aria-labelledby='req-list-h' class='list'>
        <h2 id='req-list-h'>Requests</h2>
        {list.loading && <Loading what='requests' />}
        <ErrorNote error={list.error} />
        {list.data !== undefined && items.length === 0 && <p class='muted'>No request yet.</p>}
        <ul class='cards' aria-label='Requests, newest first'>
          {items.map((r) => {
            const m = r.request.message
            return (
              <li key={r.id}>
                <button type='button' class={`card ${r.id === selected ? 'current' : ''}`} aria-current={r.id === selected} onClick={() => { onSelect(r.id) }} data-request={r.id}>
                  <span class='card-title'>{m.title}</span>
                  <span class='card-meta'>case {m.caseCode} · {m.category} · issued {formatTime(m.issuedAt, { zone })}</span>
                  <span class='card-meta'><strong data-deliveries={r.deliveries ?? 0}>{r.deliveries ?? 0}</strong> deliver{(r.deliveries ?? 0) === 1 ? 'y' : 'ies'} · {r.status === 'withdrawn' ? 'withdrawn' : m.expiresAt <= Date.now() / 1000 ? 'expired' : `open until ${formatTime(m.expiresAt, { zone })}`}</span>
                </button>
              </li>
            )
          })}
        </ul>
      </section>
      <section class='detail'>
        {selected === undefined
          ? <p class='muted'>No request selected. Publish one under “New request”.</p>
          : <RequestDetail key={selected} api={api} id={selected} onChanged={list.reload} />}
      </section>
    </div>
  )
}

function RequestDetail ({ api, id, onChanged }: { api: ApiClient, id: string, onChanged: () => void }) {
  const req = useLoad(async () => await api.request(id), [id])
  const deliveries = useLoad(async () => await api.deliveries(id), [id])
  const zone = useTimeZone(api)
  // A delivery for this request, or a log entry (a clip deleted, by a resident's request or retention, is one).
  useLive(['delivery', 'log'], (e) => { if (e === undefined || e.type === 'log' || e.data.request === id) deliveries.reload() })
  const [withdrawing, setWithdrawing] = useState(false)
  const [error, setError] = useState<unknown>()
  if (req.loading) return <Loading what='the request' />
  if (req.data === undefined) return <ErrorNote error={req.error} />
  const view: SignedRequestView = req.data
  const m = view.request.message
  const withdrawn = view.status === 'withdrawn'
  const badges = view.eip712 === undefined
    ? []
    : [signatureBadge(view.request, domainOf(view.eip712.domain)),
        inclusionBadge(view.request, view.checkpoint === undefined || view.logIndex === undefined || view.proof === undefined ? undefined : { logIndex: view.logIndex, checkpoint: view.checkpoint, proof: view.proof }, BigInt(view.eip712.domain.chainId))]
  return (
    <article aria-labelledby='agency-req-title'>
      <h2 id='agency-req-title'>{m.title}</h2>
      <ul class='badges' aria-label='Verification'>{badges.map((b) => <Badge key={b.label} badge={b} />)}</ul>
      <div class='req-body'>
      <dl class='facts'>
        <dt>Case code</dt><dd>{m.caseCode}</dd>
        <dt>Category</dt><dd>{m.category}</dd>
        <dt>Window</dt><dd>{formatSpan(m.windowStart, m.windowEnd, { zone })}</dd>
        <dt>Open until</dt><dd>{formatTime(m.expiresAt, { zone })}{withdrawn ? ' (withdrawn)' : ''}</dd>
        <dt>Log entry</dt><dd>{view.logIndex ?? 'not reported'}</dd>
        <dt>Request id</dt><dd><code>{short(id, 14)}</code></dd>
      </dl>
      <HexMap cells={m.cells} label={`Request area: ${m.cells.length} hexagons`} />
      </div>
      <h3>Deliveries</h3>
      <p class='muted' id='deliveries-note'>Anyone who can read the request can deliver for it: a delivery shows that its files are the ones its consent names, signed with a one-time key. It does not show who sent them, that they live in the area, or that a camera there recorded them. Who saw or ignored the request is never known to anyone.</p>
      {deliveries.loading && <Loading what='deliveries' />}
      <ErrorNote error={deliveries.error} />
      {deliveries.data !== undefined && deliveries.data.length === 0 && <p class='muted'>No delivery yet.</p>}
      <ul class='deliveries'>{(deliveries.data ?? []).map((d) => <Delivery key={d.consentId} api={api} delivery={d} />)}</ul>
      {!withdrawn && (
        <div class='actions'>
          <button type='button' onClick={() => { setWithdrawing(true) }}>Withdraw request</button>
        </div>
      )}
      <ErrorNote error={error} />
      {withdrawing && (
        <Confirm title='Withdraw this request?' confirmLabel='Withdraw' onCancel={() => { setWithdrawing(false) }}
          onConfirm={() => { api.withdraw(id).then(() => { req.reload(); onChanged() }, setError).finally(() => { setWithdrawing(false) }) }}>
          <p>Residents' nodes remove it from their inboxes; the withdrawal is recorded in the public log.</p>
        </Confirm>
      )}
    </article>
  )
}

// What the receiver checked, and what nothing checks: the protocol proves no camera's place (docs/agency.md).
const deliveryBadges: BadgeData[] = [
  { state: 'ok', label: 'Files match the consent', detail: 'Checked on arrival: each clip decrypted with this request\'s key and hashed to the CID the consent signed.' },
  { state: 'unknown', label: 'Sender not verified', detail: 'The consent is signed by a one-time key. Nothing proves the sender lives in the area, has a camera there, or recorded this footage at the times, length and camera label it gives.' }
]

function Delivery ({ api, delivery }: { api: ApiClient, delivery: DeliveryView }) {
  const zone = useTimeZone(api)
  return (
    <li class='delivery' aria-describedby='deliveries-note'>
      <p>Case <strong data-case-code>{delivery.caseCode}</strong> · delivered <span data-delivered-at>{formatTime(delivery.deliveredAt, { seconds: true, zone })}</span> · consent <code>{short(delivery.consentId)}</code> · log entry {delivery.logIndex}</p>
      <ul class='badges' aria-label='What is known of this delivery'>{deliveryBadges.map((b) => <Badge key={b.label} badge={b} />)}</ul>
      <ul>{delivery.clips.map((c) => c.deleted
        ? <li key={c.cid} class='muted'>Clip <code>{short(c.cid)}</code> · deleted (logged)</li>
        : <FootageClip key={c.cid} api={api} clip={c} />)}</ul>
      {delivery.clips.some((c) => !c.deleted) && <EvidenceExport api={api} subject={delivery.consentId} />}
    </li>
  )
}

/** What the resident's signed consent says of a clip; nothing of it is checked against the footage (deliveryBadges). */
function ClipFacts ({ clip: c, zone }: { clip: DeliveredClipView, zone: string | undefined }) {
  if (c.start === undefined || c.end === undefined) return <p class='muted'>Received before consents described their clips: size only.</p>
  return (
    <dl class='facts clip-facts'>
      <dt>Recorded</dt><dd data-clip-span>{formatSpan(c.start, c.end, { zone })}</dd>
      <dt>Length</dt><dd data-clip-duration>{formatDuration((c.durationMs ?? 0) / 1000)}</dd>
      <dt>Media type</dt><dd><code data-clip-media-type>{c.mediaType}</code></dd>
      <dt>Camera label</dt><dd data-clip-label>{c.camera === '' ? <span class='muted'>none (the resident sent no label)</span> : c.camera}</dd>
    </dl>
  )
}

function FootageClip ({ api, clip }: { api: ApiClient, clip: DeliveredClipView }) {
  const zone = useTimeZone(api)
  const { cid, size } = clip
  const [asking, setAsking] = useState(false)
  const [purpose, setPurpose] = useState('')
  const [url, setUrl] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const open = (): void => {
    setBusy(true); setError(undefined)
    api.footageUrl(cid, purpose.trim()).then((u) => { setUrl(u); setAsking(false) }, setError).finally(() => { setBusy(false) })
  }
  return (
    <li class='clip' data-cid={cid}>
      <span><code title={cid}>{short(cid)}</code> {fmtBytes(size)}</span>
      <ClipFacts clip={clip} zone={zone} />
      {url === undefined
        ? <button type='button' onClick={() => { setAsking(true) }}>View…</button>
        : <><video src={url} controls autoPlay muted aria-label={`Footage ${cid}`} /><p class='muted' role='status'>Access logged with purpose “{purpose}”.</p></>}
      {asking && (
        <Confirm title='Why are you viewing this footage?' confirmLabel={busy ? 'Opening…' : 'View and log access'} busy={busy || purpose.trim() === ''}
          onCancel={() => { setAsking(false) }} onConfirm={open}>
          <p>Every view is an <strong>access</strong> entry in this agency's public log, with the purpose you give. Auditors and residents can read it.</p>
          <label>Purpose <input value={purpose} maxLength={500} required autoFocus onInput={(e) => { setPurpose((e.target as HTMLInputElement).value) }} /></label>
          <ErrorNote error={error} />
        </Confirm>
      )}
    </li>
  )
}

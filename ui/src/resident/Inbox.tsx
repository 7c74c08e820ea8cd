// The resident's inbox: requests for an area holding one of this node's cameras, newest first; one request
// in detail with its map, the badges this browser verified, the matching clips, and Share / Ignore. A clip
// already in a share for the request (any state but withdrawn) shows that share's state, live, and cannot
// be ticked again: the node refuses a second share of it (CLIP_ALREADY_SHARED).
import { useEffect, useMemo, useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import type { CameraView, ClipView, ConsentRange, InboxItemView, InboxSummary, RecordingOverlap, ShareRow } from '../api/types.js'
import { shareStateWords } from './share-state.js'
import { Badge, Confirm, ErrorNote, Loading, Progress, fmtBytes, fromLocalInput, short, toLocalInput, useLoad } from '../components/ui.js'
import { formatDuration, formatSpan, formatTime } from '../components/time.js'
import { useLive } from '../api/live.js'
import { isUnread } from '../../../protocol/index.js'
import { HexMap } from '../map/HexMap.js'
import { requestBadges } from '../verify/badges.js'
import { ClipLabels, type LabelledConsent } from './ClipLabels.js'

const now = (): number => Math.floor(Date.now() / 1000)

export function Inbox ({ api, cameras, onShared }: { api: ApiClient, cameras: CameraView[], onShared: () => void }) {
  const list = useLoad(async () => await api.inbox(), [])
  useLive(['inbox'], list.reload)
  // A notification's link opens its request: `#request=<id>` (docs/notify.md; the token, if any, is gone from the fragment by now).
  const [selected, setSelected] = useState<string | undefined>(() => new URLSearchParams((globalThis.location?.hash ?? '').replace(/^#/, '')).get('request') ?? undefined)
  const items = useMemo(() => [...(list.data ?? [])].sort((a, b) => b.receivedAt - a.receivedAt || b.issuedAt - a.issuedAt), [list.data])
  useEffect(() => { if (selected === undefined && items[0] !== undefined) setSelected(items[0].id) }, [items])
  return (
    <div class='split'>
      <section aria-labelledby='inbox-h' class='list'>
        <h2 id='inbox-h'>Inbox</h2>
        {list.loading && <Loading what='the inbox' />}
        <ErrorNote error={list.error} />
        {list.data !== undefined && items.length === 0 && <p class='muted'>No request covers your cameras. Agencies' requests for other areas are never shown here.</p>}
        <ul class='cards' aria-label='Requests, newest first'>
          {items.map((s) => <InboxRow key={s.id} item={s} current={s.id === selected} onOpen={() => { setSelected(s.id); if (isUnread(s)) api.seen(s.id).catch(() => {}) }} />)}
        </ul>
      </section>
      <section class='detail' aria-live='polite'>
        {selected === undefined && <p class='muted'>Requests for your area appear here.</p>}
        {selected !== undefined && <RequestDetail key={selected} api={api} id={selected} cameras={cameras} onChanged={() => { list.reload(); onShared() }} />}
      </section>
    </div>
  )
}

// Opening means choosing it here: the newest item the page shows first on its own does not count, so a tab
// left open does not read the inbox for the resident.

function InboxRow ({ item, current, onOpen }: { item: InboxSummary, current: boolean, onOpen: () => void }) {
  const unread = isUnread(item)
  return (
    <li>
      <button type='button' class={`card ${current ? 'current' : ''} status-${item.status}${unread ? ' unread' : ''}`} aria-current={current} onClick={onOpen} data-request={item.id} data-unread={unread}>
        {unread && <span class='sr-only'>Unread: </span>}
        <span class='card-title'>{item.title}</span>
        <span class='card-meta'>{item.agencyName} · {item.category} · case {item.caseCode}</span>
        <span class='card-meta'>received {formatTime(item.receivedAt)} · {item.expired ? 'expired' : `open until ${formatTime(item.expiresAt)}`}{item.clips === undefined ? '' : ` · ${item.clips} matching clip${item.clips === 1 ? '' : 's'}`}</span>
        {item.status !== 'new' && <span class={`pill pill-${item.status}`}>{item.status}</span>}
        {item.agencyStatus !== undefined && !item.agencyStatus.active && <span class='card-meta agency-inactive'>agency {item.agencyStatus.status === 'active' ? 'registration expired' : item.agencyStatus.status}: nothing can be shared</span>}
      </button>
    </li>
  )
}

function overlaps (clip: ClipView, start: number, end: number): boolean {
  return clip.start <= end && clip.end >= start
}

function RequestDetail ({ api, id, cameras, onChanged }: { api: ApiClient, id: string, cameras: CameraView[], onChanged: () => void }) {
  const item = useLoad(async () => await api.inboxItem(id), [id])
  // Withdrawn, ignored elsewhere, seen: the item as it is now, without a reload.
  useLive(['inbox'], (e) => { if (e === undefined || e.data.id === id) item.reload() })
  const clips = useLoad(async () => await api.clips(), [id])
  // What was shared for this request, per clip, as it changes (a state change reads the shares again; progress moves in place).
  const shares = useLoad(async () => (await api.shares({ status: false })).filter((sh) => sh.request === id && sh.state !== 'withdrawn'), [id])
  const [progress, setProgress] = useState<ReadonlyMap<string, { sent: number, total: number }>>(new Map())
  useLive(['share', 'receipt'], (e) => { if (e?.type !== 'share' || e.data.request === id) shares.reload() })
  useLive(['progress'], (e) => { if (e !== undefined) setProgress((m) => new Map(m).set(e.data.id, { sent: e.data.sent, total: e.data.total })) })
  const sharedAs = new Map<string, ShareRow>()
  for (const sh of shares.data ?? []) for (const c of sh.clips) sharedAs.set(c.cid, sh.state === 'sending' && progress.has(sh.consent) ? { ...sh, progress: progress.get(sh.consent)! } : sh)
  const [picked, setPicked] = useState<Set<string>>(new Set())
  // Per recording (camera and start), whether it is to be shared and the range the resident narrowed it to.
  const [ranges, setRanges] = useState<Record<string, RangeChoice>>({})
  const [confirm, setConfirm] = useState<'share' | 'ignore' | undefined>()
  const [labelled, setLabelled] = useState<LabelledConsent | undefined>()
  const [busy, setBusy] = useState(false)
  const [actionError, setActionError] = useState<unknown>()
  const [done, setDone] = useState<string | undefined>()
  if (item.loading) return <Loading what='the request' />
  if (item.data === undefined) return <ErrorNote error={item.error} />
  const view: InboxItemView = item.data
  const r = view.request.message
  const badges = requestBadges({
    request: view.request,
    domain: view.eip712.domain,
    verification: view.verification,
    ...(view.agencyStatus === undefined ? {} : { agencyStatus: view.agencyStatus }),
    ...(evidenceOf(view) === undefined ? {} : { evidence: evidenceOf(view)! }),
    now: now()
  })
  // The node says which clips match; an older node does not, and then the browser works it out.
  const matching = view.clips ?? (clips.data ?? []).filter((c) => view.cameras.includes(c.camera) && overlaps(c, r.windowStart, r.windowEnd))
  const chosen = matching.filter((c) => picked.has(c.cid) && !sharedAs.has(c.cid))
  const recordings = view.recordings ?? []
  const choiceOf = (o: RecordingOverlap): RangeChoice => ranges[keyOf(o)] ?? { on: false, from: o.from, to: o.to }
  const chosenRanges: ConsentRange[] = recordings.filter((o) => choiceOf(o).on).map((o) => ({ camera: o.camera, from: choiceOf(o).from, to: choiceOf(o).to }))
  const badRange = recordings.some((o) => { const c = choiceOf(o); return c.on && rangeProblem(o, c) !== undefined })
  const count = chosen.length + chosenRanges.length
  const myCameras = cameras.filter((c) => view.cameras.includes(c.name))
  // The node refuses a consent to an agency that is not active now; the buttons say so before it has to.
  const agencyInactive = view.agencyStatus !== undefined && !view.agencyStatus.active
  const open = view.status === 'new' && !view.expired && !agencyInactive

  async function act (kind: 'share' | 'ignore'): Promise<void> {
    setBusy(true); setActionError(undefined)
    try {
      if (kind === 'share') await api.consent(id, chosen.map((c) => c.cid), labelled?.ranges ?? chosenRanges, labelled?.labels)
      else await api.ignore(id)
      setDone(kind === 'share' ? `Sharing ${count} clip${count === 1 ? '' : 's'} with ${view.verification.agency.name}: follow it under “Shares”.` : 'Ignored. Nothing was sent.')
      setConfirm(undefined)
      if (kind === 'share') setPicked(new Set())
      item.reload(); shares.reload(); onChanged()
    } catch (err) {
      setActionError(err); setConfirm(undefined)
    } finally {
      setBusy(false)
    }
  }

  return (
    <article aria-labelledby='req-title' data-request={id}>
      <header class='req-head'>
        <h2 id='req-title'>{r.title}</h2>
        <p class='agency-line'><strong>{view.verification.agency.name}</strong> <code title={r.agency}>{short(r.agency)}</code></p>
        <ul class='badges' aria-label='Verification'>
          <Badge badge={badges.signature} /><Badge badge={badges.registered} /><Badge badge={badges.jurisdiction} /><Badge badge={badges.logged} /><Badge badge={badges.witnessed} />
        </ul>
      </header>
      <div class='req-body'>
      <div>
      <dl class='facts'>
        <dt>Case code</dt><dd>{r.caseCode}</dd>
        <dt>Category</dt><dd>{r.category}</dd>
        <dt>Footage wanted from</dt><dd>{formatSpan(r.windowStart, r.windowEnd)}</dd>
        <dt>Open until</dt><dd>{formatTime(r.expiresAt)}{view.expired ? ' (expired)' : ''}</dd>
        <dt>Kept by the agency for</dt><dd>at most {r.retentionDays} days</dd>
        <dt>Status</dt><dd data-item-status>{view.status}{view.ignored !== undefined ? ` (by ${view.ignored.by === 'policy' ? `your policy: ${view.ignored.reason}` : 'you'})` : ''}
          {(shares.data ?? []).length > 0 && `, shared: ${(shares.data ?? []).map((sh) => `${sh.clips.length} clip${sh.clips.length === 1 ? '' : 's'} ${shareStateWords(sh).label}`).join('; ')}`}</dd>
      </dl>
      {r.details !== '' && <p class='details'>{r.details}</p>}
      </div>
      <HexMap cells={view.cells} markers={myCameras} label={`Request area: ${view.cells.length} hexagons${myCameras.length > 0 ? `, with your cameras ${myCameras.map((c) => c.name).join(', ')}` : ''}`} />
      </div>

      <h3>Your matching clips</h3>
      <p class='muted'>Clips from your cameras in the area ({view.cameras.join(', ')}) that overlap the time window. Nothing is shared unless you choose it.</p>
      {clips.loading && <Loading what='clips' />}
      <ErrorNote error={clips.error} />
      {clips.data !== undefined && matching.length === 0 && <p class='muted'>None of your clips overlap the window.</p>}
      <ul class='clips'>
        {matching.map((c) => (
          <ClipRow key={c.cid} api={api} clip={c} checked={picked.has(c.cid) && !sharedAs.has(c.cid)} disabled={!open} shared={sharedAs.get(c.cid)}
            onCheck={(on) => { const next = new Set(picked); if (on) next.add(c.cid); else next.delete(c.cid); setPicked(next) }} />
        ))}
      </ul>
      {recordings.length > 0 && (
        <>
          <h3>Your recordings in the window</h3>
          <p class='muted'>What your cameras recorded while the request's window was open. Nothing is cut or sent unless you choose it; you can narrow each range first.</p>
          <ul class='recordings'>
            {recordings.map((o) => (
              <RecordingRow key={keyOf(o)} api={api} overlap={o} choice={choiceOf(o)} disabled={!open}
                onChange={(c) => { setRanges((old) => ({ ...old, [keyOf(o)]: c })) }} />
            ))}
          </ul>
        </>
      )}
      {agencyInactive && <p class='error' role='status'>{view.verification.agency.name} is {view.agencyStatus!.status === 'active' ? 'past its registration' : `${view.agencyStatus!.status} in the registry`} now: nothing can be shared with it. Ignoring is still possible.</p>}
      <div class='actions'>
        <button type='button' class='primary' disabled={!open || count === 0 || badRange} onClick={() => { setConfirm('share') }}>
          Share selected ({count})
        </button>
        <button type='button' disabled={view.status !== 'new' || view.expired} onClick={() => { setConfirm('ignore') }}>Ignore</button>
      </div>
      <ErrorNote error={actionError} />
      {done !== undefined && <p class='ok' role='status'>{done}</p>}
      {confirm === 'share' && (
        <Confirm title='Share these clips?' confirmLabel={`Send ${count} clip${count === 1 ? '' : 's'}`} busy={busy}
          onCancel={() => { setConfirm(undefined) }} onConfirm={() => { void act('share') }}>
          <p>To <strong>{view.verification.agency.name}</strong> (agency <code>{r.agency}</code>), for case <strong>{r.caseCode}</strong>, directly to its node <code>{short(r.peerId, 8)}</code>:</p>
          <ClipLabels clips={chosen} ranges={chosenRanges} onChange={setLabelled} />
          <p>Each clip is encrypted so that only this agency can open it, with a consent signed by a one-time key. The agency keeps them at most {r.retentionDays} days and records the delivery in its public log.</p>
          <p>Not sent: your name, your node's identity for other requests, your cameras' positions, or any other clip.</p>
        </Confirm>
      )}
      {confirm === 'ignore' && (
        <Confirm title='Ignore this request?' confirmLabel='Ignore' busy={busy} onCancel={() => { setConfirm(undefined) }} onConfirm={() => { void act('ignore') }}>
          <p>Nothing is sent to anyone. {view.verification.agency.name} never learns that you saw this request.</p>
        </Confirm>
      )}
    </article>
  )
}

function evidenceOf (view: InboxItemView) {
  if (view.announcement !== undefined) return view.announcement
  if (view.logIndex !== undefined && view.checkpoint !== undefined && view.proof !== undefined) return { logIndex: view.logIndex, checkpoint: view.checkpoint, proof: view.proof }
  return undefined
}

function ClipRow ({ api, clip, checked, disabled, shared, onCheck }: { api: ApiClient, clip: ClipView, checked: boolean, disabled: boolean, shared: ShareRow | undefined, onCheck: (on: boolean) => void }) {
  const [url, setUrl] = useState<string | undefined>()
  const [error, setError] = useState<unknown>()
  const [loading, setLoading] = useState(false)
  useEffect(() => () => { if (url !== undefined) URL.revokeObjectURL(url) }, [url])
  const label = `${clip.camera}, ${formatSpan(clip.start, clip.end)}, ${formatDuration(Math.max(1, clip.end - clip.start))}, ${fmtBytes(clip.size)}`
  return (
    <li class='clip' data-cid={clip.cid} data-shared={shared === undefined ? undefined : shareStateWords(shared).key}>
      <label class='check'><input type='checkbox' checked={checked} disabled={disabled || shared !== undefined} onChange={(e) => { onCheck((e.target as HTMLInputElement).checked) }} /> {label}</label>
      {url === undefined
        ? <button type='button' disabled={loading} onClick={() => { setLoading(true); api.clipUrl(clip.cid).then(setUrl, setError).finally(() => { setLoading(false) }) }}>{loading ? 'Loading…' : 'Play'}</button>
        : <video src={url} controls autoPlay muted aria-label={`Clip ${label}`} />}
      {shared !== undefined && <ClipShareState share={shared} />}
      <ErrorNote error={error} />
    </li>
  )
}

/** The share holding a clip, in words: pending, delivering (with its bar), delivered with receipt, deletion requested, deleted. */
function ClipShareState ({ share }: { share: ShareRow }) {
  const words = shareStateWords(share)
  return (
    <span class='clip-share'>
      <span class={`pill pill-${words.state}`} data-clip-share-state={words.key}>Already shared: {words.label}</span>
      {share.state === 'sending' && share.progress !== undefined && <Progress value={share.progress.sent} max={share.progress.total} label='sent' />}
      {share.receipt !== undefined && words.key === 'delivered' && <span class='muted'> receipt: entry {share.receipt.message.logIndex} of the agency's log</span>}
    </span>
  )
}

interface RangeChoice { on: boolean, from: number, to: number }

const keyOf = (o: RecordingOverlap): string => `${o.camera}:${o.from}`

/** Why a narrowed range cannot be shared (the node checks the same), or undefined. */
function rangeProblem (o: RecordingOverlap, c: RangeChoice): string | undefined {
  if (!Number.isFinite(c.from) || !Number.isFinite(c.to)) return 'give both times'
  if (c.from >= c.to) return 'the end must come after the start'
  if (c.from < o.from || c.to > o.to) return `the range must stay within what was recorded, ${formatSpan(o.from, o.to)}`
  return undefined
}

function RecordingRow ({ api, overlap: o, choice, disabled, onChange }: {
  api: ApiClient, overlap: RecordingOverlap, choice: RangeChoice, disabled: boolean, onChange: (c: RangeChoice) => void
}) {
  const [thumbs, setThumbs] = useState<string[]>([])
  useEffect(() => {
    let live = true
    const urls: string[] = []
    // Thumbnails need the token, which an <img src> cannot send: fetched as blobs.
    Promise.all(o.thumbnails.map(async (p) => await api.thumbnailUrl(p).catch(() => undefined))).then((got) => {
      for (const u of got) if (u !== undefined) urls.push(u)
      if (live) setThumbs(urls); else for (const u of urls) URL.revokeObjectURL(u)
    }, () => {})
    return () => { live = false; for (const u of urls) URL.revokeObjectURL(u) }
  }, [o.camera, o.from])
  const problem = choice.on ? rangeProblem(o, choice) : undefined
  const share = choice.to > choice.from ? Math.round(o.estimatedBytes * (choice.to - choice.from) / Math.max(1, o.duration)) : 0
  const label = `${o.camera}, ${formatSpan(o.from, o.to)}, ${formatDuration(o.duration)}, about ${fmtBytes(o.estimatedBytes)}`
  return (
    <li class='recording' data-camera={o.camera}>
      <label class='check'><input type='checkbox' checked={choice.on} disabled={disabled} onChange={(e) => { onChange({ ...choice, on: (e.target as HTMLInputElement).checked }) }} /> {label}</label>
      {thumbs.length > 0 && <div class='thumbs'>{thumbs.map((u, i) => <img key={u} src={u} alt={`${o.camera}, frame ${i + 1}`} />)}</div>}
      <div class='range'>
        <label>From <input type='datetime-local' step='1' value={toLocalInput(choice.from)} min={toLocalInput(o.from)} max={toLocalInput(o.to)} disabled={disabled}
          onInput={(e) => { onChange({ ...choice, on: true, from: fromLocalInput((e.target as HTMLInputElement).value) }) }} /></label>
        <label>To <input type='datetime-local' step='1' value={toLocalInput(choice.to)} min={toLocalInput(o.from)} max={toLocalInput(o.to)} disabled={disabled}
          onInput={(e) => { onChange({ ...choice, on: true, to: fromLocalInput((e.target as HTMLInputElement).value) }) }} /></label>
        {choice.on && problem === undefined && <span class='muted'>{formatDuration(choice.to - choice.from)}, about {fmtBytes(share)}</span>}
      </div>
      {problem !== undefined && <p class='error' role='alert'>{problem}</p>}
    </li>
  )
}

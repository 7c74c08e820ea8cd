// The resident's cameras: each with its recording status in words, and a form to add or edit one by
// clicking its place on the map (or typing it), with an optional direction and a source to pick and test.
// Positions come only from this resident's own node, behind its token; a source's password or token never
// reaches the page (the node sends its view, and keeps the stored secret when the view comes back).
import { useLive } from '../api/live.js'
import { useMemo, useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import type { CameraBody, CameraView, SourceBody, SourceTestResult } from '../api/types.js'
import { Confirm, ErrorNote, Loading, useLoad } from '../components/ui.js'
import { useUiSettings } from '../components/ui-settings.js'
import { AddressSearch } from '../map/AddressSearch.js'
import { HexMap } from '../map/HexMap.js'
import { cameraCell } from '../../../protocol/index.js'
import { statusWords, testWords } from './camera-status.js'

type Kind = 'none' | 'rtsp' | 'frigate' | 'folder'

interface Draft {
  name: string
  lat: string
  lng: string
  direction: string
  kind: Kind
  url: string
  camera: string
  token: string
  /** The node holds a Frigate token for this camera: keep it unless a new one is typed. */
  keepToken: boolean
  path: string
}

const empty: Draft = { name: '', lat: '', lng: '', direction: '', kind: 'none', url: '', camera: '', token: '', keepToken: false, path: '' }

function draftOf (c: CameraView): Draft {
  const s = c.source
  return {
    ...empty,
    name: c.name,
    lat: String(c.lat),
    lng: String(c.lng),
    direction: c.direction === undefined ? '' : String(c.direction),
    kind: s?.kind ?? 'none',
    ...(s?.kind === 'rtsp' ? { url: s.url } : {}),
    ...(s?.kind === 'frigate' ? { url: s.url, camera: s.camera, keepToken: s.token } : {}),
    ...(s?.kind === 'folder' ? { path: s.path } : {})
  }
}

function sourceOf (d: Draft): SourceBody | undefined {
  switch (d.kind) {
    case 'rtsp': return { kind: 'rtsp', url: d.url.trim() }
    case 'frigate': return { kind: 'frigate', url: d.url.trim(), camera: d.camera.trim(), ...(d.token !== '' ? { token: d.token } : d.keepToken ? { token: true } : {}) }
    case 'folder': return { kind: 'folder', path: d.path.trim() }
    case 'none': return undefined
  }
}

function bodyOf (d: Draft): CameraBody {
  const source = sourceOf(d)
  return {
    name: d.name.trim(),
    lat: Number(d.lat),
    lng: Number(d.lng),
    ...(d.direction.trim() === '' ? {} : { direction: Number(d.direction) }),
    ...(source === undefined ? {} : { source })
  }
}

const isNumber = (s: string): boolean => s.trim() !== '' && Number.isFinite(Number(s))

export function Cameras ({ api, onChanged }: { api: ApiClient, onChanged: () => void }) {
  // Read again on the node's `cameras` events: a status change, a closed segment (so "last segment 3 s ago"
  // stays current), a changed list.
  const list = useLoad(async () => await api.cameras(), [])
  useLive(['cameras'], list.reload)
  const [editing, setEditing] = useState<{ original?: string, draft: Draft } | undefined>()
  const [removing, setRemoving] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [done, setDone] = useState<string | undefined>()
  const cameras = list.data ?? []

  async function remove (name: string): Promise<void> {
    setBusy(true); setError(undefined)
    try {
      await api.removeCamera(name)
      setDone(`Removed ${name}.`)
      list.reload(); onChanged()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false); setRemoving(undefined)
    }
  }

  return (
    <section aria-labelledby='cameras-h'>
      <h2 id='cameras-h'>Cameras</h2>
      <p class='muted'>Where your cameras are stays on this node: only the ~5 km² area around each is ever revealed, to hear requests for it.</p>
      {list.loading && <Loading what='cameras' />}
      <ErrorNote error={list.error} />
      {list.data !== undefined && cameras.length === 0 && <p class='muted'>No cameras yet. Add one to hear requests for its area.</p>}
      <table class='table'>
        <caption class='sr-only'>Your cameras</caption>
        <thead><tr><th scope='col'>Camera</th><th scope='col'>Source</th><th scope='col'>Status</th><th scope='col'><span class='sr-only'>Actions</span></th></tr></thead>
        <tbody>{cameras.map((c) => (
          <tr key={c.name} data-camera={c.name}>
            <th scope='row'>{c.name}<br /><span class='muted'>{c.lat.toFixed(5)}, {c.lng.toFixed(5)}{c.direction === undefined ? '' : ` · facing ${c.direction}°`}</span></th>
            <td>{c.source === undefined ? 'none' : c.source.kind === 'folder' ? `folder ${c.source.path}` : `${c.source.kind} ${c.source.url}${c.source.kind === 'frigate' ? ` · ${c.source.camera}` : ''}`}</td>
            <td class={`camera-status camera-status-${c.status?.state ?? 'none'}`}>{statusWords(c, Date.now())}</td>
            <td><div class='actions'>
              <button type='button' aria-label={`Edit ${c.name}`} onClick={() => { setDone(undefined); setEditing({ original: c.name, draft: draftOf(c) }) }}>Edit</button>
              <button type='button' aria-label={`Remove ${c.name}`} onClick={() => { setRemoving(c.name) }}>Remove</button>
            </div></td>
          </tr>
        ))}</tbody>
      </table>
      <div class='actions'>
        <button type='button' class='primary' disabled={editing !== undefined} onClick={() => { setDone(undefined); setEditing({ draft: { ...empty } }) }}>Add a camera</button>
      </div>
      <ErrorNote error={error} />
      {done !== undefined && <p class='ok' role='status'>{done}</p>}
      {editing !== undefined && (
        <CameraForm key={editing.original ?? '(new)'} api={api} cameras={cameras} original={editing.original} initial={editing.draft}
          onCancel={() => { setEditing(undefined) }}
          onSaved={(name) => { setEditing(undefined); setDone(`Saved ${name}.`); list.reload(); onChanged() }} />
      )}
      {removing !== undefined && (
        <Confirm title={`Remove ${removing}?`} confirmLabel='Remove' busy={busy} onCancel={() => { setRemoving(undefined) }} onConfirm={() => { void remove(removing) }}>
          <p>Its clips and recordings stay on this node. Requests are no longer matched for it, and its area is no longer listened to unless another camera is in it.</p>
        </Confirm>
      )}
    </section>
  )
}

function CameraForm ({ api, cameras, original, initial, onCancel, onSaved }: {
  api: ApiClient, cameras: CameraView[], original: string | undefined, initial: Draft, onCancel: () => void, onSaved: (name: string) => void
}) {
  const [d, setD] = useState<Draft>(initial)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [tested, setTested] = useState<SourceTestResult | undefined>()
  const settings = useUiSettings(api).data
  const set = (patch: Partial<Draft>): void => { setD((old) => ({ ...old, ...patch })); setTested(undefined) }
  const input = (key: keyof Draft) => (e: Event): void => { set({ [key]: (e.target as HTMLInputElement).value }) }
  const placed = isNumber(d.lat) && isNumber(d.lng) ? { lat: Number(d.lat), lng: Number(d.lng), ...(isNumber(d.direction) ? { direction: Number(d.direction) } : {}) } : undefined
  const others = cameras.filter((c) => c.name !== original)
  // The cameras' own cells and the placed one's, so the map has a neighbourhood to click in.
  const cells = useMemo(() => [...new Set([...others.map((c) => c.cell), ...(placed === undefined ? [] : [cameraCell(placed.lat, placed.lng)])])], [others.map((c) => c.cell).join(), placed?.lat, placed?.lng])
  const source = sourceOf(d)

  async function save (e: Event): Promise<void> {
    e.preventDefault()
    setBusy(true); setError(undefined)
    try {
      const saved = original === undefined ? await api.addCamera(bodyOf(d)) : await api.updateCamera(original, bodyOf(d))
      onSaved(saved.name)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  async function test (): Promise<void> {
    if (source === undefined) return
    setBusy(true); setError(undefined); setTested(undefined)
    try {
      // Sent with the camera's stored name, so the node fills in the password it kept (the page never had it).
      setTested(await api.testSource({ ...(original === undefined ? {} : { name: original }), source }))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class='form camera-form' aria-labelledby='camera-form-h' onSubmit={(e) => { void save(e) }}>
      <h3 id='camera-form-h'>{original === undefined ? 'Add a camera' : `Edit ${original}`}</h3>
      <label>Name <input value={d.name} required maxLength={64} onInput={input('name')} /></label>
      {settings?.geocoder !== undefined && <AddressSearch geocoder={settings.geocoder} label='Find the address' onPick={(p) => { set({ lat: p.lat.toFixed(6), lng: p.lng.toFixed(6) }) }} />}
      {placed === undefined && others.length === 0
        ? <p class='muted'>{settings?.geocoder === undefined ? 'Type' : 'Find the address, or type'} the camera's latitude and longitude; the map then shows its neighbourhood, where a click moves it.</p>
        : <HexMap cells={cells} markers={others} placed={placed} label='Map: click where the camera is (the arrow keys move it)' base={settings?.map ?? { kind: 'none' }}
            onPlace={(p) => { set({ lat: p.lat.toFixed(6), lng: p.lng.toFixed(6) }) }} />}
      <div class='range'>
        <label>Latitude <input type='number' step='any' min='-90' max='90' value={d.lat} required onInput={input('lat')} /></label>
        <label>Longitude <input type='number' step='any' min='-180' max='180' value={d.lng} required onInput={input('lng')} /></label>
        <label>Facing, degrees from north (optional) <input type='number' min='0' max='359' step='any' value={d.direction} onInput={input('direction')} /></label>
      </div>
      <label>Footage from
        <select value={d.kind} onChange={(e) => { set({ kind: (e.target as HTMLSelectElement).value as Kind }) }}>
          <option value='none'>imports and uploads only</option>
          <option value='rtsp'>an RTSP camera (recorded here)</option>
          <option value='frigate'>a Frigate NVR</option>
          <option value='folder'>a folder</option>
        </select>
      </label>
      {d.kind === 'rtsp' && <label>RTSP address <input value={d.url} required placeholder='rtsp://user:password@192.168.1.20:554/stream1' onInput={input('url')} /></label>}
      {d.kind === 'frigate' && (
        <>
          <label>Frigate address <input value={d.url} required placeholder='http://192.168.1.10:5000' onInput={input('url')} /></label>
          <label>Frigate camera name <input value={d.camera} required pattern='[A-Za-z0-9_\-]+' onInput={input('camera')} /></label>
          <label>{d.keepToken ? 'New token (leave empty to keep the stored one)' : 'Token (optional)'} <input type='password' value={d.token} autoComplete='off' onInput={input('token')} /></label>
        </>
      )}
      {d.kind === 'folder' && <label>Folder <input value={d.path} required onInput={input('path')} /></label>}
      {(d.kind === 'rtsp' || d.kind === 'frigate') && original !== undefined && d.url.endsWith('(credentials hidden)') && <p class='muted'>The stored password stays as long as the address is left as shown.</p>}
      <div class='actions'>
        {source !== undefined && <button type='button' disabled={busy} onClick={() => { void test() }}>Test</button>}
        <button type='submit' class='primary' disabled={busy}>Save</button>
        <button type='button' onClick={onCancel}>Cancel</button>
      </div>
      {tested !== undefined && <p class={tested.ok ? 'ok' : 'error'} role='status' data-test-result={tested.ok ? 'ok' : 'fail'}>{tested.ok ? '' : 'Problem: '}{testWords(tested)}</p>}
      <ErrorNote error={error} />
    </form>
  )
}

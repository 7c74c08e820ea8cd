// Compose a request on the hex map (over the street map when the node has one): click cells or press
// Enter/Space on them, search an address, or set a center and radius. The limits are checked live (the same
// checks every relay runs), all at once, and explained beside the field at fault before anything is sent;
// cells outside the agency's jurisdiction are marked. Times are the agency's zone's (config agency.timeZone).
import { useMemo, useState } from 'preact/hooks'
import { gridDisk, latLngToCell } from 'h3-js'
import { AREA_RESOLUTION, LIMITS, MAX_RADIUS_METERS, areaFromCircle, type Category } from '../../../protocol/index.js'
import type { ApiClient } from '../api/client.js'
import type { UiSettings } from '../api/types.js'
import { formatDuration, formatSpan } from '../components/time.js'
import { ErrorNote, fromLocalInput, toLocalInput } from '../components/ui.js'
import { useUiSettings } from '../components/ui-settings.js'
import { MAX_AREA_RADIUS_METERS, checkDraft, draftArea, draftBody, type Draft, type Problem } from '../compose/draft.js'
import { AddressSearch } from '../map/AddressSearch.js'
import { HexMap } from '../map/HexMap.js'
import { cellCenter } from '../map/geometry.js'

const nowS = (): number => Math.floor(Date.now() / 1000)
const R = LIMITS.request
/** Where the map opens with no last request and no jurisdiction to go by. */
const FALLBACK = { lat: 40.7128, lng: -74.006 }

/** The circle's radius in words when it cannot be drawn (the map draws at most MAX_RADIUS_METERS). */
function radiusProblem (radius: string): string | undefined {
  const r = Number(radius)
  if (radius.trim() === '' || !Number.isFinite(r) || r <= 0) return 'Give the radius in metres, a number above 0.'
  if (r > MAX_RADIUS_METERS) return `A radius of ${r} m is more than the ${MAX_RADIUS_METERS} m the map draws; a request may cover at most ${R.maxAreaKm2} km², a circle of about ${MAX_AREA_RADIUS_METERS} m.`
  return undefined
}

function FieldProblems ({ problems, field, id }: { problems: Problem[], field: keyof Draft, id: string }) {
  const mine = problems.filter((p) => p.field === field)
  if (mine.length === 0) return null
  // The alert is the list's box: role=alert on the <ul> itself would unmake it a list (its items orphaned).
  return <div id={id} role='alert'><ul class='problems'>{mine.map((p) => <li key={p.code} data-code={p.code}>{p.message}</li>)}</ul></div>
}

export function Compose ({ api, home, onCreated }: { api: ApiClient, home?: { lat: number, lng: number }, onCreated: (id: string) => void }) {
  const settings = useUiSettings(api)
  if (settings.loading) return <p class='muted'>Loading the map settings…</p>
  const jurisdiction = settings.data?.jurisdiction ?? []
  const start = home ?? centerOfCells(jurisdiction) ?? FALLBACK
  return <ComposeForm api={api} home={{ lat: Number(start.lat.toFixed(5)), lng: Number(start.lng.toFixed(5)) }} onCreated={onCreated} settings={settings.data ?? { map: { kind: 'none' } }} />
}

function ComposeForm ({ api, home, onCreated, settings }: { api: ApiClient, home: { lat: number, lng: number }, onCreated: (id: string) => void, settings: UiSettings }) {
  const zone = settings.timeZone
  const jurisdiction = settings.jurisdiction ?? []
  // On a whole minute, as the From/To inputs set it (so the span reads 5:49–7:49 PM, not 5:49:59).
  const start = Math.floor(nowS() / 60) * 60
  const [draft, setDraft] = useState<Draft>({
    caseCode: '', title: '', details: '', category: 'burglary', cells: [],
    windowStart: start - 3 * 3600, windowEnd: start - 3600, lifetimeHours: 48, retentionDays: 90
  })
  const [center, setCenter] = useState(home)
  const [radius, setRadius] = useState('250')
  const [areaError, setAreaError] = useState<string | undefined>()
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [apiError, setApiError] = useState<unknown>()
  const set = <K extends keyof Draft>(k: K, v: Draft[K]): void => { setDraft((d) => ({ ...d, [k]: v })) }
  const problems = checkDraft(draft, nowS(), { jurisdiction })
  const candidates = useMemo(() => {
    try {
      return gridDisk(latLngToCell(center.lat, center.lng, AREA_RESOLUTION), 6)
    } catch {
      return [] // a half-typed coordinate: no candidates until it parses
    }
  }, [center.lat, center.lng])
  const area = draftArea(draft)
  const tooLarge = problems.some((p) => p.code === 'AREA_TOO_LARGE' || p.code === 'TOO_MANY_CELLS')
  const show = (field: keyof Draft): boolean => submitted || field === 'cells' || problems.some((p) => p.field === field && p.code !== 'REQUIRED')

  function useCircle (): void {
    const problem = radiusProblem(radius)
    setAreaError(problem)
    if (problem !== undefined) return
    try {
      set('cells', areaFromCircle(center.lat, center.lng, Number(radius)))
    } catch {
      setAreaError('The center is not a place on the earth: latitude −90 to 90, longitude −180 to 180.')
    }
  }
  function toggle (cell: string): void {
    set('cells', draft.cells.includes(cell) ? draft.cells.filter((c) => c !== cell) : [...draft.cells, cell].sort())
  }
  async function submit (e: Event): Promise<void> {
    e.preventDefault()
    setSubmitted(true); setApiError(undefined)
    if (problems.length > 0) {
      document.querySelector<HTMLElement>('.problems')?.scrollIntoView({ block: 'center' })
      return
    }
    setBusy(true)
    try {
      const created = await api.createRequest(draftBody(draft))
      onCreated(created.id)
    } catch (err) {
      setApiError(err)
    } finally {
      setBusy(false)
    }
  }
  const visible = problems.filter((p) => show(p.field))
  const zoneName = zone ?? `this browser's zone (${Intl.DateTimeFormat().resolvedOptions().timeZone})`

  return (
    <form class='compose' onSubmit={(e) => { void submit(e) }} noValidate aria-labelledby='compose-h'>
      <h2 id='compose-h'>New request</h2>
      <div class='compose-grid'>
        <div class='form'>
          <label>Case code <input value={draft.caseCode} maxLength={R.maxCaseCodeChars} aria-describedby='p-caseCode' onInput={(e) => { set('caseCode', (e.target as HTMLInputElement).value) }} /></label>
          <FieldProblems problems={visible} field='caseCode' id='p-caseCode' />
          <label>Title <input value={draft.title} maxLength={R.maxTitleChars} aria-describedby='p-title' onInput={(e) => { set('title', (e.target as HTMLInputElement).value) }} /></label>
          <FieldProblems problems={visible} field='title' id='p-title' />
          <label>Category
            <select value={draft.category} onChange={(e) => { set('category', (e.target as HTMLSelectElement).value as Category) /* the options are the categories */ }}>
              {LIMITS.request.categories.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
          <label>Details for residents <textarea rows={4} value={draft.details} maxLength={R.maxDetailsChars} aria-describedby='p-details' onInput={(e) => { set('details', (e.target as HTMLTextAreaElement).value) }} /></label>
          <FieldProblems problems={visible} field='details' id='p-details' />
          <fieldset>
            <legend>Footage wanted from ({formatDuration(R.minWindowSeconds)} to {formatDuration(R.maxWindowSeconds)}, ended, within {Math.round(R.maxWindowAgeSeconds / 86400)} days), times in {zoneName}</legend>
            <label>From <input type='datetime-local' value={toLocalInput(draft.windowStart, false, zone)} aria-describedby='p-window window-span' onInput={(e) => { set('windowStart', fromLocalInput((e.target as HTMLInputElement).value, zone)) }} /></label>
            <label>To <input type='datetime-local' value={toLocalInput(draft.windowEnd, false, zone)} aria-describedby='p-window window-span' onInput={(e) => { set('windowEnd', fromLocalInput((e.target as HTMLInputElement).value, zone)) }} /></label>
            <p class='muted' id='window-span' data-zone={zoneName}>{Number.isFinite(draft.windowStart) && Number.isFinite(draft.windowEnd) ? formatSpan(draft.windowStart, draft.windowEnd, { ...(zone === undefined ? {} : { zone }) }) : 'Give both times.'}</p>
            <FieldProblems problems={visible} field='windowEnd' id='p-window' />
            <FieldProblems problems={visible} field='windowStart' id='p-window-start' />
          </fieldset>
          <label>Open for, hours (at most {R.maxLifetimeSeconds / 3600}) <input type='number' min='1' max={R.maxLifetimeSeconds / 3600} value={draft.lifetimeHours} aria-describedby='p-life' onInput={(e) => { set('lifetimeHours', Number((e.target as HTMLInputElement).value)) }} /></label>
          <FieldProblems problems={visible} field='lifetimeHours' id='p-life' />
          <label>Keep footage at most, days (at most {R.maxRetentionDays}) <input type='number' min='0' max={R.maxRetentionDays} value={draft.retentionDays} aria-describedby='p-ret' onInput={(e) => { set('retentionDays', Number((e.target as HTMLInputElement).value)) }} /></label>
          <FieldProblems problems={visible} field='retentionDays' id='p-ret' />
        </div>
        <div>
          <fieldset class='area'>
            <legend>Incident area (at most {R.maxAreaKm2} km² and {R.maxCells} cells)</legend>
            {settings.geocoder !== undefined && <AddressSearch geocoder={settings.geocoder} label='Find an address' onPick={(p) => { setCenter({ lat: Number(p.lat.toFixed(5)), lng: Number(p.lng.toFixed(5)) }) }} />}
            <div class='row'>
              <label>Center latitude <input type='number' step='0.0001' value={center.lat} onInput={(e) => { setCenter({ ...center, lat: Number((e.target as HTMLInputElement).value) }) }} /></label>
              <label>Center longitude <input type='number' step='0.0001' value={center.lng} onInput={(e) => { setCenter({ ...center, lng: Number((e.target as HTMLInputElement).value) }) }} /></label>
              <label>Radius, m <input type='number' min='1' max={MAX_RADIUS_METERS} value={radius} aria-describedby='p-radius' onInput={(e) => { setRadius((e.target as HTMLInputElement).value) }} /></label>
              <button type='button' onClick={useCircle}>Use center and radius</button>
              <button type='button' onClick={() => { set('cells', []) }}>Clear</button>
            </div>
            {areaError !== undefined && <p class='error' role='alert' id='p-radius' data-code='RADIUS'>{areaError}</p>}
            {jurisdiction.length === 0 && <p class='muted' data-jurisdiction='unknown'>The registry holds no jurisdiction for this agency yet: cells are not checked against one here (relays will).</p>}
            <HexMap cells={draft.cells} candidates={candidates} onToggle={toggle} invalid={tooLarge} base={settings.map} jurisdiction={jurisdiction}
              label='Incident area: press Enter or Space on a hexagon, or click it, to add or remove it' />
            <p class={`meter ${tooLarge ? 'bad' : ''}`} role='status' aria-live='polite' data-area={area.toFixed(3)}>
              Area {area.toFixed(2)} km² of {R.maxAreaKm2} km² allowed · {draft.cells.length} of at most {R.maxCells} cells
            </p>
            <FieldProblems problems={visible} field='cells' id='p-cells' />
          </fieldset>
        </div>
      </div>
      <div class='actions'>
        <button type='submit' class='primary' disabled={busy}>{busy ? 'Signing and publishing…' : 'Sign and publish request'}</button>
        {submitted && problems.length > 0 && <span class='error' role='alert'>Not sent: fix the {problems.length} problem{problems.length === 1 ? '' : 's'} above.</span>}
      </div>
      {submitted && problems.length > 0 && (
        <ul class='problems summary' aria-label='Every problem at once'>{problems.map((p) => <li key={`${p.field}:${p.code}`} data-code={p.code}>{p.message}</li>)}</ul>
      )}
      <ErrorNote error={apiError} />
      {(apiError as { code?: string } | undefined)?.code === 'WITNESS_QUORUM_UNREACHED' &&
        <p class='error' role='alert' data-code='WITNESS_QUORUM_UNREACHED'>
          Not published: too few of the council's witnesses confirmed the agency's log in time, and relays show no request
          the witnesses have not seen. Nothing was sent to residents. The signed request stays in the public log (it cannot
          be taken out); try again when the witnesses answer.
        </p>}
      <p class='muted'>Publishing signs the request with this agency's key, appends it to the agency's public log, has the log's checkpoint cosigned by the council's witnesses and sends it to the nodes of the area. Residents see it only if it is within these limits.</p>
    </form>
  )
}

export const centerOfCells = (cells: readonly string[]): { lat: number, lng: number } | undefined => {
  if (cells.length === 0) return undefined
  const cs = cells.map(cellCenter)
  return { lat: cs.reduce((n, c) => n + c.lat, 0) / cs.length, lng: cs.reduce((n, c) => n + c.lng, 0) / cs.length }
}

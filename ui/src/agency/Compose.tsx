// Compose a request on the hex map: click cells, or set a center and radius. The limits are checked live
// (the same checks every relay runs) and explained beside the field at fault before anything is sent.
import { useMemo, useState } from 'preact/hooks'
import { gridDisk, latLngToCell } from 'h3-js'
import { AREA_RESOLUTION, LIMITS, areaFromCircle, areaKm2, type Category } from '../../../protocol/index.js'
import type { ApiClient } from '../api/client.js'
import { ErrorNote } from '../components/ui.js'
import { checkDraft, draftBody, type Draft, type Problem } from '../compose/draft.js'
import { HexMap } from '../map/HexMap.js'
import { cellCenter } from '../map/geometry.js'

const nowS = (): number => Math.floor(Date.now() / 1000)

function toLocal (s: number): string {
  const d = new Date(s * 1000)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}
const fromLocal = (v: string): number => Math.floor(new Date(v).getTime() / 1000)

function FieldProblems ({ problems, field, id }: { problems: Problem[], field: keyof Draft, id: string }) {
  const mine = problems.filter((p) => p.field === field)
  if (mine.length === 0) return null
  return <ul class='problems' id={id} role='alert'>{mine.map((p) => <li key={p.code} data-code={p.code}>{p.message}</li>)}</ul>
}

export function Compose ({ api, home, onCreated }: { api: ApiClient, home: { lat: number, lng: number }, onCreated: (id: string) => void }) {
  const start = nowS()
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
  const problems = checkDraft(draft, nowS())
  const candidates = useMemo(() => {
    try {
      return gridDisk(latLngToCell(center.lat, center.lng, AREA_RESOLUTION), 6)
    } catch {
      return [] // a half-typed coordinate: no candidates until it parses
    }
  }, [center.lat, center.lng])
  const area = draft.cells.length > 0 && draft.cells.length <= LIMITS.request.maxCells ? areaKm2(draft.cells) : 0
  const tooLarge = problems.some((p) => p.code === 'AREA_TOO_LARGE')
  const show = (field: keyof Draft): boolean => submitted || field === 'cells' || problems.some((p) => p.field === field && p.code !== 'REQUIRED')

  function useCircle (): void {
    setAreaError(undefined)
    try {
      set('cells', areaFromCircle(center.lat, center.lng, Number(radius)))
    } catch (err) {
      setAreaError((err as Error).message)
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

  return (
    <form class='compose' onSubmit={(e) => { void submit(e) }} noValidate aria-labelledby='compose-h'>
      <h2 id='compose-h'>New request</h2>
      <div class='compose-grid'>
        <div class='form'>
          <label>Case code <input value={draft.caseCode} maxLength={LIMITS.request.maxCaseCodeChars + 10} aria-describedby='p-caseCode' onInput={(e) => { set('caseCode', (e.target as HTMLInputElement).value) }} /></label>
          <FieldProblems problems={visible} field='caseCode' id='p-caseCode' />
          <label>Title <input value={draft.title} aria-describedby='p-title' onInput={(e) => { set('title', (e.target as HTMLInputElement).value) }} /></label>
          <FieldProblems problems={visible} field='title' id='p-title' />
          <label>Category
            <select value={draft.category} onChange={(e) => { set('category', (e.target as HTMLSelectElement).value as Category) /* the options are the categories */ }}>
              {LIMITS.request.categories.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
          <label>Details for residents <textarea rows={4} value={draft.details} aria-describedby='p-details' onInput={(e) => { set('details', (e.target as HTMLTextAreaElement).value) }} /></label>
          <FieldProblems problems={visible} field='details' id='p-details' />
          <fieldset>
            <legend>Footage wanted from (15 min to 12 h, ended, within 30 days)</legend>
            <label>From <input type='datetime-local' value={toLocal(draft.windowStart)} aria-describedby='p-window' onInput={(e) => { set('windowStart', fromLocal((e.target as HTMLInputElement).value)) }} /></label>
            <label>To <input type='datetime-local' value={toLocal(draft.windowEnd)} aria-describedby='p-window' onInput={(e) => { set('windowEnd', fromLocal((e.target as HTMLInputElement).value)) }} /></label>
            <FieldProblems problems={visible} field='windowEnd' id='p-window' />
            <FieldProblems problems={visible} field='windowStart' id='p-window-start' />
          </fieldset>
          <label>Open for, hours (at most 72) <input type='number' min='1' max='200' value={draft.lifetimeHours} aria-describedby='p-life' onInput={(e) => { set('lifetimeHours', Number((e.target as HTMLInputElement).value)) }} /></label>
          <FieldProblems problems={visible} field='lifetimeHours' id='p-life' />
          <label>Keep footage at most, days (at most 365) <input type='number' min='0' max='1000' value={draft.retentionDays} aria-describedby='p-ret' onInput={(e) => { set('retentionDays', Number((e.target as HTMLInputElement).value)) }} /></label>
          <FieldProblems problems={visible} field='retentionDays' id='p-ret' />
        </div>
        <div>
          <fieldset class='area'>
            <legend>Incident area (at most {LIMITS.request.maxAreaKm2} km²)</legend>
            <div class='row'>
              <label>Center latitude <input type='number' step='0.0001' value={center.lat} onInput={(e) => { setCenter({ ...center, lat: Number((e.target as HTMLInputElement).value) }) }} /></label>
              <label>Center longitude <input type='number' step='0.0001' value={center.lng} onInput={(e) => { setCenter({ ...center, lng: Number((e.target as HTMLInputElement).value) }) }} /></label>
              <label>Radius, m <input type='number' min='1' max='5000' value={radius} onInput={(e) => { setRadius((e.target as HTMLInputElement).value) }} /></label>
              <button type='button' onClick={useCircle}>Use center and radius</button>
              <button type='button' onClick={() => { set('cells', []) }}>Clear</button>
            </div>
            {areaError !== undefined && <p class='error' role='alert'>{areaError}</p>}
            <HexMap cells={draft.cells} candidates={candidates} onToggle={toggle} invalid={tooLarge}
              label='Incident area: press Enter or Space on a hexagon, or click it, to add or remove it' />
            <p class={`meter ${tooLarge ? 'bad' : ''}`} role='status' aria-live='polite' data-area={area.toFixed(3)}>
              Area {area.toFixed(2)} km² of {LIMITS.request.maxAreaKm2} km² allowed · {draft.cells.length} cells
            </p>
            <FieldProblems problems={visible} field='cells' id='p-cells' />
          </fieldset>
        </div>
      </div>
      <div class='actions'>
        <button type='submit' class='primary' disabled={busy}>{busy ? 'Signing and publishing…' : 'Sign and publish request'}</button>
        {submitted && problems.length > 0 && <span class='error' role='alert'>Not sent: fix the {problems.length} problem{problems.length === 1 ? '' : 's'} above.</span>}
      </div>
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

// Address search through the node's configured Nominatim-compatible geocoder (GET <url>?q=…&format=jsonv2):
// off unless config `ui.geocoder` names one. The browser asks it directly, so the geocoder learns what was
// searched and from which address (docs/ui.md says so); nothing else about the page goes with it.
import { useState } from 'preact/hooks'
import type { LatLng } from './geometry.js'

interface Place { display_name: string, lat: string, lon: string }

export interface AddressSearchProps {
  geocoder: { url: string, attribution?: string }
  onPick: (place: LatLng & { label: string }) => void
  /** Names the search box for screen readers and tests. @default 'Address' */
  label?: string
}

export function AddressSearch ({ geocoder, onPick, label = 'Address' }: AddressSearchProps) {
  const [q, setQ] = useState('')
  const [found, setFound] = useState<Place[] | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  async function search (): Promise<void> {
    if (q.trim() === '') return
    setBusy(true); setError(undefined); setFound(undefined)
    try {
      const url = new URL(geocoder.url)
      url.search = new URLSearchParams({ q: q.trim(), format: 'jsonv2', limit: '5' }).toString()
      const res = await fetch(url, { headers: { accept: 'application/json' } })
      if (!res.ok) throw new Error(`the geocoder answered ${res.status}`)
      const places = (await res.json() as Place[]).filter((p) => Number.isFinite(Number(p.lat)) && Number.isFinite(Number(p.lon)))
      setFound(places)
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <div class='address-search' role='search'>
      {/* A div, not a form: it sits inside the composer's form, and Enter here must search, not submit. */}
      <div class='row'>
        <label>{label} <input type='search' value={q} maxLength={256} onInput={(e) => { setQ((e.target as HTMLInputElement).value) }}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void search() } }} /></label>
        <button type='button' disabled={busy} onClick={() => { void search() }}>{busy ? 'Searching…' : 'Find'}</button>
      </div>
      {error !== undefined && <p class='error' role='alert'>Address search failed: {error}</p>}
      {found !== undefined && (found.length === 0
        ? <p class='muted' role='status'>No place found for “{q}”.</p>
        : <ul class='places' aria-label='Places found'>{found.map((p) => (
          <li key={`${p.lat},${p.lon}`}><button type='button' onClick={() => { setFound(undefined); onPick({ lat: Number(p.lat), lng: Number(p.lon), label: p.display_name }) }}>{p.display_name}</button></li>
        ))}</ul>)}
      {geocoder.attribution !== undefined && <p class='muted small'>{geocoder.attribution}</p>}
    </div>
  )
}

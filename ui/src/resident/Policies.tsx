// Auto-ignore rules. A policy may only ever ignore a request; nothing is ever shared automatically.
import { useEffect, useState } from 'preact/hooks'
import { LIMITS } from '../../../protocol/index.js'
import type { ApiClient } from '../api/client.js'
import { ErrorNote, Loading, useLoad } from '../components/ui.js'

export function Policies ({ api }: { api: ApiClient }) {
  const policy = useLoad(async () => await api.policy(), [])
  const inbox = useLoad(async () => await api.inbox(), [])
  const [categories, setCategories] = useState<string[]>([])
  const [agencies, setAgencies] = useState<string[]>([])
  const [error, setError] = useState<unknown>()
  const [saved, setSaved] = useState(false)
  useEffect(() => {
    if (policy.data === undefined) return
    setCategories(policy.data.api.ignoreCategories); setAgencies(policy.data.api.ignoreAgencies)
  }, [policy.data])
  const known = new Map((inbox.data ?? []).map((i) => [i.agency, i.agencyName]))
  for (const a of agencies) if (!known.has(a)) known.set(a, a)
  const toggle = (list: string[], value: string, on: boolean): string[] => on ? [...new Set([...list, value])] : list.filter((v) => v !== value)
  const fromConfig = policy.data?.config

  async function save (e: Event): Promise<void> {
    e.preventDefault(); setError(undefined); setSaved(false)
    try {
      await api.setPolicy({ ignoreCategories: categories, ignoreAgencies: agencies })
      setSaved(true); policy.reload()
    } catch (err) { setError(err) }
  }

  return (
    <section aria-labelledby='pol-h'>
      <h2 id='pol-h'>Policies</h2>
      <p class='muted'>Requests matching these rules are ignored on arrival. Policies can only ignore: sharing always needs you.</p>
      {policy.loading && <Loading what='policies' />}
      <ErrorNote error={policy.error} />
      <form class='form' onSubmit={(e) => { void save(e) }}>
        <fieldset>
          <legend>Ignore requests in these categories</legend>
          {LIMITS.request.categories.map((c) => (
            <label class='check' key={c}>
              <input type='checkbox' checked={categories.includes(c) || fromConfig?.ignoreCategories.includes(c) === true}
                disabled={fromConfig?.ignoreCategories.includes(c) === true}
                onChange={(e) => { setCategories(toggle(categories, c, (e.target as HTMLInputElement).checked)) }} /> {c}
              {fromConfig?.ignoreCategories.includes(c) === true && <span class='muted'> (set in config.json)</span>}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Ignore requests from these agencies</legend>
          {known.size === 0 && <p class='muted'>Agencies appear here once one of their requests reached you.</p>}
          {[...known].map(([address, name]) => (
            <label class='check' key={address}>
              <input type='checkbox' checked={agencies.includes(address)} onChange={(e) => { setAgencies(toggle(agencies, address, (e.target as HTMLInputElement).checked)) }} /> {name} <code>{address}</code>
            </label>
          ))}
        </fieldset>
        <div class='actions'><button type='submit' class='primary'>Save policies</button></div>
        <ErrorNote error={error} />
        {saved && <p class='ok' role='status'>Saved. They apply to requests that arrive from now on.</p>}
      </form>
    </section>
  )
}

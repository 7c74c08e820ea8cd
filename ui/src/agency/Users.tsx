// The agency's users (admins only: node/agency/users.ts): add one (their credential and a sign-in link shown
// this once), list them, disable one. Their id is a pseudonym (a badge number): the public log records it
// as the actor of every access, share and deletion, so the form says so.
import { useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import type { CreatedUser, UserRole, UserView } from '../api/types.js'
import { Confirm, ErrorNote, Loading, useLoad } from '../components/ui.js'
import { formatTime } from '../components/time.js'

const ROLES: Array<{ role: UserRole, label: string, may: string }> = [
  { role: 'investigator', label: 'Investigator', may: 'lists deliveries, opens footage, exports evidence, proposes shares' },
  { role: 'supervisor', label: 'Supervisor', may: 'also approves shares and deletes footage' },
  { role: 'admin', label: 'Admin', may: 'also adds and disables users' }
]
const ID_PATTERN = '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}'
const when = (iso: string): string => formatTime(Math.floor(Date.parse(iso) / 1000), { zone: undefined })

function Created ({ created, onDone }: { created: CreatedUser, onDone: () => void }) {
  // The token in the fragment, which the browser never sends (ui/src/session/token.ts), as a paired phone's.
  const link = `${location.origin}/#token=${created.token}`
  return (
    <div role='region' aria-labelledby='user-done-h'>
      <h3 id='user-done-h'>{created.user.id} can sign in</h3>
      <p>Give them this link (or the credential alone, for the CLI or the API):</p>
      <p><code style={{ overflowWrap: 'anywhere' }}>{link}</code></p>
      <p class='muted'>Shown this once: the node keeps only a hash of the credential.</p>
      <div class='actions'><button type='button' onClick={onDone}>Done</button></div>
    </div>
  )
}

export function Users ({ api }: { api: ApiClient }) {
  const users = useLoad(async () => await api.users(), [])
  const [id, setId] = useState('')
  const [role, setRole] = useState<UserRole>('investigator')
  const [created, setCreated] = useState<CreatedUser>()
  const [disabling, setDisabling] = useState<UserView>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()

  async function add (e: Event): Promise<void> {
    e.preventDefault(); setError(undefined); setBusy(true)
    try {
      setCreated(await api.addUser(id.trim(), role))
      setId('')
      users.reload()
    } catch (err) { setError(err) } finally { setBusy(false) }
  }

  async function disable (user: UserView): Promise<void> {
    setError(undefined); setBusy(true)
    try {
      await api.disableUser(user.id)
      setDisabling(undefined)
      users.reload()
    } catch (err) { setError(err) } finally { setBusy(false) }
  }

  return (
    <section aria-labelledby='users-h'>
      <h2 id='users-h'>Users</h2>
      <p class='muted'>Each user signs in with a credential of their own. The public log names them by their id in every
        access, share and deletion: use a pseudonym such as a badge number, never a name.</p>
      {created === undefined
        ? (
          <form class='form' onSubmit={(e) => { void add(e) }}>
            <label>Id (badge number) <input value={id} required maxLength={64} pattern={ID_PATTERN} autocomplete='off'
              aria-describedby='user-id-help' onInput={(e) => { setId((e.target as HTMLInputElement).value) }} /></label>
            <p id='user-id-help' class='muted'>Letters, digits, “.”, “_” and “-”. An id is never given twice, even after its user is disabled.</p>
            <fieldset>
              <legend>Role</legend>
              {ROLES.map((r) => (
                <label key={r.role}><input type='radio' name='user-role' value={r.role} checked={role === r.role} onChange={() => { setRole(r.role) }} /> {r.label}: <span class='muted'>{r.may}</span></label>
              ))}
            </fieldset>
            <div class='actions'><button type='submit' class='primary' disabled={busy || id.trim() === ''}>Add user</button></div>
          </form>
          )
        : <Created created={created} onDone={() => { setCreated(undefined) }} />}
      <ErrorNote error={error} />
      {users.loading && <Loading what='users' />}
      <ErrorNote error={users.error} />
      {users.data !== undefined && users.data.length === 0 && <p class='muted'>No users yet: only the node's own token opens this console.</p>}
      {users.data !== undefined && users.data.length > 0 && (
        <table>
          <thead><tr><th scope='col'>Id</th><th scope='col'>Role</th><th scope='col'>Added</th><th scope='col'>Status</th><th scope='col'><span class='sr-only'>Actions</span></th></tr></thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td><code>{u.id}</code></td><td>{u.role}</td><td>{when(u.createdAt)}</td>
                <td>{u.disabledAt === undefined ? 'active' : `disabled ${when(u.disabledAt)}`}</td>
                <td>{u.disabledAt === undefined && <button type='button' onClick={() => { setDisabling(u) }}>Disable<span class='sr-only'> {u.id}</span></button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {disabling !== undefined && (
        <Confirm title={`Disable ${disabling.id}?`} confirmLabel='Disable' busy={busy} onConfirm={() => { void disable(disabling) }} onCancel={() => { setDisabling(undefined) }}>
          <p>Their next request is refused and what they have open ends. The id stays theirs in the log and is never given to anyone else.</p>
        </Confirm>
      )}
    </section>
  )
}

/** Shares investigators proposed, for a supervisor to approve (then logged, naming both) or reject. */
export function ShareApprovals ({ api }: { api: ApiClient }) {
  const proposals = useLoad(async () => await api.shareProposals(), [])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [done, setDone] = useState<string>()

  async function act (proposal: string, approve: boolean): Promise<void> {
    setError(undefined); setDone(undefined); setBusy(true)
    try {
      if (approve) setDone(`Approved: logged as entry ${(await api.approveShare(proposal)).logIndex}.`)
      else { await api.rejectShare(proposal); setDone('Rejected: nothing was logged.') }
      proposals.reload()
    } catch (err) { setError(err) } finally { setBusy(false) }
  }

  return (
    <section aria-labelledby='approvals-h'>
      <h2 id='approvals-h'>Shares waiting for approval</h2>
      <p class='muted'>An investigator's share of footage with anyone outside the agency waits here for a supervisor. Approved, it
        is logged publicly naming who proposed it and who approved it.</p>
      {done !== undefined && <p role='status'>{done}</p>}
      <ErrorNote error={error} />
      {proposals.loading && <Loading what='proposed shares' />}
      <ErrorNote error={proposals.error} />
      {proposals.data !== undefined && proposals.data.length === 0 && <p class='muted'>No share is waiting.</p>}
      {proposals.data !== undefined && proposals.data.length > 0 && (
        <table>
          <thead><tr><th scope='col'>Clip</th><th scope='col'>Recipient</th><th scope='col'>Legal basis</th><th scope='col'>Proposed by</th><th scope='col'>When</th><th scope='col'><span class='sr-only'>Actions</span></th></tr></thead>
          <tbody>
            {proposals.data.map((p) => (
              <tr key={p.id}>
                <td><code style={{ overflowWrap: 'anywhere' }}>{p.clip}</code></td><td style={{ overflowWrap: 'anywhere' }}>{p.recipient}</td><td>{p.legalBasis === '' ? '(a registered agency)' : p.legalBasis}</td>
                <td><code>{p.proposedBy}</code></td><td>{formatTime(p.proposedAt, { zone: undefined })}</td>
                <td>
                  <button type='button' class='primary' disabled={busy} onClick={() => { void act(p.id, true) }}>Approve<span class='sr-only'> share with {p.recipient}</span></button>{' '}
                  <button type='button' disabled={busy} onClick={() => { void act(p.id, false) }}>Reject<span class='sr-only'> share with {p.recipient}</span></button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

// Entry: take the token from the address (or this tab's storage), ask the node who it is, and show the
// page of its role.
import { render } from 'preact'
import { useEffect, useLayoutEffect, useState } from 'preact/hooks'
import { ApiError, createApiClient, type ApiClient } from './api/client.js'
import { LiveContext, useLiveConnection } from './api/live.js'
import type { NodeView, Role } from './api/types.js'
import { ErrorNote, Loading } from './components/ui.js'
import { forgetToken, storeToken, takeToken } from './session/token.js'
import { ResidentApp } from './resident/ResidentApp.js'
import { AgencyApp } from './agency/AgencyApp.js'
import { AuditorApp } from './auditor/AuditorApp.js'
import './styles.css'

const roleTitle: Record<Role, string> = { resident: 'Resident', agency: 'Agency console', auditor: 'Auditor', witness: 'Witness', relay: 'Relay' }

/**
 * No token, or one the node refused (a mistyped link, a node set up again, a paired device revoked): what to
 * do, in words, instead of the API's error over an empty page.
 */
function TokenForm ({ onToken, rejected }: { onToken: (token: string) => void, rejected: boolean }) {
  const [value, setValue] = useState('')
  return (
    <form class='form narrow' data-token-page={rejected ? 'rejected' : 'missing'} onSubmit={(e) => { e.preventDefault(); if (value.trim() !== '') onToken(value.trim()) }}>
      <h2>{rejected ? 'This node did not accept the link\'s token' : 'Sign in to this node'}</h2>
      {rejected && <p role='alert'>The token in the address you opened (or pasted) is not this node's: it may be from another node, from before the node was set up again, or from a device whose access was revoked.</p>}
      <p>To open this node's page:</p>
      <ol>
        <li>Open the address the node printed when it started (it ends in <code>#token=…</code>), or</li>
        <li>on the computer that runs the node, run <code>porchlight ui-link --dir <var>NODE-FOLDER</var></code> and open the address it prints, or</li>
        <li>paste the token from the node's <code>api-token</code> file below.</li>
      </ol>
      <p class='muted'>A phone or tablet whose access was revoked is paired again from the node's Devices tab.</p>
      <label>API token <input type='password' autoComplete='off' value={value} onInput={(e) => { setValue((e.target as HTMLInputElement).value) }} /></label>
      <div class='actions'><button type='submit' class='primary'>Continue</button></div>
    </form>
  )
}

function App () {
  const [token, setToken] = useState(() => takeToken({ location: window.location, history: window.history, storage: window.sessionStorage }))
  const [node, setNode] = useState<NodeView | undefined>()
  const [error, setError] = useState<unknown>()
  const [rejected, setRejected] = useState(false)
  const api: ApiClient | undefined = token === undefined ? undefined : createApiClient({ token })
  useEffect(() => {
    createApiClient({ token: '' }).node().then(setNode, setError)
  }, [])
  // The token is tried once before any page shows (GET /api/node/self needs it; it also gives a resident's
  // name, which GET /api/node leaves out): a refused one shows what to do, not the inbox with an error.
  const [self, setSelf] = useState<NodeView | undefined>()
  useEffect(() => {
    if (node === undefined || api === undefined) return
    setSelf(undefined)
    api.self().then(setSelf, (err) => {
      if (err instanceof ApiError && err.status === 401) { forgetToken(window.sessionStorage); setToken(undefined); setRejected(true) } else setError(err)
    })
  }, [node, token])
  const name = node?.name ?? self?.name
  // Residents and agencies have live events; an auditor's page reads its report on a timer.
  const live = useLiveConnection(token, node?.role === 'resident' || node?.role === 'agency')
  const unread = node?.role === 'resident' ? live.unread : undefined
  // A layout effect, so the title changes in the same commit as the header: nothing can see one without the other.
  useLayoutEffect(() => {
    if (node !== undefined) document.title = (unread === undefined || unread === 0 ? '' : `(${unread}) `) + ['Porchlight', roleTitle[node.role], ...(name === undefined ? [] : [name])].join(' · ')
  }, [node, name, unread])
  return (
    <>
      <header class='top'>
        <div class='brand'><span class='logo' aria-hidden='true'>◆</span> Porchlight</div>
        {node !== undefined && <div class='who'><span class={`role role-${node.role}`}>{roleTitle[node.role]}</span> {name !== undefined && <span data-node-name>{name}</span>}
          {unread !== undefined && unread > 0 && <span class='unread-badge' role='status' data-unread={unread}>{unread} unread</span>}</div>}
      </header>
      <LiveContext.Provider value={live.events}>
      <main id='main'>
        <ErrorNote error={error} />
        {node === undefined && error === undefined && <Loading what='this node' />}
        {node !== undefined && api === undefined && <TokenForm rejected={rejected} onToken={(t) => { storeToken(window.sessionStorage, t); setToken(t) }} />}
        {node !== undefined && api !== undefined && self === undefined && error === undefined && <Loading what='your access' />}
        {node !== undefined && api !== undefined && self !== undefined && node.role === 'resident' && <ResidentApp api={api} />}
        {node !== undefined && api !== undefined && self !== undefined && node.role === 'agency' && <AgencyApp api={api} node={node} />}
        {node !== undefined && api !== undefined && self !== undefined && node.role === 'auditor' && <AuditorApp api={api} />}
      </main>
      </LiveContext.Provider>
    </>
  )
}

render(<App />, document.getElementById('app')!)

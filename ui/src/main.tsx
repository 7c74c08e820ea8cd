// Entry: take the token from the address (or this tab's storage), ask the node who it is, and show the
// page of its role.
import { render } from 'preact'
import { useEffect, useLayoutEffect, useState } from 'preact/hooks'
import { createApiClient, type ApiClient } from './api/client.js'
import { LiveContext, useLiveConnection } from './api/live.js'
import type { NodeView, Role } from './api/types.js'
import { ErrorNote, Loading } from './components/ui.js'
import { storeToken, takeToken } from './session/token.js'
import { ResidentApp } from './resident/ResidentApp.js'
import { AgencyApp } from './agency/AgencyApp.js'
import { AuditorApp } from './auditor/AuditorApp.js'
import './styles.css'

const roleTitle: Record<Role, string> = { resident: 'Resident', agency: 'Agency console', auditor: 'Auditor', witness: 'Witness', relay: 'Relay' }

function TokenForm ({ onToken }: { onToken: (token: string) => void }) {
  const [value, setValue] = useState('')
  return (
    <form class='form narrow' onSubmit={(e) => { e.preventDefault(); if (value.trim() !== '') onToken(value.trim()) }}>
      <h2>Sign in to this node</h2>
      <p class='muted'>Open the address the node printed (it carries the token), or paste the token from the node's <code>api-token</code> file.</p>
      <label>API token <input type='password' autoComplete='off' value={value} onInput={(e) => { setValue((e.target as HTMLInputElement).value) }} /></label>
      <div class='actions'><button type='submit' class='primary'>Continue</button></div>
    </form>
  )
}

function App () {
  const [token, setToken] = useState(() => takeToken({ location: window.location, history: window.history, storage: window.sessionStorage }))
  const [node, setNode] = useState<NodeView | undefined>()
  const [error, setError] = useState<unknown>()
  const api: ApiClient | undefined = token === undefined ? undefined : createApiClient({ token })
  useEffect(() => {
    createApiClient({ token: '' }).node().then(setNode, setError)
  }, [])
  // A resident's name is not public (GET /api/node leaves it out): once signed in, ask for it with the token.
  const [self, setSelf] = useState<NodeView | undefined>()
  useEffect(() => {
    if (node === undefined || api === undefined || node.name !== undefined) return
    api.self().then(setSelf, setError)
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
        {node !== undefined && api === undefined && <TokenForm onToken={(t) => { storeToken(window.sessionStorage, t); setToken(t) }} />}
        {node !== undefined && api !== undefined && node.role === 'resident' && <ResidentApp api={api} />}
        {node !== undefined && api !== undefined && node.role === 'agency' && <AgencyApp api={api} node={node} />}
        {node !== undefined && api !== undefined && node.role === 'auditor' && <AuditorApp api={api} />}
      </main>
      </LiveContext.Provider>
    </>
  )
}

render(<App />, document.getElementById('app')!)

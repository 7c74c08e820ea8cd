import { useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import type { NodeView } from '../api/types.js'
import { Panel, Tabs, useLoad } from '../components/ui.js'
import { Compose, centerOfCells } from './Compose.js'
import { Log } from './Log.js'
import { Requests } from './Requests.js'
import { Devices } from '../devices/Devices.js'
import { ShareApprovals, Users } from './Users.js'

const tabs = [{ id: 'requests', label: 'Requests' }, { id: 'compose', label: 'New request' }, { id: 'log', label: 'Public log' }, { id: 'devices', label: 'Devices' }]
// Shown to the roles that may use them (the node refuses the others anyway: ROLE_REQUIRED).
const supervisorTabs = [{ id: 'approvals', label: 'Approvals' }]
const adminTabs = [{ id: 'users', label: 'Users' }]

export function AgencyApp ({ api, node }: { api: ApiClient, node: NodeView }) {
  const [tab, setTab] = useState('requests')
  const [selected, setSelected] = useState<string | undefined>()
  const me = useLoad(async () => await api.me().catch(() => undefined), [])
  const role = me.data?.role
  const shown = [...tabs, ...(role === 'supervisor' || role === 'admin' ? supervisorTabs : []), ...(role === 'admin' ? adminTabs : [])]
  // The map opens where this agency last asked, else in its jurisdiction (Compose reads it from GET /api/ui).
  const requests = useLoad(async () => await api.requests().catch(() => []), [tab])
  const last = [...(requests.data ?? [])].sort((a, b) => b.request.message.issuedAt - a.request.message.issuedAt)[0]
  const center = last === undefined ? undefined : centerOfCells(last.request.message.cells)
  const home = center === undefined ? undefined : { lat: Number(center.lat.toFixed(5)), lng: Number(center.lng.toFixed(5)) }
  return (
    <>
      <Tabs tabs={shown} current={tab} onSelect={setTab} />
      <Panel id={tab}>
        {tab === 'requests' && <Requests api={api} selected={selected} onSelect={setSelected} />}
        {tab === 'compose' && !requests.loading && <Compose api={api} home={home} onCreated={(id) => { setSelected(id); setTab('requests') }} />}
        {tab === 'log' && node.address !== undefined && <Log api={api} agency={node.address} />}
        {tab === 'devices' && <Devices api={api} />}
        {tab === 'approvals' && <ShareApprovals api={api} />}
        {tab === 'users' && role === 'admin' && <Users api={api} />}
      </Panel>
    </>
  )
}

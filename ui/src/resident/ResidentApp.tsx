import { useState } from 'preact/hooks'
import type { ApiClient } from '../api/client.js'
import type { CameraView } from '../api/types.js'
import { Panel, Tabs, useLoad } from '../components/ui.js'
import { Devices } from '../devices/Devices.js'
import { Cameras } from './Cameras.js'
import { Clips } from './Clips.js'
import { Inbox } from './Inbox.js'
import { Policies } from './Policies.js'
import { Shares } from './Shares.js'

const tabs = [{ id: 'inbox', label: 'Inbox' }, { id: 'shares', label: 'Shares' }, { id: 'clips', label: 'Clips' }, { id: 'cameras', label: 'Cameras' }, { id: 'policies', label: 'Policies' }, { id: 'devices', label: 'Devices' }]

export function ResidentApp ({ api }: { api: ApiClient }) {
  const [tab, setTab] = useState('inbox')
  const [version, setVersion] = useState(0)
  // The cameras' positions come only from this resident's own node; a node without the route shows none.
  const cameras = useLoad(async () => await api.cameras().catch((): CameraView[] => []), [])
  const cams = cameras.data ?? []
  return (
    <>
      <Tabs tabs={tabs} current={tab} onSelect={setTab} />
      <Panel id={tab}>
        {tab === 'inbox' && <Inbox api={api} cameras={cams} onShared={() => { setVersion((v) => v + 1) }} />}
        {tab === 'shares' && <Shares api={api} version={version} />}
        {tab === 'clips' && <Clips api={api} cameras={cams} />}
        {tab === 'cameras' && <Cameras api={api} onChanged={cameras.reload} />}
        {tab === 'policies' && <Policies api={api} />}
        {tab === 'devices' && <Devices api={api} />}
      </Panel>
    </>
  )
}

// The resident's notice of a new requester (issue 21): when the council has scheduled a registration (or a
// jurisdiction change) whose cells cover one of this household's cameras, the node says so during the notice
// period, while there is time to object. Computed here, on the node: it reads the public schedule from the
// chain (the same logs every node can read, asked for without any filter that names a place) and compares it
// with the cameras it keeps; no camera position and no match leaves the node.
import { cellToParent, latLngToCell } from 'h3-js'
import type { CameraList } from '../cameras/camera-book.js'
import type { ChainService } from '../chain/chain-service.js'
import { findCouncilTimelock, readPendingChanges } from '../chain/council.js'
import { LIMITS } from '../../protocol/limits/index.js'
import type { NodeComponents, NodeService, ServiceRoutes } from '../service.js'
import type { CouncilNotice, CouncilNoticesView } from '../../protocol/api/council.js'

export interface CouncilNotices extends NodeService {
  read (): Promise<CouncilNoticesView>
}

/** The jurisdiction cells (res 5–7) a camera at lat/lng lies in: one per resolution. */
export function cameraCells (lat: number, lng: number): Set<string> {
  const fine = latLngToCell(lat, lng, LIMITS.jurisdiction.maxCellResolution)
  const cells = new Set<string>()
  for (let res = LIMITS.jurisdiction.minCellResolution; res <= LIMITS.jurisdiction.maxCellResolution; res++) cells.add(cellToParent(fine, res))
  return cells
}

export type CouncilNoticesComponents = Pick<NodeComponents, 'logger'> & { chain: ChainService, cameras: CameraList }

export function councilNotices (): (components: CouncilNoticesComponents) => CouncilNotices {
  return ({ chain, cameras, logger }) => {
    const log = logger.child({ component: 'council-notices' })
    // Each notice is logged once: the household's operator sees it in the node's log as well as the page.
    const told = new Set<string>()
    return {
      async read () {
      const client = chain.client
      if (client === undefined) return { noticeSeconds: null, notices: [] }
      const { provider, deployment } = client
      const council = await findCouncilTimelock(provider, deployment.contracts.AgencyRegistry)
      if (council === undefined) return { noticeSeconds: null, notices: [] }
      const changes = await readPendingChanges(provider, { timelock: council.timelock, contracts: deployment.contracts, fromBlock: deployment.deployBlock ?? 0 })
      const mine = cameras.list().map((c) => ({ name: c.name, cells: cameraCells(c.lat, c.lng) }))
      const notices: CouncilNotice[] = []
      for (const change of changes) {
        const { method, args } = change.action
        if (change.action.contract !== 'AgencyRegistry' || (method !== 'register' && method !== 'update')) continue
        const jurisdiction = new Set(args.cells as string[])
        const inside = mine.filter((c) => [...c.cells].some((cell) => jurisdiction.has(cell))).map((c) => c.name)
        if (inside.length === 0) continue
        notices.push({ id: change.id, method, agency: args.agency as string, name: args.name as string, readyAt: change.readyAt, cameras: inside })
        if (!told.has(change.id)) {
          told.add(change.id)
          log.warn({ agency: args.agency, name: args.name, method, readyAt: change.readyAt, cameras: inside }, 'the council has scheduled a registration that covers this household\'s cameras')
        }
      }
      return { noticeSeconds: council.noticeSeconds, notices }
      }
    }
  }
}

export function councilNoticesRoutes (notices: CouncilNotices): ServiceRoutes {
  return async (app) => {
    app.get('/api/council/notices', {
      schema: { summary: "Pending registrations or jurisdiction changes that would cover one of this household's cameras (computed on this node)" }
    }, async (): Promise<CouncilNoticesView> => await notices.read())
  }
}

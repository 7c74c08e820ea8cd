// The council's pending changes, as the public sees them during the notice period (issue 21): every call
// scheduled on the council's timelock and not yet executed or cancelled, decoded (a registration names the
// agency, its name, its cells and its validity). The auditor publishes them beside its report; the timelock
// is found from the registry's own admin (findCouncilTimelock), so no file has to say where it is.
import type { ChainService } from '../chain/chain-service.js'
import { findCouncilTimelock, readPendingChanges } from '../chain/council.js'
import type { NodeComponents, NodeService, ServiceRoutes } from '../service.js'
import type { PendingChangesView } from '../../protocol/api/council.js'

export interface PendingChanges extends NodeService {
  read (): Promise<PendingChangesView>
}

export type PendingChangesComponents = Pick<NodeComponents, 'logger'> & { chain: ChainService }

/** Reads the pending changes from the node's chain; no chain, no changes. */
export function pendingChanges (): (components: PendingChangesComponents) => PendingChanges {
  return ({ chain }) => ({
    async read () {
      const client = chain.client
      if (client === undefined) return { timelock: null, noticeSeconds: null, chainTime: Math.floor(Date.now() / 1000), changes: [] }
      const { provider, deployment } = client
      const chainTime = (await provider.getBlock('latest'))!.timestamp
      const council = await findCouncilTimelock(provider, deployment.contracts.AgencyRegistry)
      if (council === undefined) return { timelock: null, noticeSeconds: null, chainTime, changes: [] }
      const changes = await readPendingChanges(provider, { timelock: council.timelock, contracts: deployment.contracts, fromBlock: deployment.deployBlock ?? 0 })
      return { timelock: council.timelock, noticeSeconds: council.noticeSeconds, chainTime, changes }
    }
  })
}

export function pendingChangesRoutes (pending: PendingChanges): ServiceRoutes {
  return async (app) => {
    app.get('/api/council/pending', {
      config: { public: true },
      schema: { summary: "The council's changes waiting their notice period (registrations, jurisdiction changes, reinstatements, witness-set changes)" }
    }, async (): Promise<PendingChangesView> => await pending.read())
  }
}

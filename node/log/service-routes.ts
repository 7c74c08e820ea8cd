// The agency log service's HTTP routes, mounted by the node: the log itself (C2SP tiles, public) and its
// anchor history beside what the chain says.
import type { ServiceRoutes } from '../service.js'
import { anchorRoutes } from './anchor-history.js'
import { logRoutes } from './log-routes.js'
import type { AgencyLogService } from './service.js'

export function agencyLogRoutes (service: AgencyLogService): ServiceRoutes {
  return async (app) => {
    await app.register(logRoutes(() => service.log, () => service.checkpointNote()))
    await app.register(anchorRoutes({
      records: async () => (await service.anchorer?.anchors()) ?? [],
      onChain: async () => {
        const client = service.chain.client
        return client === undefined ? undefined : await client.getAnchors(client.address)
      },
      blockTime: async (n) => (await service.chain.client?.provider.getBlock(n))?.timestamp ?? 0
    }))
  }
}

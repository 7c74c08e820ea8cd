// Readiness as a service: what /readyz checks on this node (libp2p listening, the agency's log open, the
// configured chain reachable), from the services a role declares it with. Its routes are routes.ts.
import type { ChainService } from '../chain/chain-service.js'
import type { AgencyLogService } from '../log/service.js'
import type { NodeComponents, NodeService } from '../service.js'
import { nodeChecks } from './node-checks.js'
import type { ReadinessCheck } from './readiness.js'

export interface HealthService extends NodeService {
  readonly checks: readonly ReadinessCheck[]
}

export type HealthComponents = Pick<NodeComponents, 'config' | 'libp2p'> & { chain: ChainService, log?: Pick<AgencyLogService, 'log'> }

export function healthService (): (components: HealthComponents) => HealthService {
  return ({ config, libp2p, chain, log }) => ({
    checks: nodeChecks({
      libp2p,
      ...(log === undefined ? {} : { log }),
      // A node with a chain configured is not ready without it: residents and agencies validate against its registry.
      ...(config.chain === undefined ? {} : { chainRpc: async () => chain.endpoint?.rpc })
    })
  })
}

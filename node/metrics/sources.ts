// Finds the figures' sources among a node's services by what they are, not by the names a role gave them.
// (Once services are declared in roles.ts with one `chain` service, this becomes that service's components.)
import type { NodeConfig } from '../config/index.js'
import type { NodeService } from '../service.js'
import { ChainClient } from '../chain/index.js'
import { RequestNetwork } from '../network/index.js'
import { ResidentInbox } from '../resident/index.js'
import { AgencyFootage } from '../footage/agency-footage.js'
import type { AgencyLogService } from '../log/index.js'
import type { MetricSources } from './node-metrics.js'

function isLogService (s: NodeService): s is AgencyLogService {
  return 'anchorer' in s && 'log' in s
}

export function metricSourcesOf (config: NodeConfig, services: Record<string, NodeService>): MetricSources {
  const all = Object.values(services)
  const network = all.find((s): s is RequestNetwork => s instanceof RequestNetwork)
  const inbox = all.find((s): s is ResidentInbox => s instanceof ResidentInbox)
  const footage = all.find((s): s is AgencyFootage => s instanceof AgencyFootage)
  const log = all.find(isLogService)
  return {
    config,
    ...(network === undefined ? {} : { network }),
    ...(inbox === undefined ? {} : { inbox }),
    ...(footage === undefined ? {} : { footage }),
    ...(log === undefined ? {} : { log }),
    chainClients: () => chainClientsOf(all)
  }
}

/** The chain clients services made and expose as `chainClient` (the log, the request network, the auditor). */
export function chainClientsOf (services: Iterable<NodeService>): ChainClient[] {
  const clients = new Set<ChainClient>()
  for (const s of services) {
    const client = (s as { chainClient?: unknown }).chainClient
    if (client instanceof ChainClient) clients.add(client)
  }
  return [...clients]
}

// What an agency node runs: its public log (served, anchored), the request network (it relays and
// validates like every node, and answers catch-up questions) and the request desk, which logs every
// request in that log and whose live announcements the network serves on catch-up.
import { agencyLog, type AgencyLogService, type AgencyLogServiceInit } from '../log/index.js'
import { requestNetwork, type RequestNetwork, type RequestNetworkInit } from '../network/index.js'
import type { NodeServiceFactories } from '../service.js'
import { agencyRequests, type AgencyRequests, type AgencyRequestsInit } from './service.js'

export interface AgencyServicesInit {
  log?: AgencyLogServiceInit
  network?: RequestNetworkInit
  requests?: AgencyRequestsInit
}

export interface AgencyServices {
  log: AgencyLogService
  network: RequestNetwork
  requests: AgencyRequests
  [name: string]: AgencyLogService | RequestNetwork | AgencyRequests
}

export function agencyServices (init: AgencyServicesInit = {}): NodeServiceFactories<AgencyServices> {
  let log: AgencyLogService | undefined
  let network: RequestNetwork | undefined
  return {
    // Services start in this order: the log is open before the desk can append to it.
    log: (components) => (log = agencyLog(init.log)(components)),
    network: (components) => (network = requestNetwork(init.network)(components)),
    requests: (components) => {
      if (network === undefined) throw new Error('agencyServices: the network service must be built first')
      const requests = agencyRequests({ log: () => log?.log, ...init.requests })(components)
      network.addSource(requests)
      return requests
    }
  }
}

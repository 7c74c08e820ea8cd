// What an agency node runs: the request network (it relays and validates like every node, and answers
// catch-up questions) and the request desk, whose live announcements the network serves on catch-up.
import { requestNetwork, type RequestNetwork, type RequestNetworkInit } from '../network/index.js'
import type { NodeServiceFactories } from '../service.js'
import { agencyRequests, type AgencyRequests, type AgencyRequestsInit } from './service.js'

export interface AgencyServicesInit {
  network?: RequestNetworkInit
  requests?: AgencyRequestsInit
}

export interface AgencyServices {
  network: RequestNetwork
  requests: AgencyRequests
  [name: string]: RequestNetwork | AgencyRequests
}

export function agencyServices (init: AgencyServicesInit = {}): NodeServiceFactories<AgencyServices> {
  let network: RequestNetwork | undefined
  return {
    network: (components) => (network = requestNetwork(init.network)(components)),
    requests: (components) => {
      if (network === undefined) throw new Error('agencyServices: the network service must be built first')
      const requests = agencyRequests(init.requests)(components)
      network.addSource(requests)
      return requests
    }
  }
}

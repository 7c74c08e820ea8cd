// What a resident node runs: the request network (validating relay) and the inbox on top of it.
import type { NodeServiceFactories } from '../service.js'
import { requestNetwork, type RequestNetwork, type RequestNetworkInit } from '../network/index.js'
import { residentInbox, type ResidentInbox, type ResidentInboxInit } from './inbox.js'

export type ResidentServices = { network: RequestNetwork, inbox: ResidentInbox }

export interface ResidentServicesInit {
  network?: RequestNetworkInit
  inbox?: ResidentInboxInit
}

/** The network is built first (services are built and started in this order) and handed to the inbox. */
export function residentServices (init: ResidentServicesInit = {}): NodeServiceFactories<ResidentServices> {
  let network: RequestNetwork | undefined
  return {
    network: (components) => (network = requestNetwork(init.network)(components)),
    inbox: (components) => {
      if (network === undefined) throw new Error('residentServices: the network service must be built first')
      return residentInbox(init.inbox)({ ...components, network })
    }
  }
}

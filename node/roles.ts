// What each role runs on top of the common node. The request, footage and audit issues add their services
// here (and the request id as gossip message id); `porchlight start` and the simulator both read it.
import type { Role } from './config/index.js'
import type { MessageIdFn } from './p2p/index.js'
import type { NodeService, NodeServiceFactories } from './service.js'
import { announcementMessageId, type RequestNetworkInit } from './network/index.js'
import { agencyServices, type AgencyServicesInit } from './agency/index.js'
import { auditorService } from './auditor/index.js'
import { residentFootageServices } from './footage/resident-role.js'

export interface RoleSetup {
  services: NodeServiceFactories<Record<string, NodeService>>
  messageId?: MessageIdFn
}

export interface RoleSetupInit {
  /**
   * The request network's options (resident and agency roles): a simulator hands a thousand nodes one shared
   * registry view instead of a chain client each.
   */
  network?: RequestNetworkInit
  /** The agency role's other options (a config-only node names its request-identity folder here). */
  agency?: Omit<AgencyServicesInit, 'network'>
}

export function roleSetup (role: Role, init: RoleSetupInit = {}): RoleSetup {
  const network = init.network === undefined ? {} : { network: init.network }
  switch (role) {
    case 'resident': return { services: residentFootageServices(network), messageId: announcementMessageId }
    case 'agency': return { services: agencyServices({ ...init.agency, ...network }), messageId: announcementMessageId }
    case 'auditor': return { services: { auditor: auditorService() }, messageId: announcementMessageId }
  }
}

// What each role runs on top of the common node. The request, footage and audit issues add their services
// here (and the request id as gossip message id); `porchlight start` and the simulator both read it.
import type { Role } from './config/index.js'
import type { MessageIdFn } from './p2p/index.js'
import type { NodeService, NodeServiceFactories } from './service.js'
import { announcementMessageId } from './network/index.js'
import { agencyServices } from './agency/index.js'
import { auditorService } from './auditor/index.js'
import { residentFootageServices } from './footage/resident-role.js'

export interface RoleSetup {
  services: NodeServiceFactories<Record<string, NodeService>>
  messageId?: MessageIdFn
}

export function roleSetup (role: Role): RoleSetup {
  switch (role) {
    case 'resident': return { services: residentFootageServices(), messageId: announcementMessageId }
    case 'agency': return { services: agencyServices(), messageId: announcementMessageId }
    case 'auditor': return { services: { auditor: auditorService() }, messageId: announcementMessageId }
  }
}

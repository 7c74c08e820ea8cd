// The shape of a role service (the agency's request desk, a resident's inbox, the auditor …), after
// libp2p's: `feature(init)` returns a factory that the node calls with the components the service uses;
// the node starts services in the order given and stops them in reverse, in one place.
import type { PeerId } from '@libp2p/interface'
import type { NodeConfig, NodeKeys } from './config/index.js'
import type { Store } from './storage/index.js'
import type { PorchlightLibp2p } from './p2p/index.js'
import type { ApiServer } from './api/index.js'
import type { Logger } from './logging/index.js'

export interface NodeService {
  start?: () => void | Promise<void>
  stop?: () => void | Promise<void>
}

export interface NodeComponents {
  config: NodeConfig
  /** The node's directory; undefined for a node made from a config alone (its store is temporary). */
  dir: string | undefined
  keys: NodeKeys
  peerId: PeerId
  store: Store
  libp2p: PorchlightLibp2p
  /** Add routes with `api.addRoutes` while being constructed (the server starts after the services). */
  api: ApiServer
  /** The node's logger (JSON lines); a service logs through a child: `logger.child({ component })`. */
  logger: Logger
}

export type NodeServiceFactory<S extends NodeService = NodeService> = (components: NodeComponents) => S

export type NodeServiceFactories<S extends Record<string, NodeService>> = { [K in keyof S]: NodeServiceFactory<S[K]> }

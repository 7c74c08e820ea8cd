// The node's figures as a service: a role declares it with the services whose figures it reports (node/roles.ts),
// it builds them into the node's own Registry and follows them from start to stop. Its route is routes.ts.
import { Registry } from 'prom-client'
import type { ChainService } from '../chain/chain-service.js'
import type { NodeComponents, NodeService } from '../service.js'
import { ResidentFootage } from '../shares/resident-shares.js'
import type { AgencyFootage } from '../deliveries/footage-desk.js'
import { nodeMetrics, type MetricSources } from './node-metrics.js'

export interface MetricsService extends NodeService {
  readonly registry: Registry
  /** Whether `GET /metrics` is served without the token (config `metrics.public`). */
  readonly public: boolean
}

export type MetricsComponents = Pick<NodeComponents, 'config' | 'api' | 'libp2p'> & { chain: ChainService } & Pick<MetricSources, 'network' | 'cameras' | 'cameraApi' | 'ranges' | 'inbox' | 'log' | 'witness' | 'auditor' | 'relayLimits' | 'relayProofs' | 'cellPeers' | 'cellMates' | 'live' | 'recordings' | 'notify' | 'evidence' | 'ui'> & {
  /** The role's `footage` service: the agency's footage desk, or a resident's shares. */
  footage?: AgencyFootage | ResidentFootage
}

export function metricsService (): (components: MetricsComponents) => MetricsService {
  return ({ config, api, libp2p, chain, network, cameras, cameraApi, ranges, inbox, footage: anyFootage, log, witness, auditor, relayLimits, relayProofs, cellPeers, cellMates, live, recordings, notify, evidence, ui }) => {
    const shares = anyFootage instanceof ResidentFootage ? anyFootage : undefined
    const footage = anyFootage instanceof ResidentFootage ? undefined : anyFootage
    const registry = new Registry()
    const isPublic = config.metrics?.public ?? false
    const metrics = nodeMetrics(registry, {
      // A node's name may say where it is ("birch lane"): a public /metrics gives only its role.
      config: isPublic ? { role: config.role, name: '' } : config,
      api,
      bootstrap: libp2p.services.bootstrapKeeper,
      ...(libp2p.services.reachability === undefined ? {} : { reachability: libp2p.services.reachability }),
      p2p: libp2p,
      ...(network === undefined ? {} : { network }),
      ...(cellPeers === undefined ? {} : { cellPeers }),
      ...(cellMates === undefined ? {} : { cellMates }),
      ...(ui === undefined ? {} : { ui }),
      // How many requests a resident has, and how many it ignored, never leave the node: served only to the
      // token's holder, never on a public /metrics.
      ...(inbox === undefined || isPublic ? {} : { inbox }),
      ...(cameras === undefined || isPublic ? {} : { cameras, ...(cameraApi === undefined ? {} : { cameraApi }) }),
      ...(shares === undefined || isPublic ? {} : { shares }),
      // Which kinds of camera a household has, and that they fail, is its own business too.
      ...(ranges === undefined || isPublic ? {} : { ranges }),
      // Whether a household records cameras, and how much, is the household's business too.
      ...(recordings === undefined || isPublic ? {} : { recordings }),
      ...(notify === undefined || isPublic ? {} : { notify }),
      ...(footage === undefined ? {} : { footage }),
      ...(log === undefined ? {} : { log }),
      ...(witness === undefined ? {} : { witness }),
      ...(auditor === undefined ? {} : { auditor }),
      ...(relayLimits === undefined ? {} : { relayLimits }),
      ...(relayProofs === undefined ? {} : { relayProofs }),
      // A resident's events say when requests arrived and it shared: private, like the inbox's figures.
      ...(live === undefined || (isPublic && config.role === 'resident') ? {} : { live }),
      // Who exports what is in the log already; the counts say only how often, not of what.
      ...(evidence === undefined ? {} : { evidence }),
      chainClients: () => chain.client === undefined ? [] : [chain.client]
    })
    return {
      registry,
      public: isPublic,
      start: async () => { await metrics.start() },
      stop: () => { metrics.stop() }
    }
  }
}

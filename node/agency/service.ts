// The agency's requests as a node service: the desk, its routes, its store and the announcement publisher.
// The log comes from the log service (`log` getter); the registry is a ChainClient on the config's chain
// unless one is given.
import { join } from 'node:path'
import { addressOfPrivateKey, type Domain } from '../../protocol/index.js'
import { ChainClient } from '../chain/index.js'
import { resolveChain, type ChainEndpoint } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { Sublevel } from '../storage/index.js'
import { MissingAgencyKeyError } from './errors.js'
import { IdentityFolder } from './identity-folder.js'
import type { RequestLog, RegistryView } from './ports.js'
import { AnnouncementPublisher, type PublisherInit } from './publisher.js'
import { RequestDesk, type StoredRequest } from './request-desk.js'
import { requestErrorStatuses, requestRoutes } from './routes.js'
import { requestAddrs } from './draft.js'

export interface AgencyRequestsInit {
  /** The agency log (the log service's, once it has started). */
  log?: () => RequestLog | undefined
  /** Read registrations here instead of a ChainClient on the config's chain; needs `domain`. */
  registry?: RegistryView
  /** The EIP-712 domain, when `registry` is given. */
  domain?: Domain
  /** Where request identities are kept. @default <dir>/keys/requests */
  identityDir?: string
  publisher?: PublisherInit
  /** Deliveries received per request id (the footage desk's), for the views' `deliveries`. */
  deliveryCounts?: () => Promise<Map<string, number>>
  /** Unix seconds. @default the system clock */
  now?: () => number
}

export interface AgencyRequests extends NodeService {
  readonly desk: RequestDesk
  readonly publisher: AnnouncementPublisher
  /** Where the requests' age identities are kept (undefined for a node made from a config alone). */
  readonly identities: IdentityFolder | undefined
  /** The EIP-712 domain of the configured chain, once started (undefined without a chain). */
  readonly domain: Domain | undefined
  /** The registry the desk reads, once started (undefined without a chain). */
  readonly registry: RegistryView | undefined
  /** The catch-up source (`LiveAnnouncementSource`): live announcements of the given res-7 cells. */
  liveAnnouncements (cells: readonly string[], now: number): Promise<Uint8Array[]>
}

export function agencyRequests (init: AgencyRequestsInit = {}): (components: NodeComponents) => AgencyRequests {
  return (components) => {
    const { config, dir, keys, peerId, store, libp2p, api } = components
    if (keys.agencyKey === undefined) throw new MissingAgencyKeyError()
    const agencyKey = keys.agencyKey
    const now = init.now ?? (() => Math.floor(Date.now() / 1000))
    const publisher = new AnnouncementPublisher(libp2p, { now, ...init.publisher })
    const identityDir = init.identityDir ?? (dir === undefined ? undefined : join(dir, 'keys', 'requests'))
    const identities = identityDir === undefined ? undefined : new IdentityFolder(identityDir)
    let registry: RegistryView | undefined = init.registry
    let domain: Domain | undefined = init.domain
    let client: ChainClient | undefined

    const desk = new RequestDesk({
      agency: addressOfPrivateKey(agencyKey),
      agencyKey,
      peerId: peerId.toString(),
      addrs: () => requestAddrs(config.announce ?? libp2p.getMultiaddrs().map(String)),
      db: store.sublevel('agency-requests', { valueEncoding: 'json' }) as unknown as Sublevel<string, StoredRequest>,
      publisher,
      log: init.log ?? (() => undefined),
      registry: () => registry,
      domain: () => domain,
      identities: () => identities,
      now,
      ...(init.deliveryCounts === undefined ? {} : { deliveryCounts: init.deliveryCounts }),
      onPublishError: (err) => { components.logger.error({ err, component: 'agency' }, 'agency: publishing an announcement failed') }
    })
    api.mapErrors(requestErrorStatuses)
    api.addRoutes(requestRoutes(desk))

    async function endpoint (): Promise<ChainEndpoint | undefined> {
      if (dir !== undefined) return await resolveChain(config, dir)
      return typeof config.chain === 'object' ? config.chain : undefined
    }

    return {
      desk,
      publisher,
      identities,
      get domain () { return domain },
      get registry () { return registry },
      liveAnnouncements: async (cells, at) => await desk.liveAnnouncements(cells, at),
      async start () {
        if (registry === undefined) {
          const chain = await endpoint()
          if (chain !== undefined) {
            // No polling: the desk syncs before each check, the only time it reads the registry.
            client = await ChainClient.connect({ deployment: chain, pollingIntervalMs: 0 })
            registry = client
            domain = { chainId: chain.chainId, verifyingContract: chain.contracts.AgencyRegistry }
          }
        }
        publisher.start()
      },
      async stop () {
        await publisher.stop()
        await client?.close()
        if (client !== undefined) registry = undefined
        client = undefined
      }
    }
  }
}

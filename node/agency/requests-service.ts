// The agency's requests as a node service: the desk, its store and the announcement publisher (its HTTP
// routes are in routes.ts). It signs in the chain's domain and checks the registry before each request,
// appends each to the agency's log, and answers the request network's catch-up questions with its live ones.
import { join } from 'node:path'
import { addressOfPrivateKey, type Domain } from '../../protocol/index.js'
import type { ChainService } from '../chain/chain-service.js'
import type { RequestNetwork } from '../network/request-network.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { Sublevel } from '../storage/index.js'
import { MissingAgencyKeyError } from './errors.js'
import { IdentityFolder } from './identity-folder.js'
import { operatorSecret, type SecretSources } from './identity-seal.js'
import type { RequestLog, RegistryView } from './ports.js'
import { AnnouncementPublisher, type PublisherInit } from './publisher.js'
import { RequestDesk, type StoredRequest } from './request-desk.js'
import { requestAddrs } from './draft.js'

export interface AgencyRequestsInit {
  /** Where request identities are kept. @default <dir>/keys/requests */
  identityDir?: string
  /**
   * Where the operator's secret that seals the identities comes from (docs/agency.md, "Keys at rest").
   * @default PORCHLIGHT_SECRET from process.env, then the config's `keys.kms`
   */
  secret?: SecretSources
  /** scrypt's cost when a seal is first made (a test's is cheaper). @default identity-seal.ts's */
  sealCost?: { N: number, r: number, p: number }
  publisher?: PublisherInit
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
  /**
   * Where the views' `deliveries` come from: the footage desk, which is built on top of this service and
   * plugs itself in (as this service plugs itself into the network's catch-up sources).
   */
  countDeliveriesWith (counts: () => Promise<Map<string, number>>): void
}

export type AgencyRequestsComponents = Pick<NodeComponents, 'config' | 'dir' | 'keys' | 'peerId' | 'store' | 'libp2p' | 'logger'> & {
  chain: ChainService
  /**
   * The log each request is appended to (the agency log service; a test may give a log of its own). The
   * service's `witnessedProof` is what the desk announces: a proof against a checkpoint a quorum of
   * witnesses cosigned. A test's own log without it proves against agency-signed checkpoints.
   */
  log: { readonly log: RequestLog | undefined, witnessedProof?: RequestLog['proof'] }
  network: Pick<RequestNetwork, 'addSource'>
}

export function agencyRequests (init: AgencyRequestsInit = {}): (components: AgencyRequestsComponents) => AgencyRequests {
  return (components) => {
    const { config, dir, keys, peerId, store, libp2p, chain, log, network } = components
    if (keys.agencyKey === undefined) throw new MissingAgencyKeyError()
    const agencyKey = keys.agencyKey
    const now = init.now ?? (() => Math.floor(Date.now() / 1000))
    const publisher = new AnnouncementPublisher(libp2p, { now, ...init.publisher })
    const identityDir = init.identityDir ?? (dir === undefined ? undefined : join(dir, 'keys', 'requests'))
    const identities = identityDir === undefined ? undefined : new IdentityFolder(identityDir)
    let deliveryCounts: () => Promise<Map<string, number>> = async () => new Map()

    const desk = new RequestDesk({
      agency: addressOfPrivateKey(agencyKey),
      agencyKey,
      peerId: peerId.toString(),
      // Announced addresses replace the learnt ones, never the relayed ones (the reservations held now).
      addrs: () => {
        const learnt = libp2p.getMultiaddrs().map(String)
        return requestAddrs(config.announce === undefined ? learnt : [...config.announce, ...learnt.filter((a) => a.includes('/p2p-circuit'))])
      },
      db: store.sublevel('agency-requests', { valueEncoding: 'json' }) as unknown as Sublevel<string, StoredRequest>,
      publisher,
      log: (): RequestLog | undefined => witnessedLog(log),
      registry: (): RegistryView | undefined => chain.registry,
      domain: () => chain.domain,
      identities: () => identities,
      now,
      deliveryCounts: async () => await deliveryCounts(),
      onPublishError: (err) => { components.logger.error({ err, component: 'agency' }, 'agency: publishing an announcement failed') }
    })

    const service: AgencyRequests = {
      desk,
      publisher,
      identities,
      get domain (): Domain | undefined { return chain.domain },
      get registry (): RegistryView | undefined { return chain.registry },
      liveAnnouncements: async (cells, at) => await desk.liveAnnouncements(cells, at),
      countDeliveriesWith (counts) { deliveryCounts = counts },
      async start () {
        if (identities !== undefined) await unlockIdentities(identities, { ...(config.keys?.kms === undefined ? {} : { kms: config.keys.kms }), ...init.secret }, init.sealCost, components.logger)
        publisher.start()
      },
      async stop () { await publisher.stop() }
    }
    network.addSource(service)
    return service
  }
}

/** The log with the witnessed proof where the log service gives one. */
function witnessedLog (source: AgencyRequestsComponents['log']): RequestLog | undefined {
  const log = source.log
  if (log === undefined) return undefined
  const proof = source.witnessedProof
  return proof === undefined ? log : { append: async (entry) => await log.append(entry), proof: async (index) => await proof(index) }
}

/**
 * Opens the request identities with the operator's secret, sealing those left plain. A wrong secret, or a
 * source that gives none, refuses the start (the operator gave one and meant it); no secret at all starts
 * the node with its footage locked if anything is sealed, or unsealed (and says so) if nothing is yet.
 */
async function unlockIdentities (identities: IdentityFolder, sources: SecretSources, cost: AgencyRequestsInit['sealCost'], logger: AgencyRequestsComponents['logger']): Promise<void> {
  const secret = await operatorSecret(sources)
  if (secret?.exposed === true) logger.warn({ component: 'agency', source: secret.source }, 'agency: the secret file is readable by others than the node\'s user (chmod 600 it)')
  const { state, migrated } = await identities.unlock(secret, cost)
  const line = { component: 'agency', keys: state, ...(secret === undefined ? {} : { source: secret.source }), ...(migrated === 0 ? {} : { sealed: migrated }) }
  if (state === 'locked') logger.error(line, 'agency: the request keys are sealed and no operator secret was given: footage cannot be opened or received, nor requests made, until a restart with it (docs/agency.md, "Keys at rest")')
  else if (state === 'plain') logger.warn(line, 'agency: request keys are stored unsealed: anyone with a copy of the disk can open the footage; start with --secret-file, PORCHLIGHT_SECRET or keys.kms (docs/agency.md, "Keys at rest")')
  else logger.info(line, 'agency: request keys sealed by the operator\'s secret')
}

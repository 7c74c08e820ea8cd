// What each role runs on top of the common node: the one place that wires services. Each service names what
// it needs; the node builds them in that order, hands each its dependencies by name and mounts their
// routes (node/compose.ts). `porchlight start`, the demo and the simulator all read this file.
import type { Role } from './config/index.js'
import type { MessageIdFn } from './p2p/index.js'
import { defineService, type NodeService, type ServiceSpecs } from './service.js'
import { chainService, type ChainComponents, type ChainService } from './chain/chain-service.js'
import { clips, type ClipsInit, type ClipsService } from './clips/service.js'
import { clipRoutes } from './clips/routes.js'
import { announcementMessageId } from './network/message-id.js'
import { requestNetwork, type RequestNetwork, type RequestNetworkInit } from './network/request-network.js'
import { cellMates, type CellMates, type CellMatesInit } from './network/cell-mates.js'
import { cellPeers, type CellPeersServer, type CellPeersServerInit } from './p2p/cell-peers.js'
import { residentInbox, type ResidentInbox, type ResidentInboxInit } from './resident/inbox.js'
import { inboxRoutes } from './resident/routes.js'
import { residentFootage, type ResidentFootage, type ResidentFootageInit } from './shares/resident-shares.js'
import { footageRoutes } from './shares/routes.js'
import { agencyLog, type AgencyLogService, type AgencyLogServiceInit } from './log/service.js'
import { agencyLogRoutes } from './log/service-routes.js'
import { agencyRequests, type AgencyRequests, type AgencyRequestsInit } from './agency/requests-service.js'
import { requestRoutes } from './agency/routes.js'
import { agencyFootage, type AgencyFootage, type AgencyFootageInit } from './deliveries/footage-desk.js'
import { agencyFootageRoutes } from './deliveries/routes.js'
import { auditorService, type AuditorService, type AuditorServiceInit } from './auditor/auditor-service.js'
import { auditorRoutes } from './auditor/routes.js'
import { metricsService, type MetricsService } from './metrics/service.js'
import { metricsRoutes } from './metrics/routes.js'
import { healthService, type HealthService } from './health/service.js'
import { healthRoutes } from './health/routes.js'
import { witnessService, type WitnessService, type WitnessServiceInit } from './witness/service.js'
import { witnessRoutes } from './witness/routes.js'
import { relayFootageLimits, type RelayFootageLimits, type RelayFootageLimitsInit } from './p2p/relay-limits.js'
import { notifyService, type NotifyService, type NotifyServiceInit } from './notify/service.js'
import { agencyRelayProofs, type AgencyRelayProofs, type AgencyRelayProofsInit } from './deliveries/relay-proofs.js'

/** What every node runs to be operated: its figures (`GET /metrics`) and readiness (`/healthz`, `/readyz`). */
type Operated = { metrics: MetricsService, health: HealthService }

export type ResidentServices = { chain: ChainService, clips: ClipsService, network: RequestNetwork, inbox: ResidentInbox, footage: ResidentFootage, cellMates: CellMates, notify: NotifyService } & Operated
export type AgencyServices = { chain: ChainService, log: AgencyLogService, network: RequestNetwork, requests: AgencyRequests, footage: AgencyFootage, relayLimits: RelayFootageLimits, relayProofs: AgencyRelayProofs, cellPeers: CellPeersServer } & Operated
export type AuditorServices = { chain: ChainService, network: RequestNetwork, auditor: AuditorService } & Operated
export type WitnessServices = { chain: ChainService, witness: WitnessService } & Operated
export type RelayServices = { chain: ChainService, relayLimits: RelayFootageLimits, cellPeers: CellPeersServer } & Operated

export interface RoleInit {
  /**
   * The node's view of the chain. @default chainService() on the config's chain. A simulator hands a thousand
   * residents one shared view here (`sharedChain`) instead of a client each.
   */
  chain?: (components: ChainComponents) => ChainService
  clips?: ClipsInit
  network?: RequestNetworkInit
  inbox?: ResidentInboxInit
  shares?: Omit<ResidentFootageInit, 'inbox' | 'clips' | 'domain' | 'chain'>
  log?: AgencyLogServiceInit
  requests?: AgencyRequestsInit
  footage?: Omit<AgencyFootageInit, 'book' | 'log' | 'domain'>
  witness?: WitnessServiceInit
  auditor?: AuditorServiceInit
  relayLimits?: RelayFootageLimitsInit
  relayProofs?: AgencyRelayProofsInit
  /** A resident's notifications (its channels come from the config's `notify`). */
  notify?: NotifyServiceInit
  /** A resident's search for cell-mates through its relays. */
  cellMates?: CellMatesInit
  /** A relay's or agency's answers to it. */
  cellPeers?: CellPeersServerInit
}

function chainSpec (init: RoleInit): ServiceSpecs<{ chain: ChainService }>['chain'] {
  return defineService(init.chain ?? chainService(), { needs: [] })
}

/** The metrics and health services, naming the services whose figures and state they report. */
function operated (figuresOf: ReadonlyArray<'network' | 'inbox' | 'footage' | 'log' | 'witness' | 'auditor' | 'relayLimits' | 'relayProofs' | 'cellPeers' | 'cellMates' | 'notify'>): ServiceSpecs<Operated> {
  const needs = ['chain', ...figuresOf] as const
  return {
    metrics: defineService(metricsService(), { needs, routes: (s) => metricsRoutes(s.registry, { public: s.public }) }),
    health: defineService(healthService(), { needs: ['chain', ...figuresOf.filter((n) => n === 'log')], routes: (s) => healthRoutes(() => s.checks) })
  }
}

/** A resident: its clips, the request network, the inbox of matching requests, and its shares. */
export function residentRole (init: RoleInit = {}): ServiceSpecs<ResidentServices> {
  return {
    chain: chainSpec(init),
    clips: defineService(clips(init.clips), { needs: [], routes: (s) => clipRoutes({ store: () => s.store, add: async (source, meta) => await s.add(source, meta) }) }),
    network: defineService(requestNetwork(init.network), { needs: ['chain'] }),
    inbox: defineService(residentInbox(init.inbox), { needs: ['network', 'clips', 'chain'], routes: inboxRoutes }),
    footage: defineService(residentFootage(init.shares), { needs: ['inbox', 'clips', 'chain'], routes: footageRoutes }),
    cellMates: defineService(cellMates(init.cellMates), { needs: ['network'] }),
    notify: defineService(notifyService(init.notify), { needs: ['inbox'] }),
    ...operated(['network', 'inbox', 'footage', 'cellMates', 'notify'])
  }
}

/**
 * An agency: its public log (served, anchored), the request network (it relays and validates like every
 * node, and answers catch-up with the desk's live requests), the request desk, and the footage desk, which
 * receives deliveries for the desk's requests and logs them, and every use of them, in the same log.
 */
export function agencyRole (init: RoleInit = {}): ServiceSpecs<AgencyServices> {
  return {
    chain: chainSpec(init),
    log: defineService(agencyLog(init.log), { needs: ['chain'], routes: agencyLogRoutes }),
    network: defineService(requestNetwork(init.network), { needs: ['chain'] }),
    requests: defineService(agencyRequests(init.requests), { needs: ['chain', 'log', 'network'], routes: (s) => requestRoutes(s.desk) }),
    footage: defineService(agencyFootage(init.footage), { needs: ['chain', 'log', 'requests'], routes: (s) => agencyFootageRoutes(() => s.keeper) }),
    // An agency relays too: another agency proven there gets footage limits, as on a relay.
    relayLimits: defineService(relayFootageLimits(init.relayLimits), { needs: ['chain'] }),
    // Proves itself to the relays it holds reservations on, so households delivering through them get footage limits.
    relayProofs: defineService(agencyRelayProofs(init.relayProofs), { needs: [] }),
    cellPeers: defineService(cellPeers(init.cellPeers), { needs: [] }),
    ...operated(['network', 'footage', 'log', 'relayLimits', 'relayProofs', 'cellPeers'])
  }
}

/**
 * An auditor: audits every agency's log against the chain and publishes its report. It runs the request
 * network read-only (it publishes nothing, and validates and relays as every peer does) on the topics of the
 * jurisdictions it audits, so every checkpoint residents there see reaches it too (docs/auditor.md).
 */
export function auditorRole (init: RoleInit = {}): ServiceSpecs<AuditorServices> {
  return {
    chain: chainSpec(init),
    network: defineService(requestNetwork(init.network), { needs: ['chain'] }),
    auditor: defineService(auditorService(init.auditor), { needs: ['chain', 'network'], routes: auditorRoutes }),
    ...operated(['network', 'auditor'])
  }
}

/**
 * A witness: cosigns agencies' checkpoints that are consistent with the latest it cosigned (C2SP
 * tlog-witness over HTTP and libp2p). The chain, when it has one, says which agencies' logs it follows.
 */
export function witnessRole (init: RoleInit = {}): ServiceSpecs<WitnessServices> {
  return {
    chain: chainSpec(init),
    witness: defineService(witnessService(init.witness), { needs: ['chain'], routes: witnessRoutes }),
    ...operated(['witness'])
  }
}

/**
 * A relay: a community-run node that households behind routers hold reservations on, so others can reach
 * them (circuit relay v2 with gossip-sized limits, node/p2p/libp2p.ts), and that tells a household who else is
 * on its cell's topic. Its chain, when it has one, says which peers are active agencies (their relayed
 * connections get footage-sized limits).
 */
export function relayRole (init: RoleInit = {}): ServiceSpecs<RelayServices> {
  return {
    chain: chainSpec(init),
    relayLimits: defineService(relayFootageLimits(init.relayLimits), { needs: ['chain'] }),
    cellPeers: defineService(cellPeers(init.cellPeers), { needs: [] }),
    ...operated(['relayLimits', 'cellPeers'])
  }
}

export interface RoleSetup {
  services: ServiceSpecs<Record<string, NodeService>>
  /** Gossip message ids are request ids, so a request seen twice is one message. */
  messageId: MessageIdFn
}

export function roleSetup (role: Role, init: RoleInit = {}): RoleSetup {
  const services = role === 'resident'
    ? residentRole(init)
    : role === 'agency' ? agencyRole(init) : role === 'witness' ? witnessRole(init) : role === 'relay' ? relayRole(init) : auditorRole(init)
  return { services, messageId: announcementMessageId }
}

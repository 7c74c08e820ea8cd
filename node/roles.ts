// What each role runs on top of the common node: the one place that wires services. Each service names what
// it needs; the node builds them in that order, hands each its dependencies by name and mounts their
// routes (node/compose.ts). `porchlight start`, the demo and the simulator all read this file.
import type { Role } from './config/index.js'
import type { MessageIdFn } from './p2p/index.js'
import { defineService, type NodeComponents, type NodeService, type ServiceSpecs } from './service.js'
import { chainService, type ChainComponents, type ChainService } from './chain/chain-service.js'
import { clips, type ClipsInit, type ClipsService } from './clips/service.js'
import { clipRoutes } from './clips/routes.js'
import { folderSources, type FolderSources, type FolderSourcesComponents } from './cameras/folder-source.js'
import { cameraBook, type CameraBook } from './cameras/camera-book.js'
import { cameraApi, type CameraApi, type CameraApiComponents, type CameraApiInit } from './cameras/camera-api.js'
import { cameraRoutes } from './cameras/routes.js'
import { followCameras, type CameraFollower } from './cameras/camera-book.js'
import { testSource } from './cameras/source-test.js'
import { ffprobePath } from './recording/binaries.js'
import { announcementMessageId } from './network/message-id.js'
import { requestNetwork, type RequestNetwork, type RequestNetworkInit } from './network/request-network.js'
import { cellMates, type CellMates, type CellMatesInit } from './network/cell-mates.js'
import { cellPeers, type CellPeersServer, type CellPeersServerInit } from './p2p/cell-peers.js'
import { residentInbox, type ResidentInbox, type ResidentInboxInit } from './resident/inbox.js'
import { inboxRoutes } from './resident/routes.js'
import { residentFootage, type ResidentFootage, type ResidentFootageInit } from './shares/resident-shares.js'
import { footageRoutes } from './shares/routes.js'
import { footageRanges, type FootageRanges, type FootageRangesInit } from './recording/range-sources.js'
import { frigateRangeSource } from './cameras/frigate.js'
import { agencyLog, type AgencyLogService, type AgencyLogServiceInit } from './log/service.js'
import { agencyLogRoutes } from './log/service-routes.js'
import { agencyRequests, type AgencyRequests, type AgencyRequestsInit } from './agency/requests-service.js'
import { requestRoutes } from './agency/routes.js'
import { agencyFootage, type AgencyFootage, type AgencyFootageInit } from './deliveries/footage-desk.js'
import { agencyFootageRoutes } from './deliveries/routes.js'
import { shareProposalRoutes } from './deliveries/share-proposal-routes.js'
import { agencyUsers, type AgencyUsers } from './agency/users-service.js'
import { userRoutes } from './agency/users-routes.js'
import { auditorService, type AuditorService, type AuditorServiceInit } from './auditor/auditor-service.js'
import { auditorRoutes } from './auditor/routes.js'
import { pendingChanges, pendingChangesRoutes, type PendingChanges } from './auditor/pending-changes.js'
import { councilNotices, councilNoticesRoutes, type CouncilNotices } from './resident/council-notices.js'
import { metricsService, type MetricsService } from './metrics/service.js'
import { metricsRoutes } from './metrics/routes.js'
import { healthService, type HealthService } from './health/service.js'
import { healthRoutes } from './health/routes.js'
import { witnessService, type WitnessService, type WitnessServiceInit } from './witness/service.js'
import { witnessRoutes } from './witness/routes.js'
import { recordings, type RecordingComponents, type RecordingInit, type RecordingService } from './recording/service.js'
import { relayFootageLimits, type RelayFootageLimits, type RelayFootageLimitsInit } from './p2p/relay-limits.js'
import { notifyService, type NotifyService, type NotifyServiceInit } from './notify/service.js'
import { agencyRelayProofs, type AgencyRelayProofs, type AgencyRelayProofsInit } from './deliveries/relay-proofs.js'
import { liveEvents, liveRoutes, type LiveEvents, type LiveEventsInit } from './live/index.js'
import { evidenceExporter, evidenceRoutes, type EvidenceExporter, type EvidenceExporterInit } from './evidence/index.js'
import { uiRoutes, uiSettings, type UiSettingsService } from './ui/index.js'

/** What every node runs to be operated: its figures (`GET /metrics`) and readiness (`/healthz`, `/readyz`). */
type Operated = { metrics: MetricsService, health: HealthService }
/** What the roles with pages tell their UI: the base map, address search, an agency's zone and jurisdiction. */
type WithUi = { ui: UiSettingsService }

export type ResidentServices = { chain: ChainService, cameras: CameraBook, cameraApi: CameraApi, clips: ClipsService, ranges: FootageRanges, folders: FolderSources, network: RequestNetwork, inbox: ResidentInbox, footage: ResidentFootage, cellMates: CellMates, live: LiveEvents, recordings: RecordingService, notify: NotifyService, councilNotices: CouncilNotices } & Operated & WithUi
export type AgencyServices = { chain: ChainService, log: AgencyLogService, network: RequestNetwork, requests: AgencyRequests, footage: AgencyFootage, users: AgencyUsers, relayLimits: RelayFootageLimits, relayProofs: AgencyRelayProofs, cellPeers: CellPeersServer, live: LiveEvents, evidence: EvidenceExporter } & Operated & WithUi
export type AuditorServices = { chain: ChainService, network: RequestNetwork, auditor: AuditorService, councilChanges: PendingChanges } & Operated & WithUi
export type WitnessServices = { chain: ChainService, witness: WitnessService } & Operated
export type RelayServices = { chain: ChainService, relayLimits: RelayFootageLimits, cellPeers: CellPeersServer } & Operated

export interface RoleInit {
  /**
   * The node's view of the chain. @default chainService() on the config's chain. A simulator hands a thousand
   * residents one shared view here (`sharedChain`) instead of a client each.
   */
  chain?: (components: ChainComponents) => ChainService
  clips?: ClipsInit
  /** A resident's continuous recording of its rtsp cameras. */
  recordings?: RecordingInit
  /** A resident's camera API: how a source is tested (node/cameras/source-test.ts). */
  cameras?: CameraApiInit
  network?: RequestNetworkInit
  inbox?: ResidentInboxInit
  shares?: Omit<ResidentFootageInit, 'inbox' | 'clips' | 'domain' | 'chain' | 'ranges'>
  /** The recording cameras' range sources (a test hands in a segment index here). */
  ranges?: FootageRangesInit
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
  /** The UI's event streams (GET /api/events): limits, heartbeat, progress rate. */
  live?: LiveEventsInit
  /** An agency's evidence export (its clock, in tests). */
  evidence?: EvidenceExporterInit
}

function chainSpec (init: RoleInit): ServiceSpecs<{ chain: ChainService }>['chain'] {
  return defineService(init.chain ?? chainService(), { needs: [] })
}

/** A service that follows the camera book: its `sync` gets every list the book saves (a camera added in the UI records at once). */
function following<S extends CameraFollower> (components: Pick<NodeComponents, 'logger'> & { cameras: CameraBook }, service: S): S {
  followCameras(components.cameras, service, components.logger)
  return service
}

/** The metrics and health services, naming the services whose figures and state they report. */
function operated (figuresOf: ReadonlyArray<'network' | 'cameras' | 'cameraApi' | 'ranges' | 'inbox' | 'footage' | 'log' | 'witness' | 'auditor' | 'relayLimits' | 'relayProofs' | 'cellPeers' | 'cellMates' | 'live' | 'recordings' | 'notify' | 'evidence' | 'ui'>): ServiceSpecs<Operated> {
  const needs = ['chain', ...figuresOf] as const
  return {
    metrics: defineService(metricsService(), { needs, routes: (s) => metricsRoutes(s.registry, { public: s.public }) }),
    health: defineService(healthService(), { needs: ['chain', ...figuresOf.filter((n) => n === 'log')], routes: (s) => healthRoutes(() => s.checks) })
  }
}

/**
 * A resident: its camera book (the live list of cameras, which follows their request topics), its clips, the
 * continuous recording of its rtsp cameras, the cameras with folders of their own, the request network, the
 * inbox of matching requests, and its shares.
 */
export function residentRole (init: RoleInit = {}): ServiceSpecs<ResidentServices> {
  return {
    chain: chainSpec(init),
    cameras: defineService(cameraBook(), { needs: [] }),
    // A source is tested with the ffprobe the recorder uses; a relative folder is the node's own.
    cameraApi: defineService((c: CameraApiComponents & Pick<NodeComponents, 'config' | 'dir'>) => cameraApi({
      testSource: async (source) => await testSource(source, { ffprobe: ffprobePath(c.config), timeoutMs: 15_000, ...(c.dir === undefined ? {} : { dir: c.dir }) }),
      ...init.cameras
    })(c), { needs: ['cameras', 'recordings'], routes: cameraRoutes }),
    clips: defineService(clips(init.clips), { needs: ['cameras'], routes: (s) => clipRoutes({ store: () => s.store, add: async (source, meta) => await s.add(source, meta) }) }),
    // The cameras whose source is a folder of their own, each watched as the import folder is.
    folders: defineService((c: FolderSourcesComponents & { cameras: CameraBook }) => following(c, folderSources()(c)), { needs: ['clips', 'cameras'] }),
    // Where a consented range is cut from: the recordings' segments (rtsp) or the camera's Frigate (frigate).
    ranges: defineService(footageRanges({ frigate: frigateRangeSource, ...init.ranges }), { needs: ['recordings'] }),
    network: defineService(requestNetwork(init.network), { needs: ['chain'] }),
    inbox: defineService(residentInbox(init.inbox), { needs: ['network', 'clips', 'chain', 'cameras', 'ranges'], routes: inboxRoutes }),
    footage: defineService(residentFootage(init.shares), { needs: ['inbox', 'clips', 'chain', 'cameras', 'ranges'], routes: footageRoutes }),
    cellMates: defineService(cellMates(init.cellMates), { needs: ['network'] }),
    // What the page shows as it changes: the inbox, the shares' progress, receipts anchored on the chain.
    live: defineService(liveEvents(init.live), { needs: ['inbox', 'footage', 'chain', 'cameras', 'recordings'], routes: liveRoutes }),
    recordings: defineService((c: RecordingComponents & { cameras: CameraBook }) => following(c, recordings(init.recordings)(c)), { needs: ['cameras'] }),
    // Tells the household about a new request: its public fields only, on the channels of `notify`.
    notify: defineService(notifyService(init.notify), { needs: ['inbox'] }),
    ui: defineService(uiSettings(), { needs: [], routes: uiRoutes }),
    // A pending registration that would cover one of the cameras, told here (computed on the node).
    councilNotices: defineService(councilNotices(), { needs: ['chain', 'cameras'], routes: councilNoticesRoutes }),
    ...operated(['network', 'cameras', 'cameraApi', 'ranges', 'inbox', 'footage', 'cellMates', 'live', 'recordings', 'notify', 'ui'])
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
    footage: defineService(agencyFootage(init.footage), {
      needs: ['chain', 'log', 'requests'],
      routes: (s) => async (app) => { await app.register(agencyFootageRoutes(() => s.keeper)); await app.register(shareProposalRoutes(() => s.proposals)) }
    }),
    // Investigators, supervisors and admins, each with a credential of their own (docs/agency.md, "Users and roles").
    users: defineService(agencyUsers(), { needs: [], routes: (s) => userRoutes(s.book) }),
    // An agency relays too: another agency proven there gets footage limits, as on a relay.
    relayLimits: defineService(relayFootageLimits(init.relayLimits), { needs: ['chain'] }),
    // Proves itself to the relays it holds reservations on, so households delivering through them get footage limits.
    relayProofs: defineService(agencyRelayProofs(init.relayProofs), { needs: [] }),
    cellPeers: defineService(cellPeers(init.cellPeers), { needs: [] }),
    // Deliveries as they arrive, and the log's checkpoints and anchors, for the console.
    live: defineService(liveEvents(init.live), { needs: ['footage', 'log'], routes: liveRoutes }),
    // Evidence packages: each clip opened through the footage desk's logged path (docs/evidence.md).
    evidence: defineService(evidenceExporter(init.evidence), { needs: ['chain', 'log', 'requests', 'footage'], routes: evidenceRoutes }),
    // The composer's zone and jurisdiction (the registry's, through the chain).
    ui: defineService(uiSettings(), { needs: ['chain'], routes: uiRoutes }),
    ...operated(['network', 'footage', 'log', 'relayLimits', 'relayProofs', 'cellPeers', 'live', 'evidence', 'ui'])
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
    ui: defineService(uiSettings(), { needs: [], routes: uiRoutes }),
    // The council's changes waiting their notice period, published beside the report.
    councilChanges: defineService(pendingChanges(), { needs: ['chain'], routes: pendingChangesRoutes }),
    ...operated(['network', 'auditor', 'ui'])
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

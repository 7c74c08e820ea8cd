// A node's figures for `GET /metrics`, in its own prom-client Registry (never the global one: a simulation
// runs a thousand nodes in one process). Each concern has its file; they read the services' getters and
// listen to their events, so the services only expose what they already hold.
import { Gauge, Registry } from 'prom-client'
import type { NodeConfig } from '../config/index.js'
import type { ChainClient } from '../chain/index.js'
import type { RequestNetwork } from '../network/index.js'
import type { ResidentInbox } from '../resident/index.js'
import type { AgencyFootage } from '../deliveries/footage-desk.js'
import type { ResidentFootage } from '../shares/resident-shares.js'
import type { AgencyLogService } from '../log/index.js'
import type { WitnessService } from '../witness/index.js'
import type { AuditorService } from '../auditor/auditor-service.js'
import type { BootstrapKeeper, CellPeersServer } from '../p2p/index.js'
import type { CellMates } from '../network/cell-mates.js'
import type { Reachability } from '../p2p/reachability.js'
import { gossipMetrics } from './gossip.js'
import { inboxMetrics } from './inbox.js'
import { camerasMetrics } from './cameras.js'
import type { CameraBook } from '../cameras/camera-book.js'
import type { CameraApi } from '../cameras/camera-api.js'
import type { FootageRanges } from '../recording/range-sources.js'
import { rangeSourceMetrics } from './camera-sources.js'
import { sharesMetrics } from './shares.js'
import { footageMetrics } from './footage.js'
import { logMetrics } from './log.js'
import { witnessMetrics } from './witness.js'
import { auditorMetrics } from './auditor.js'
import { chainMetrics } from './chain.js'
import { runtimeMetrics } from './runtime.js'
import { apiMetrics } from './api.js'
import { bootstrapMetrics } from './bootstrap.js'
import { relayLimitsMetrics, relayProofsMetrics } from './relay-footage.js'
import type { RelayFootageLimits } from '../p2p/relay-limits.js'
import type { AgencyRelayProofs } from '../deliveries/relay-proofs.js'
import { cellMatesMetrics, cellPeersMetrics } from './cells.js'
import { uiMetrics } from './ui.js'
import type { UiSettingsService } from '../ui/index.js'
import { reachabilityMetrics } from './reachability.js'
import { relayMetrics, type RelayMetricsSource } from './relay.js'
import { recordingMetrics } from './recording.js'
import type { RecordingService } from '../recording/index.js'
import type { ApiServer } from '../api/index.js'
import type { LiveEvents } from '../live/index.js'
import { liveMetrics } from './live.js'
import type { EvidenceExporter } from '../evidence/exporter.js'
import { evidenceMetrics } from './evidence.js'
import type { NotifyService } from '../notify/index.js'
import { notifyMetrics } from './notify.js'

/** What the figures are read from; each is optional (a role has some of them). */
export interface MetricSources {
  config: Pick<NodeConfig, 'role' | 'name'>
  network?: RequestNetwork
  inbox?: ResidentInbox
  /** A resident's camera book (private figures, like the inbox's). */
  cameras?: CameraBook
  /** Its camera API (source tests refused). */
  cameraApi?: CameraApi
  /** Its range sources (camera sources that failed when asked; private, like the inbox's figures). */
  ranges?: Pick<FootageRanges, 'on' | 'off'>
  /** A resident's shares (private figures, like the inbox's). */
  shares?: ResidentFootage
  footage?: AgencyFootage
  log?: AgencyLogService
  witness?: WitnessService
  auditor?: AuditorService
  /** The HTTP API's refusals. */
  api?: Pick<ApiServer, 'on' | 'off'>
  /** The libp2p service that redials bootstrap peers. */
  bootstrap?: BootstrapKeeper
  /** A relay's (and an agency's) footage limits for proven agencies. */
  relayLimits?: RelayFootageLimits
  /** An agency's proofs to its relays. */
  relayProofs?: AgencyRelayProofs
  /** Relays and agencies: who else is on a topic, asked and answered (node/p2p/cell-peers.ts). */
  cellPeers?: CellPeersServer
  /** Residents: the cell-mates found through relays (node/network/cell-mates.ts). */
  cellMates?: CellMates
  /** The UI's settings and map file (refused map ranges). */
  ui?: Pick<UiSettingsService, 'on' | 'off'>
  /** The libp2p service that checks whether peers can dial this node (tcp nodes). */
  reachability?: Reachability
  /** The node's libp2p: its reservations, connections by kind, and what it relays. */
  p2p?: RelayMetricsSource
  /** The UI's event streams (residents and agencies). */
  live?: LiveEvents
  /** An agency's evidence exports (node/evidence). */
  evidence?: EvidenceExporter
  /** Residents: the continuous recording of their rtsp cameras (private figures, like the inbox's). */
  recordings?: RecordingService
  /** A resident's notifications (private figures, like the inbox's). */
  notify?: NotifyService
  /** The node's chain clients, as they are when scraped. */
  chainClients?: () => Iterable<ChainClient>
}

export interface NodeMetrics {
  readonly registry: Registry
  /** Follows what the services made as they started (the anchorer, the footage receiver). Call after they started. */
  start (): Promise<void>
  stop (): void
}

export function nodeMetrics (registry: Registry, sources: MetricSources): NodeMetrics {
  const info = new Gauge({ name: 'porchlight_node_info', help: 'Always 1; the node\'s role and name as labels', labelNames: ['role', 'name'] as const, registers: [registry] })
  info.set({ role: sources.config.role, name: sources.config.name }, 1)
  const stops: Array<() => void> = []
  if (sources.api !== undefined) stops.push(apiMetrics(registry, sources.api))
  if (sources.network !== undefined) stops.push(gossipMetrics(registry, sources.network))
  if (sources.bootstrap !== undefined) stops.push(bootstrapMetrics(registry, sources.bootstrap))
  if (sources.relayLimits !== undefined) stops.push(relayLimitsMetrics(registry, sources.relayLimits))
  if (sources.relayProofs !== undefined) stops.push(relayProofsMetrics(registry, sources.relayProofs))
  if (sources.cellPeers !== undefined) stops.push(cellPeersMetrics(registry, sources.cellPeers))
  if (sources.cellMates !== undefined) stops.push(cellMatesMetrics(registry, sources.cellMates))
  if (sources.ui !== undefined) stops.push(uiMetrics(registry, sources.ui))
  if (sources.reachability !== undefined) stops.push(reachabilityMetrics(registry, sources.reachability))
  if (sources.p2p !== undefined) relayMetrics(registry, sources.p2p)
  if (sources.inbox !== undefined) inboxMetrics(registry, sources.inbox)
  if (sources.cameras !== undefined) stops.push(camerasMetrics(registry, sources.cameras, sources.cameraApi))
  if (sources.ranges !== undefined) stops.push(rangeSourceMetrics(registry, sources.ranges))
  if (sources.shares !== undefined) stops.push(sharesMetrics(registry, sources.shares))
  if (sources.recordings !== undefined) stops.push(recordingMetrics(registry, sources.recordings))
  if (sources.notify !== undefined) stops.push(notifyMetrics(registry, sources.notify))
  if (sources.auditor !== undefined) stops.push(auditorMetrics(registry, sources.auditor))
  if (sources.live !== undefined) stops.push(liveMetrics(registry, sources.live.streams))
  if (sources.evidence !== undefined) stops.push(evidenceMetrics(registry, sources.evidence))
  const footage = sources.footage === undefined ? undefined : footageMetrics(registry, sources.footage)
  const log = sources.log === undefined ? undefined : logMetrics(registry, sources.log)
  const witness = sources.witness === undefined ? undefined : witnessMetrics(registry, sources.witness)
  chainMetrics(registry, sources.chainClients ?? (() => []))
  const runtime = runtimeMetrics(registry)
  return {
    registry,
    async start () {
      footage?.start()
      await log?.start()
      witness?.start()
    },
    stop () {
      footage?.stop()
      log?.stop()
      witness?.stop()
      runtime.stop()
      for (const stop of stops) stop()
    }
  }
}

// The libp2p node every Porchlight role runs: TCP, WebSockets and circuit relay v2 (or the in-process memory
// transport for the simulator), Noise, Yamux, identify (and push), ping, AutoNAT v2, DCUtR, optional UPnP,
// optional relay service, and gossipsub, with a bootstrap list and optional mDNS. Nothing here is
// process-global, so many nodes can share one process.
import { createLibp2p, type Libp2p, type Libp2pOptions } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { memory } from '@libp2p/memory'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { webSockets } from '@libp2p/websockets'
import { circuitRelayTransport, circuitRelayServer, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { autoNATv2 } from '@libp2p/autonat-v2'
import { dcutr } from '@libp2p/dcutr'
import { uPnPNAT, type UPnPNAT } from '@libp2p/upnp-nat'
import { identify, identifyPush, type Identify, type IdentifyPush } from '@libp2p/identify'
import { ping, type Ping } from '@libp2p/ping'
import { bootstrap } from '@libp2p/bootstrap'
import { mdns } from '@libp2p/mdns'
import { gossipsub, StrictNoSign, type GossipSub } from '@libp2p/gossipsub'
import type { Message } from '@libp2p/gossipsub'
import type { PeerScoreParams, PeerScoreThresholds } from '@libp2p/gossipsub/score'
import type { PrivateKey, ComponentLogger, ConnectionGater } from '@libp2p/interface'
import { sha256 } from '@noble/hashes/sha2.js'
import { porchlightScoreParams, porchlightScoreThresholds } from './scoring.js'
import { bootstrapKeeper, BOOTSTRAP_TAG, type BootstrapKeeper, type BootstrapKeeperInit } from './bootstrap-keeper.js'
import { reachability, type Reachability, type ReachabilityInit } from './reachability.js'

// A type alias, not an interface: libp2p's ServiceMap needs an index signature.
export type PorchlightServices = {
  identify: Identify
  /** Tells connected peers at once when our addresses change (a new relay reservation, a UPnP mapping). */
  identifyPush: IdentifyPush
  ping: Ping
  /** AutoNAT v2 (tcp only): asks peers to dial our addresses back, and dials theirs back. */
  autoNAT?: unknown
  /** Dial-back (tcp only): whether peers can dial us, served to them and asked of them (reachability.ts). */
  reachability?: Reachability
  /** DCUtR (tcp only): replaces a relayed connection with a direct one where one side can be dialled. */
  dcutr?: unknown
  /** Circuit relay v2 server: only on nodes that relay (`network.relay`). */
  relay?: CircuitRelayService
  /** UPnP port mapping on the home router: only with `network.upnp` (docs/network.md). */
  upnp?: UPnPNAT
  pubsub: GossipSub
  /** Redials bootstrap peers that are not connected (bootstrap-keeper.ts); idle without a bootstrap list. */
  bootstrapKeeper: BootstrapKeeper
}

export type PorchlightLibp2p = Libp2p<PorchlightServices>

/**
 * Computes a gossip message's id from its data and topic; Porchlight hashes the whole bytes and appends the
 * topic (node/network/message-id.ts): an id that names less than the bytes lets a corrupted first copy make
 * the honest one a "duplicate" of a rejected message (issue 15).
 */
export type MessageIdFn = (data: Uint8Array, topic: string) => Uint8Array

export interface PorchlightLibp2pInit {
  /** The node's transport identity (keys/peer.key). A fresh one when omitted. */
  privateKey?: PrivateKey
  /** @default ['/ip4/127.0.0.1/tcp/0'] (or '/memory/<random>' with the memory transport) */
  listen?: string[]
  /** Addresses to announce instead of the listen addresses (e.g. a public address behind NAT). */
  announce?: string[]
  /**
   * Multiaddrs with a /p2p/ peer id, dialled at start and, while one is not connected, again with backoff
   * (bootstrap-keeper.ts). @default []
   */
  bootstrap?: string[]
  /** The reachability check's address classification, timers and logger (tcp only). */
  reachability?: ReachabilityInit
  /** The bootstrap keeper's delays and logger (its list is `bootstrap`). */
  bootstrapKeeper?: Omit<BootstrapKeeperInit, 'list'>
  /** Discover peers on the local network. @default false */
  mdns?: boolean
  /**
   * Relay reservations to hold (tcp only): each is a `/p2p-circuit` listen address, which the circuit relay
   * transport fills with a reservation on a relay among the connected peers. @default 0
   */
  reservations?: number
  /** Serve circuit relay v2 with these limits (tcp only). @default false */
  relayServer?: RelayServerInit | false
  /** Map the listen port on the home router by UPnP (tcp only). @default false */
  upnp?: boolean
  /** libp2p's connection gater (the relay's per-destination limits use `denyOutboundRelayedConnection`). */
  connectionGater?: ConnectionGater
  /** @default 'tcp' */
  transport?: 'tcp' | 'memory'
  /** Added latency of the memory transport per message, in ms (simulations). @default 0 */
  memoryLatencyMs?: number
  /**
   * Gossip message id. Must not throw; bytes it cannot read should still get an id (the validator then
   * rejects them). @default sha-256 of the data
   */
  messageId?: MessageIdFn
  /**
   * Largest gossipsub RPC frame accepted, in bytes; one frame may batch several messages and control
   * lists. A single message's size is the topic validator's to check. @default 1048576
   */
  maxRpcBytes?: number
  /** Overrides of the peer-score parameters (scoring.ts); topics are scored with `scoreTopic`. */
  scoreParams?: Partial<PeerScoreParams>
  scoreThresholds?: Partial<PeerScoreThresholds>
  /** Gossipsub heartbeat in ms; lower only in tests and simulations. @default 1000 */
  heartbeatIntervalMs?: number
  /**
   * Inbound connections accepted per second from one host. libp2p's default (5) suits a public node; a
   * simulator running hundreds of TCP nodes on 127.0.0.1 needs more. @default 5
   */
  inboundConnectionThreshold?: number
  /**
   * libp2p's connection monitor: both ends ping every connection every 10 s and close it when a ping fails.
   * A simulator running a thousand nodes in one process turns it off: no in-process peer dies silently, a
   * late pong there means a starved event loop, and at 3,800 links the pings (~770/s) were its largest
   * background load. @default true
   */
  connectionMonitor?: boolean
  logger?: ComponentLogger
  /** Start listening and dialling at once. @default true */
  start?: boolean
}

/** What one relayed connection may carry: circuit relay v2's limit, which the relay enforces. */
export interface RelayLimitInit {
  durationSeconds: number
  dataBytes: number
}

export interface RelayServerInit {
  maxReservations: number
  /** The limit of every relayed connection (gossip and catch-up). */
  gossip: RelayLimitInit
}

/**
 * Message ids that name the content, never the sender: the payload is signed at the application layer
 * (EIP-712), so gossipsub's own signatures would only add the relaying node's identity (see docs/node.md).
 */
function toGossipMessageId (messageId: MessageIdFn): (msg: Message) => Uint8Array {
  return (msg) => {
    try {
      return messageId(msg.data, msg.topic)
    } catch {
      // Unreadable bytes still need an id so they are deduplicated and reach the validator to be rejected.
      return sha256(msg.data)
    }
  }
}

export async function createPorchlightLibp2p (init: PorchlightLibp2pInit = {}): Promise<PorchlightLibp2p> {
  const transport = init.transport ?? 'tcp'
  const listen = init.listen ?? [transport === 'memory' ? `/memory/${crypto.randomUUID()}` : '/ip4/127.0.0.1/tcp/0']
  const peerDiscovery: NonNullable<Libp2pOptions['peerDiscovery']> = []
  if ((init.bootstrap ?? []).length > 0) {
    // 'keep-alive-…' makes libp2p redial a bootstrap peer whenever the connection drops; the keeper covers
    // the rest (a first dial that failed, and libp2p's reconnects giving up).
    peerDiscovery.push(bootstrap({ list: init.bootstrap!, timeout: 0, tagName: BOOTSTRAP_TAG }))
  }
  if (init.mdns === true) peerDiscovery.push(mdns())
  const tcpNode = transport === 'tcp'
  const reservations = tcpNode ? init.reservations ?? 0 : 0
  const relayServer = tcpNode && init.relayServer !== undefined && init.relayServer !== false ? init.relayServer : undefined
  const upnp = tcpNode && init.upnp === true
  // WebSockets listens only on a configured `/ws` address, and dials such addresses: a relay or an agency
  // behind a TLS reverse proxy announces /dns/…/tcp/443/tls/ws (docs/operations.md).
  const transports: NonNullable<Libp2pOptions['transports']> = tcpNode
    ? [tcp(), webSockets(), circuitRelayTransport({ reservationConcurrency: Math.max(1, reservations) })]
    : [memory({ latency: init.memoryLatencyMs ?? 0 })]

  return await createLibp2p({
    start: init.start ?? true,
    ...(init.privateKey === undefined ? {} : { privateKey: init.privateKey }),
    ...(init.logger === undefined ? {} : { logger: init.logger }),
    ...(init.inboundConnectionThreshold === undefined ? {} : { connectionManager: { inboundConnectionThreshold: init.inboundConnectionThreshold } }),
    ...(init.connectionMonitor === false ? { connectionMonitor: { enabled: false } } : {}),
    ...(init.connectionGater === undefined ? {} : { connectionGater: init.connectionGater }),
    addresses: {
      listen: [...listen, ...Array.from({ length: reservations }, () => '/p2p-circuit')],
      ...(init.announce === undefined ? {} : { announce: init.announce })
    },
    transports,
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: ping(),
      ...(tcpNode ? { autoNAT: autoNATv2(), dcutr: dcutr(), reachability: reachability(init.reachability) } : {}),
      ...(upnp ? { upnp: uPnPNAT({ portMappingDescription: 'Porchlight' }) } : {}),
      ...(relayServer === undefined
        ? {}
        : {
            relay: circuitRelayServer({
              reservations: {
                maxReservations: relayServer.maxReservations,
                defaultDurationLimit: relayServer.gossip.durationSeconds * 1000,
                defaultDataLimit: BigInt(relayServer.gossip.dataBytes)
              }
            })
          }),
      bootstrapKeeper: bootstrapKeeper({ ...init.bootstrapKeeper, list: init.bootstrap ?? [] }),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictNoSign,
        msgIdFn: toGossipMessageId(init.messageId ?? ((data) => sha256(data))),
        maxInboundDataLength: init.maxRpcBytes ?? 1024 * 1024,
        // Peer exchange would let a graylisted peer steer our connections; bootstrap, mDNS and the relays'
        // cell rendezvous (cell-peers.ts, which answers only from subscriptions) suffice.
        doPX: false,
        emitSelf: false,
        // An own publish goes to every subscriber of the topic we know, not only the mesh: an agency is in no
        // topic's mesh (it subscribes to none), and a resident that just connected is not in one yet
        // (gossipsub's default, made explicit: the demo's in-area residents depend on it, issue 15).
        floodPublish: true,
        allowPublishToZeroTopicPeers: true,
        // Two residents behind routers first meet through a relay; gossip runs there within the relay's
        // gossip limits until DCUtR replaces the connection with a direct one.
        runOnLimitedConnection: true,
        ...(init.heartbeatIntervalMs === undefined ? {} : { heartbeatInterval: init.heartbeatIntervalMs }),
        scoreParams: { ...porchlightScoreParams(), ...init.scoreParams },
        scoreThresholds: { ...porchlightScoreThresholds, ...init.scoreThresholds }
      })
    }
  })
}

// Gossipsub peer scoring for Porchlight's request topics (gossipsub v1.1 §"Peer Scoring"). The numbers and
// their reasons are in docs/node.md ("Gossipsub peer scoring"); in short: one rejected message prunes the
// sender from our mesh, three graylist it, and the penalty halves every ten minutes.
import { createTopicScoreParams, validateTopicScoreParams } from '@libp2p/gossipsub/score'
import type { PeerScoreParams, PeerScoreThresholds, TopicScoreParams } from '@libp2p/gossipsub/score'
import type { GossipSub } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import { GossipsubInternalsError } from './errors.js'

/** Seconds → the per-`decayInterval` (1 s) factor that halves a counter in that time. */
function halfLife (seconds: number): number {
  return Math.pow(0.5, 1 / seconds)
}

/**
 * Score parameters of every request topic. Positive terms are bounded (≤ 10 each) so a long-standing peer
 * cannot bank credit against invalid messages; mesh-delivery terms are off because requests are rare and a
 * quiet honest peer must not look like a lazy one.
 */
export const requestTopicScoreParams: TopicScoreParams = createTopicScoreParams({
  topicWeight: 1,
  // P1: +10 after an hour in the mesh, no more.
  timeInMeshWeight: 10 / 3600,
  timeInMeshQuantum: 1000,
  timeInMeshCap: 3600,
  // P2: +1 per first delivery of a valid message, at most +10, fading over ~40 minutes.
  firstMessageDeliveriesWeight: 1,
  firstMessageDeliveriesDecay: halfLife(40 * 60),
  firstMessageDeliveriesCap: 10,
  // P3/P3b: off (see above).
  meshMessageDeliveriesWeight: 0,
  meshFailurePenaltyWeight: 0,
  // P4: −10 × (invalid count)²: 1 → −10, 2 → −40, 3 → −90; the count halves every 10 minutes.
  invalidMessageDeliveriesWeight: -10,
  invalidMessageDeliveriesDecay: halfLife(10 * 60)
})

/** 1 invalid message: pruned (score < 0) · 2: no gossip, no flood-publish to it · 3: graylisted. */
export const porchlightScoreThresholds: PeerScoreThresholds = {
  gossipThreshold: -10,
  publishThreshold: -30,
  graylistThreshold: -60,
  // No peer can reach it: peer exchange is off (doPX false) and PX from peers is never trusted.
  acceptPXThreshold: 1000,
  opportunisticGraftThreshold: 1
}

/** Peer-level parameters; topics are added at run time with `scoreTopic`. */
export function porchlightScoreParams (opts: { ipColocationWhitelist?: Iterable<string> } = {}): Partial<PeerScoreParams> {
  return {
    topics: {},
    topicScoreCap: 20,
    // Many honest nodes share one address in tests, the demo and the simulator; a LAN's nodes share a NAT.
    IPColocationFactorWhitelist: new Set(opts.ipColocationWhitelist ?? ['127.0.0.1', '::1']),
    // Remember a disconnected peer's score for an hour so reconnecting does not wash a penalty away.
    retainScore: 3600 * 1000
  }
}

/** The parts of the gossipsub 17 router this module reads beyond its typed interface. */
interface GossipsubRouter {
  score: { params: PeerScoreParams }
  getScore (peerId: string): number
  getMeshPeers (topic: string): string[]
  /** Peers this node can send to; gossipsub opens these one at a time after each connection. */
  streamsOutbound: Map<string, unknown>
}

/** The router behind `pubsub`, checked so that an upgrade that moves these internals fails loudly. */
export function routerOf (pubsub: GossipSub): GossipsubRouter {
  const router = pubsub as unknown as Partial<GossipsubRouter>
  if (typeof router.getScore !== 'function') throw new GossipsubInternalsError('getScore()')
  if (typeof router.getMeshPeers !== 'function') throw new GossipsubInternalsError('getMeshPeers()')
  if (typeof router.score?.params?.topics !== 'object') throw new GossipsubInternalsError('score.params.topics')
  if (!(router.streamsOutbound instanceof Map)) throw new GossipsubInternalsError('streamsOutbound')
  return router as GossipsubRouter
}

/**
 * Scores `topic` with `params`. Gossipsub scores only topics named in its parameters, and ours are one per
 * H3 cell, so they are added as the node joins them; without this a rejected message would cost nothing.
 */
export function scoreTopic (pubsub: GossipSub, topic: string, params: TopicScoreParams = requestTopicScoreParams): void {
  validateTopicScoreParams(params)
  routerOf(pubsub).score.params.topics[topic] = params
}

/** The gossipsub score this node gives `peer` (cached by the router for one heartbeat). */
export function peerScore (pubsub: GossipSub, peer: PeerId): number {
  return routerOf(pubsub).getScore(peer.toString())
}

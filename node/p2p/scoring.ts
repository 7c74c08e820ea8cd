// Gossipsub peer scoring for Porchlight's request topics (gossipsub v1.1 §"Peer Scoring"). The numbers and
// their reasons are in docs/node.md ("Gossipsub peer scoring"); in short: one rejected message prunes the
// sender from our mesh, three graylist it, and the penalty halves every ten minutes. What a peer does wrong
// outside gossip (junk in a catch-up answer) reaches its score through the application-specific term P5,
// fed by `penalizePeer` with the same shape: one penalty point costs what one invalid message does.
import { LRUCache } from 'lru-cache'
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
    retainScore: 3600 * 1000,
    // P5 = −(penalty points)², weighted like P4: 1 point → −10, 2 → −40, 3 → −90 (graylisted).
    appSpecificWeight: 10
  }
}

/** Half-life of penalty points, as of P4's invalid-message count. */
export const PENALTY_HALF_LIFE_MS = 10 * 60 * 1000
/**
 * Peers whose penalty points are remembered, least recently penalised first out. Peer ids are free to mint,
 * so the book is bounded; a peer pushed out has had at most its points' worth of effect. @see penalizePeer
 */
export const MAX_PENALISED_PEERS = 4096

interface Points { points: number, at: number }

/** Penalty points per peer, decaying with PENALTY_HALF_LIFE_MS; read by gossipsub as P5. */
class PenaltyBook {
  readonly #book = new LRUCache<string, Points>({ max: MAX_PENALISED_PEERS })
  readonly #now: () => number

  constructor (now: () => number) {
    this.#now = now
  }

  add (peer: string, points: number): void {
    this.#book.set(peer, { points: this.points(peer) + points, at: this.#now() })
  }

  points (peer: string): number {
    // peek: reading a score must not make a peer "recently used" and keep it in the book.
    const entry = this.#book.peek(peer)
    if (entry === undefined) return 0
    return entry.points * Math.pow(0.5, (this.#now() - entry.at) / PENALTY_HALF_LIFE_MS)
  }

  get size (): number {
    return this.#book.size
  }
}

const books = new WeakMap<GossipSub, PenaltyBook>()

/** The node's penalty book, installed as gossipsub's P5 on first use (gossipsub reads its params at each score). */
function bookOf (pubsub: GossipSub): PenaltyBook {
  let book = books.get(pubsub)
  if (book === undefined) {
    const b = book = new PenaltyBook(Date.now)
    books.set(pubsub, b)
    routerOf(pubsub).score.params.appSpecificScore = (peer) => -(b.points(peer) ** 2)
  }
  return book
}

/**
 * Adds penalty points to `peer`'s gossipsub score for misbehaviour gossipsub cannot see (a catch-up answer
 * full of invalid items): P5 = −10 × points², like P4's −10 × count². Seen in the score from the next heartbeat.
 */
export function penalizePeer (pubsub: GossipSub, peer: PeerId | string, points: number): void {
  if (!(points > 0)) return
  bookOf(pubsub).add(peer.toString(), points)
}

/** `peer`'s penalty points now (decayed), and how many peers the book holds. */
export function penaltyOf (pubsub: GossipSub, peer: PeerId | string): { points: number, peers: number } {
  const book = bookOf(pubsub)
  return { points: book.points(peer.toString()), peers: book.size }
}

/** The parts of the gossipsub 17 router this module reads beyond its typed interface. */
interface GossipsubRouter {
  score: { params: PeerScoreParams }
  getScore (peerId: string): number
  getMeshPeers (topic: string): string[]
  /** Peers this node can send to; gossipsub opens these one at a time after each connection. */
  streamsOutbound: Map<string, unknown>
  /** The mesh degree it keeps (D) and grafts up to below D_lo: what a node finding cell-mates aims for. */
  opts: { D: number, Dlo: number }
}

/** The router behind `pubsub`, checked so that an upgrade that moves these internals fails loudly. */
export function routerOf (pubsub: GossipSub): GossipsubRouter {
  const router = pubsub as unknown as Partial<GossipsubRouter>
  if (typeof router.getScore !== 'function') throw new GossipsubInternalsError('getScore()')
  if (typeof router.getMeshPeers !== 'function') throw new GossipsubInternalsError('getMeshPeers()')
  if (typeof router.score?.params?.topics !== 'object') throw new GossipsubInternalsError('score.params.topics')
  if (typeof router.score.params.appSpecificScore !== 'function') throw new GossipsubInternalsError('score.params.appSpecificScore')
  if (!(router.streamsOutbound instanceof Map)) throw new GossipsubInternalsError('streamsOutbound')
  if (typeof router.opts?.D !== 'number' || typeof router.opts.Dlo !== 'number') throw new GossipsubInternalsError('opts.D, opts.Dlo')
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

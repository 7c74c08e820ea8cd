// /porchlight/cell-peers/1.0.0: "who else is on request topic T?", asked of a relay (or an agency, which
// relays too) by a household that wants cell-mates without a hand-kept list. The registration is the gossipsub
// subscription itself: the server answers from the SUBSCRIBEs it received on direct connections, with the
// addresses a cell-mate can be dialled on (its circuit address through this relay when it holds a reservation
// here, then its own public ones). So it tells exactly what a subscription tells every connected peer — a
// peer id and its res-7 topic — and only to a peer on that topic itself (docs/network.md#finding-cell-mates).
import { EventEmitter } from 'node:events'
import { randomInt } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { isPrivate, RateLimiter } from '@libp2p/utils'
import type { AbortOptions, PeerId } from '@libp2p/interface'
import { isPorchlightError, type PorchlightError } from '../../protocol/errors.js'
import { topicCell } from '../../protocol/index.js'
import type { Logger } from '../logging/index.js'
import { handleRequests, sendRequest } from './request-response.js'
import { waitFor } from './topics.js'
import type { PorchlightLibp2p } from './libp2p.js'
import { CellPeersNotSubscribedError, CellPeersRateLimitedError, InvalidCellPeersAnswerError, InvalidCellPeersRequestError, MalformedFrameError } from './errors.js'

export const CELL_PEERS_PROTOCOL = '/porchlight/cell-peers/1.0.0'
/**
 * Peers per answer, a random sample of the topic's: enough to fill a gossipsub mesh (D = 6, D_hi = 12) from
 * one answer, few enough that no single question lists a busy cell.
 */
export const MAX_CELL_PEERS = 16
/** Addresses per peer in an answer: its circuit address(es) through the server, then its public ones. */
export const MAX_CELL_PEER_ADDRS = 4
/** Longest address string answered or accepted (a multiaddr with a circuit hop is ~180 characters). */
export const MAX_CELL_PEER_ADDR_LENGTH = 256
/** Both frames: 16 peers × 4 addresses of 256 characters fit with room for CBOR; a question is ~40 bytes. */
export const MAX_CELL_PEERS_FRAME_BYTES = 32 * 1024

export interface CellPeersRequest { topic: string }
export interface CellPeersAnswerEntry { id: string, addrs: string[] }
export interface CellPeersResponse { peers: CellPeersAnswerEntry[] }

/** A cell-mate as the asker reads it: checked, its addresses all ending in its own /p2p/ id. */
export interface CellPeer {
  id: PeerId
  addrs: Multiaddr[]
}

/** Checks a question: `{ topic }` and nothing else, the topic a res-7 cell's request topic in its one spelling. */
export function checkCellPeersRequest (value: unknown): CellPeersRequest {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length !== 1 || typeof (value as CellPeersRequest).topic !== 'string') {
    throw new InvalidCellPeersRequestError('not { topic }')
  }
  const topic = (value as CellPeersRequest).topic
  if (topicCell(topic) === undefined) throw new InvalidCellPeersRequestError('not a request topic', { topic: topic.slice(0, 64) })
  return { topic }
}

/** Whether an address is worth handing to a peer elsewhere. */
export type AddressFilter = (addr: Multiaddr) => boolean

/** An IP or DNS address that is not private, loopback or link-local (a /memory/ address reaches no one elsewhere). */
const publicAddress: AddressFilter = (addr) => {
  const first = addr.getComponents()[0]?.name
  return (first === 'ip4' || first === 'ip6' || first?.startsWith('dns') === true) && !isPrivate(addr)
}

export interface CellPeersServerInit {
  /** Questions one peer may ask per `rateWindowSeconds` (a household asks for each of its topics on each relay). @default 30 */
  ratePoints?: number
  /** @default 60 */
  rateWindowSeconds?: number
  /**
   * How long a question waits for the asker's own SUBSCRIBE to the topic: a household asks as soon as it has
   * identified the relay, and its subscription may still be on the way. @default 2000
   */
  subscriptionWaitMs?: number
  /**
   * Which of a subscriber's own addresses are answered (tests on 127.0.0.1 see only private ones).
   * @default an IP or DNS address, not private, loopback or link-local
   */
  isPublic?: AddressFilter
}

export interface CellPeersAnswered {
  peer: string
  topic: string
  /** How many cell-mates the answer named. */
  peers: number
}

export interface CellPeersRefused {
  peer: string
  error: PorchlightError
}

export interface CellPeersServerEvents {
  'request:answered': [CellPeersAnswered]
  /** A question refused (unreadable, not a request topic, not subscribed, too many): counted in /metrics. */
  'request:refused': [CellPeersRefused]
}

/** What it uses of a node's components (a role service gets them all; node/service.ts is not imported here, p2p/ is below it). */
export interface CellPeersServerComponents {
  libp2p: PorchlightLibp2p
  logger?: Logger
}

/** The server side, run by relays and agencies (node/roles.ts). */
export class CellPeersServer extends EventEmitter<CellPeersServerEvents> {
  readonly #libp2p: PorchlightLibp2p
  readonly #log: CellPeersServerComponents['logger']
  readonly #limiter: RateLimiter
  readonly #ratePoints: number
  readonly #subscriptionWaitMs: number
  readonly #isPublic: AddressFilter

  constructor (components: CellPeersServerComponents, init: CellPeersServerInit = {}) {
    super()
    this.#libp2p = components.libp2p
    this.#log = components.logger?.child({ component: 'cell-peers' })
    this.#ratePoints = init.ratePoints ?? 30
    this.#limiter = new RateLimiter({ points: this.#ratePoints, duration: init.rateWindowSeconds ?? 60 })
    this.#subscriptionWaitMs = init.subscriptionWaitMs ?? 2000
    this.#isPublic = init.isPublic ?? publicAddress
  }

  async start (): Promise<void> {
    // Not on limited (relayed) connections: the server must see the asker's own SUBSCRIBE on a direct
    // connection, and a question is no reason to spend a relay's limited bytes.
    await handleRequests<unknown, CellPeersResponse>(this.#libp2p, CELL_PEERS_PROTOCOL, async (request, { peer, signal }) => {
      try {
        return await this.#answer(request, peer, signal)
      } catch (err) {
        if (isPorchlightError(err)) this.#refuse(peer, err)
        throw err
      }
    }, {
      maxFrameBytes: MAX_CELL_PEERS_FRAME_BYTES,
      onUnreadable: (err, { peer }) => {
        // An unreadable question costs its sender a point too, so junk frames cannot flood for free.
        try { this.#limiter.consume(peer.toString()) } catch { /* already over: refused as unreadable all the same */ }
        this.#refuse(peer, isPorchlightError(err) ? err : new MalformedFrameError('unreadable', { cause: err, details: { protocol: CELL_PEERS_PROTOCOL } }))
      }
    })
  }

  async stop (): Promise<void> {
    await this.#libp2p.unhandle(CELL_PEERS_PROTOCOL).catch(() => {})
  }

  async #answer (request: unknown, asker: PeerId, signal: AbortSignal): Promise<CellPeersResponse> {
    const key = asker.toString()
    try {
      // Counted before anything else: a junk question costs the asker its point too.
      this.#limiter.consume(key)
    } catch (err) {
      const { msBeforeNext, consumedPoints } = err as { msBeforeNext?: number, consumedPoints?: number }
      throw new CellPeersRateLimitedError({ peer: key, retryAfterMs: Math.max(0, msBeforeNext ?? 0), first: consumedPoints === this.#ratePoints + 1 })
    }
    const { topic } = checkCellPeersRequest(request)
    await this.#awaitSubscription(asker, topic, signal)
    const peers = await this.#sample(topic, asker)
    this.emit('request:answered', { peer: key, topic, peers: peers.length })
    this.#log?.debug({ peer: key, topic, peers: peers.length }, 'cell-peers: answered')
    return { peers }
  }

  /** Whether `peer`'s SUBSCRIBE to `topic` came on a direct connection (a relayed one could be anyone's word). */
  #subscribed (peer: PeerId, topic: string): boolean {
    return this.#direct(peer) && this.#libp2p.services.pubsub.getSubscribers(topic).some((p) => p.equals(peer))
  }

  #direct (peer: PeerId): boolean {
    return this.#libp2p.getConnections(peer).some((c) => c.limits === undefined)
  }

  async #awaitSubscription (peer: PeerId, topic: string, signal: AbortSignal): Promise<void> {
    const pubsub = this.#libp2p.services.pubsub
    const timeout = AbortSignal.timeout(this.#subscriptionWaitMs)
    try {
      await waitFor(AbortSignal.any([signal, timeout]), () => this.#subscribed(peer, topic) ? true : undefined, (check) => {
        pubsub.addEventListener('subscription-change', check)
        return () => { pubsub.removeEventListener('subscription-change', check) }
      })
    } catch (err) {
      if (timeout.aborted) throw new CellPeersNotSubscribedError({ peer: peer.toString(), topic })
      throw err
    }
  }

  /** Up to MAX_CELL_PEERS of the topic's direct subscribers, at random, each with addresses someone elsewhere can dial. */
  async #sample (topic: string, asker: PeerId): Promise<CellPeersAnswerEntry[]> {
    const candidates = shuffle(this.#libp2p.services.pubsub.getSubscribers(topic).filter((p) => !p.equals(asker) && this.#direct(p)))
    // The relay's own public addresses for the hop; none known (libp2p advertises a public address only once
    // it is verified, and a town's AutoNAT may never verify it) → `/p2p/<relay>` alone, which the asker's
    // circuit transport dials over the connection it asked on (or the relay addresses it has itself).
    const public_ = this.#libp2p.getMultiaddrs().filter((a) => !isCircuit(a) && this.#isPublic(a)).slice(0, 2)
    const circuitHops = public_.length > 0 ? public_ : [multiaddr(`/p2p/${this.#libp2p.peerId.toString()}`)]
    const answer: CellPeersAnswerEntry[] = []
    for (const peer of candidates) {
      if (answer.length >= MAX_CELL_PEERS) break
      const addrs = await this.#addressesOf(peer, circuitHops)
      // A subscriber with no address anyone elsewhere can dial (behind a router, no reservation here) is
      // no use to the asker; it finds the asker instead when it asks.
      if (addrs.length > 0) answer.push({ id: peer.toString(), addrs })
    }
    return answer
  }

  async #addressesOf (peer: PeerId, circuitHops: Multiaddr[]): Promise<string[]> {
    const id = peer.toString()
    const self = this.#libp2p.peerId.toString()
    const relayed = this.#libp2p.services.relay?.reservations.has(peer) === true
    const viaUs = relayed ? circuitHops.map((hop) => `${hop.toString()}/p2p-circuit/p2p/${id}`) : []
    // Its own addresses as it told us (identify): public ones, and its circuit addresses through other relays.
    const told = await this.#libp2p.peerStore.get(peer).then((p) => p.addresses.map((a) => a.multiaddr), () => [])
    const own = told
      .filter((a) => this.#isPublic(a) && !a.toString().includes(`/p2p/${self}/p2p-circuit`))
      .map((a) => withPeer(a, id))
    return [...new Set([...viaUs, ...own])].filter((a) => a.length <= MAX_CELL_PEER_ADDR_LENGTH).slice(0, MAX_CELL_PEER_ADDRS)
  }

  #refuse (peer: PeerId, error: PorchlightError): void {
    // A flood is logged once per window, not once per question: the log is not the flooder's to fill.
    const level = error instanceof CellPeersRateLimitedError && error.details.first !== true ? 'debug' : 'info'
    this.#log?.[level]({ peer: peer.toString(), code: error.code, details: error.details }, 'cell-peers: question refused')
    this.emit('request:refused', { peer: peer.toString(), error })
  }
}

/** The server as a role service (relays and agencies). */
export function cellPeers (init: CellPeersServerInit = {}): (components: CellPeersServerComponents) => CellPeersServer {
  return (components) => new CellPeersServer(components, init)
}

/**
 * Asks `relay` who else is on `topic` and checks the answer whole: a server that breaks the protocol's
 * bounds in one entry is not trusted for the others.
 */
export async function askCellPeers (libp2p: Pick<PorchlightLibp2p, 'dialProtocol' | 'peerId'>, relay: PeerId, topic: string, options: AbortOptions & { timeoutMs?: number } = {}): Promise<CellPeer[]> {
  const response = await sendRequest<CellPeersRequest, unknown>(libp2p, relay, CELL_PEERS_PROTOCOL, { topic }, { maxFrameBytes: MAX_CELL_PEERS_FRAME_BYTES, ...options })
  return readCellPeersAnswer(response, libp2p.peerId)
}

/** Checks an answer's shape and bounds; the asker itself, a duplicate or an address for another peer refuse it. */
export function readCellPeersAnswer (response: unknown, self: PeerId): CellPeer[] {
  const peers = (response as Partial<CellPeersResponse> | null)?.peers
  if (response === null || typeof response !== 'object' || Object.keys(response).length !== 1 || !Array.isArray(peers)) throw new InvalidCellPeersAnswerError('not { peers }')
  if (peers.length > MAX_CELL_PEERS) throw new InvalidCellPeersAnswerError(`more than ${MAX_CELL_PEERS} peers`, { peers: peers.length })
  const seen = new Set<string>()
  return peers.map((entry, i) => {
    if (entry === null || typeof entry !== 'object' || typeof entry.id !== 'string' || !Array.isArray(entry.addrs)) throw new InvalidCellPeersAnswerError('not { id, addrs }', { index: i })
    if (entry.addrs.length === 0 || entry.addrs.length > MAX_CELL_PEER_ADDRS) throw new InvalidCellPeersAnswerError(`1 to ${MAX_CELL_PEER_ADDRS} addresses`, { index: i })
    let id: PeerId
    try {
      id = peerIdFromString(entry.id)
    } catch {
      throw new InvalidCellPeersAnswerError('not a peer id', { index: i })
    }
    if (id.equals(self)) throw new InvalidCellPeersAnswerError('names the asker', { index: i })
    if (seen.has(entry.id)) throw new InvalidCellPeersAnswerError('names a peer twice', { index: i })
    seen.add(entry.id)
    const addrs = entry.addrs.map((a: unknown) => {
      if (typeof a !== 'string' || a.length > MAX_CELL_PEER_ADDR_LENGTH) throw new InvalidCellPeersAnswerError('not an address', { index: i })
      let ma: Multiaddr
      try {
        ma = multiaddr(a)
      } catch {
        throw new InvalidCellPeersAnswerError('not an address', { index: i })
      }
      // libp2p dials a list of addresses as one peer's; one for another peer would make it dial someone else.
      if (lastPeer(ma) !== entry.id) throw new InvalidCellPeersAnswerError('an address for another peer', { index: i })
      return ma
    })
    return { id, addrs }
  })
}

function isCircuit (addr: Multiaddr): boolean {
  return addr.getComponents().some((c) => c.name === 'p2p-circuit')
}

function lastPeer (addr: Multiaddr): string | undefined {
  return addr.getComponents().findLast((c) => c.name === 'p2p')?.value
}

function withPeer (addr: Multiaddr, id: string): string {
  return lastPeer(addr) === id ? addr.toString() : `${addr.toString()}/p2p/${id}`
}

/** Fisher–Yates with the platform's CSPRNG: which 16 of a busy cell's peers an asker gets is not predictable. */
function shuffle<T> (items: T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

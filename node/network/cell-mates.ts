// A household's cell-mates without a hand-kept list: it asks each relay it is connected to (over
// /porchlight/cell-peers/1.0.0, node/p2p/cell-peers.ts) who else is on each of its request topics, and dials
// those it is not connected to — through the relay when that is the only way in. It asks when a relay is
// identified, when it gains a relay reservation (its circuit addresses change: from then on others can reach
// it too), and on a timer: every few seconds, backing off, while a topic has fewer than gossipsub's D_lo
// peers; rarely once every topic has them (docs/network.md#finding-cell-mates).
import { EventEmitter } from 'node:events'
import type { Connection, PeerId } from '@libp2p/interface'
import { topicName } from '../../protocol/index.js'
import type { PorchlightError } from '../../protocol/errors.js'
import { askCellPeers, CELL_PEERS_PROTOCOL, type CellPeer } from '../p2p/cell-peers.js'
import type { PorchlightLibp2p } from '../p2p/index.js'
import { routerOf } from '../p2p/scoring.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { RequestNetwork } from './request-network.js'
import { localOnly, resolveNetwork } from '../config/network.js'

export interface CellMatesInit {
  /**
   * Whether to look at all. @default true when the node holds relay reservations or listens beyond
   * loopback: on 127.0.0.1 alone (tests, the demo, the simulator) no relay could name a dialable cell-mate,
   * and a thousand simulated households asking their agencies would be load for nothing.
   */
  enabled?: boolean
  /** The delay before the next round while a topic lacks peers; doubled after each round that found none. @default 5000 */
  minIntervalMs?: number
  /** The longest such delay. @default 300000 */
  maxIntervalMs?: number
  /** The delay between rounds once every topic has D_lo peers (a round then asks nobody). @default 600000 */
  idleIntervalMs?: number
  /** One dial to a cell-mate, all its addresses. @default 10000 */
  dialTimeoutMs?: number
}

export interface MatesFound {
  topic: string
  /** The relay that named them. */
  relay: string
  /** The cell-mates named that this node was not connected to. */
  peers: string[]
}

export interface MateConnected {
  peer: string
  topic: string
  /** Through a relay (a limited connection, until DCUtR replaces it with a direct one). */
  relayed: boolean
}

export interface CellMatesEvents {
  'mates:found': [MatesFound]
  'mate:connected': [MateConnected]
  'mate:dial-failed': [{ peer: string, topic: string, error: Error }]
  'ask:answered': [{ relay: string, topic: string, peers: number }]
  /** A relay that did not answer, or answered outside the protocol (InvalidCellPeersAnswerError, RemoteError …). */
  'ask:failed': [{ relay: string, topic: string, error: PorchlightError | Error }]
  /** `why`: what started it (several triggers while one round ran make the next round's). */
  'round:completed': [{ asked: number, found: number, lonely: number, why: RoundReason[] }]
}

/** What starts a round: start, a relay identified, a reservation gained, a peer gone, the timer. */
export type RoundReason = 'start' | 'relay' | 'reservation' | 'disconnect' | 'timer'

export type CellMatesComponents = Pick<NodeComponents, 'libp2p' | 'config'> & Partial<Pick<NodeComponents, 'logger'>> & { network: RequestNetwork }

export class CellMates extends EventEmitter<CellMatesEvents> implements NodeService {
  readonly #libp2p: PorchlightLibp2p
  readonly #network: RequestNetwork
  readonly #log: CellMatesComponents['logger']
  readonly #minIntervalMs: number
  readonly #maxIntervalMs: number
  readonly #idleIntervalMs: number
  readonly #dialTimeoutMs: number
  readonly #enabled: boolean
  readonly #dialing = new Set<string>()
  #delayMs: number
  #timer: NodeJS.Timeout | undefined
  #due = 0
  #running: Promise<void> | undefined
  #again = false
  readonly #reasons = new Set<RoundReason>()
  #controller = new AbortController()
  #circuits = new Set<string>()

  readonly #onIdentify = (evt: CustomEvent<{ peerId: PeerId, protocols: string[] }>): void => {
    if (evt.detail.protocols.includes(CELL_PEERS_PROTOCOL)) this.#trigger('relay')
  }

  readonly #onDisconnect = (): void => { this.#soon() }

  // A new reservation shows as a new circuit address of ours: others can reach this node only from then on,
  // and a cell-mate that asked before it did not get this node's address. Other address changes are not news.
  readonly #onSelfUpdate = (): void => {
    const circuits = this.#ownCircuits()
    const gained = [...circuits].some((a) => !this.#circuits.has(a))
    this.#circuits = circuits
    if (gained) this.#trigger('reservation')
  }

  constructor (components: CellMatesComponents, init: CellMatesInit = {}) {
    super()
    this.#libp2p = components.libp2p
    this.#network = components.network
    this.#log = components.logger?.child({ component: 'cell-mates' })
    this.#minIntervalMs = init.minIntervalMs ?? 5000
    this.#maxIntervalMs = init.maxIntervalMs ?? 300_000
    this.#idleIntervalMs = init.idleIntervalMs ?? 600_000
    this.#dialTimeoutMs = init.dialTimeoutMs ?? 10_000
    this.#delayMs = this.#minIntervalMs
    const { config } = components
    this.#enabled = init.enabled ?? (resolveNetwork(config).reservations > 0 || !localOnly(config.listen))
  }

  /** Whether it looks for cell-mates (CellMatesInit.enabled). */
  get enabled (): boolean {
    return this.#enabled
  }

  start (): void {
    if (!this.#enabled) return
    this.#controller = new AbortController()
    this.#circuits = this.#ownCircuits()
    this.#libp2p.addEventListener('peer:identify', this.#onIdentify)
    this.#libp2p.addEventListener('self:peer:update', this.#onSelfUpdate)
    this.#libp2p.addEventListener('peer:disconnect', this.#onDisconnect)
    // libp2p starts before the services: a relay may be connected and identified already.
    this.#trigger('start')
  }

  async stop (): Promise<void> {
    this.#libp2p.removeEventListener('peer:identify', this.#onIdentify)
    this.#libp2p.removeEventListener('self:peer:update', this.#onSelfUpdate)
    this.#libp2p.removeEventListener('peer:disconnect', this.#onDisconnect)
    this.#controller.abort()
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#running
  }

  /** The request topics with fewer than gossipsub's D_lo connected subscribers. */
  lonelyTopics (): string[] {
    const dLow = routerOf(this.#libp2p.services.pubsub).opts.Dlo
    return this.#network.cells().map(topicName).filter((t) => this.#subscribers(t) < dLow)
  }

  /** Runs a round now (or right after the running one) and starts the backoff afresh: something changed. */
  #trigger (why: RoundReason): void {
    this.#delayMs = this.#minIntervalMs
    this.#run(why)
  }

  /** A round within the shortest delay at the latest: a cell-mate left, and a topic may be short of peers again. */
  #soon (): void {
    if (this.#running !== undefined || (this.#timer !== undefined && this.#due <= Date.now() + this.#minIntervalMs)) return
    this.#delayMs = this.#minIntervalMs
    this.#schedule(this.#minIntervalMs, 'disconnect')
  }

  #run (why: RoundReason): void {
    if (this.#controller.signal.aborted) return
    this.#reasons.add(why)
    if (this.#running !== undefined) { this.#again = true; return }
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#running = this.#loop().finally(() => { this.#running = undefined })
  }

  async #loop (): Promise<void> {
    let found = 0
    do {
      this.#again = false
      const why = [...this.#reasons]
      this.#reasons.clear()
      found += await this.#round(why).catch((err: unknown) => { this.#log?.warn({ err }, 'cell-mates: round failed'); return 0 })
    } while (this.#again && !this.#controller.signal.aborted)
    if (this.#controller.signal.aborted) return
    if (this.lonelyTopics().length === 0) {
      this.#delayMs = this.#minIntervalMs
      this.#schedule(this.#idleIntervalMs, 'timer')
      return
    }
    // Backing off only while rounds bring nobody new: a cell where no one else runs a node costs a few
    // questions an hour, not one every five seconds.
    const delay = this.#delayMs
    this.#delayMs = found === 0 ? Math.min(delay * 2, this.#maxIntervalMs) : this.#minIntervalMs
    this.#schedule(delay, 'timer')
  }

  #schedule (ms: number, why: RoundReason): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#due = Date.now() + ms
    this.#timer = setTimeout(() => { this.#timer = undefined; this.#run(why) }, ms)
    this.#timer.unref()
  }

  /** Asks every connected relay about every lonely topic and dials the cell-mates named; returns how many were new. */
  async #round (why: RoundReason[]): Promise<number> {
    const topics = this.lonelyTopics()
    const relays = topics.length === 0 ? [] : await this.#relays()
    let asked = 0
    let found = 0
    await Promise.all(relays.map(async (relay) => {
      for (const topic of topics) {
        if (this.#controller.signal.aborted) return
        let mates: CellPeer[]
        asked++
        try {
          mates = await askCellPeers(this.#libp2p, relay, topic, { signal: this.#controller.signal })
        } catch (err) {
          if (this.#controller.signal.aborted) return
          this.#log?.info({ relay: relay.toString(), topic, err }, 'cell-mates: relay did not answer')
          this.emit('ask:failed', { relay: relay.toString(), topic, error: err as Error })
          continue
        }
        this.emit('ask:answered', { relay: relay.toString(), topic, peers: mates.length })
        const fresh = mates.filter((m) => !this.#connected(m.id) && !this.#dialing.has(m.id.toString()))
        if (fresh.length === 0) continue
        found += fresh.length
        const peers = fresh.map((m) => m.id.toString())
        this.#log?.info({ topic, relay: relay.toString(), peers }, 'cell-mates: found')
        this.emit('mates:found', { topic, relay: relay.toString(), peers })
        // Enough to fill the mesh (gossipsub's D), not every peer of a busy cell.
        const room = Math.max(0, routerOf(this.#libp2p.services.pubsub).opts.D - this.#subscribers(topic) - this.#dialing.size)
        await Promise.all(fresh.slice(0, room).map(async (m) => { await this.#dial(m, topic) }))
      }
    }))
    this.#log?.debug({ why, asked, found }, 'cell-mates: round')
    this.emit('round:completed', { asked, found, lonely: this.lonelyTopics().length, why })
    return found
  }

  async #dial (mate: CellPeer, topic: string): Promise<void> {
    const peer = mate.id.toString()
    this.#dialing.add(peer)
    try {
      const signal = AbortSignal.any([this.#controller.signal, AbortSignal.timeout(this.#dialTimeoutMs)])
      // All its addresses as one dial: libp2p tries direct ones before circuit ones, and a /p2p-circuit address
      // goes through the relay's connection we already hold.
      const connection: Connection = await this.#libp2p.dial(mate.addrs, { signal })
      const relayed = connection.limits !== undefined
      this.#log?.info({ peer, topic, relayed }, 'cell-mates: connected')
      this.emit('mate:connected', { peer, topic, relayed })
    } catch (err) {
      if (this.#controller.signal.aborted) return
      this.#log?.info({ peer, topic, err }, 'cell-mates: dial failed')
      this.emit('mate:dial-failed', { peer, topic, error: err as Error })
    } finally {
      this.#dialing.delete(peer)
    }
  }

  /** Connected peers that serve cell-peers over a direct connection (relays, agencies). */
  async #relays (): Promise<PeerId[]> {
    const peers = this.#libp2p.getConnections().filter((c) => c.limits === undefined).map((c) => c.remotePeer)
    const unique = [...new Map(peers.map((p) => [p.toString(), p])).values()]
    const serving = await Promise.all(unique.map(async (p) => await this.#libp2p.peerStore.get(p).then((info) => info.protocols.includes(CELL_PEERS_PROTOCOL), () => false)))
    return unique.filter((_, i) => serving[i])
  }

  #subscribers (topic: string): number {
    return this.#libp2p.services.pubsub.getSubscribers(topic).length
  }

  #connected (peer: PeerId): boolean {
    return this.#libp2p.getConnections(peer).length > 0
  }

  #ownCircuits (): Set<string> {
    return new Set(this.#libp2p.getMultiaddrs().map(String).filter((a) => a.includes('/p2p-circuit')))
  }
}

/** The client as a role service (residents). */
export function cellMates (init: CellMatesInit = {}): (components: CellMatesComponents) => CellMates {
  return (components) => new CellMates(components, init)
}

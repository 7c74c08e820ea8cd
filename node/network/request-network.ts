// The request network on one node: joins request topics with the AnnouncementValidator as their gossip
// validator, keeps what it accepts in LiveRequests, answers /porchlight/requests/1.0.0 from it, and asks
// every newly identified peer for the live requests of its cells. Every role runs it (a relay validates
// what it forwards); a resident adds its inbox on top (node/resident).
import { EventEmitter } from 'node:events'
import type { PeerId, Logger } from '@libp2p/interface'
import { NoWitnessQuorumError, TOPIC_RESOLUTION, assertCell, topicName, type Domain } from '../../protocol/index.js'
import { joinTopic, leaveTopic, penalizePeer, peerScore, porchlightScoreThresholds, TopicValidatorResult, type PorchlightLibp2p } from '../p2p/index.js'
import type { ChainService } from '../chain/chain-service.js'
import type { NodeComponents, NodeService } from '../service.js'
import { AnnouncementValidator, type Arrival, type ValidatedAnnouncement, type ValidationOutcome } from './announcement-validator.js'
import { LiveRequests, type LiveAnnouncementSource } from './live-requests.js'
import { askForLive, CATCH_UP_PROTOCOL, handleCatchUp, MAX_CATCH_UP_CELLS, MAX_CATCH_UP_ITEMS, MAX_INVALID_CATCH_UP_ITEMS } from './catch-up.js'
import {
  CatchUpPeerGraylistedError, CatchUpTooManyInvalidError, CatchUpTooManyItemsError, DuplicateAnnouncementError, RegistryUnavailableError,
  WitnessSetUnavailableError
} from './errors.js'
import type { PorchlightError } from '../../protocol/index.js'

export interface RequestNetworkInit {
  /** More sources for catch-up answers (an agency's own live requests). */
  sources?: LiveAnnouncementSource[]
  /** Unix seconds. @default the system clock */
  now?: () => number
  /** How often expired requests are pruned. @default 60000 */
  pruneIntervalMs?: number
}

export interface ValidatedEvent {
  outcome: ValidationOutcome
  /** The announcement's bytes as received (whatever the outcome: an auditor keeps refused checkpoints as evidence). */
  bytes: Uint8Array
  /** The gossip peer it came from, or the peer that answered catch-up. */
  from?: string
  /** The gossip topic, or undefined for catch-up. */
  topic?: string
}

/** A catch-up answer (or a peer) this node stopped reading, and why. */
export interface CatchUpRefusal {
  peer: string
  /** CatchUpTooManyItemsError, CatchUpTooManyInvalidError or CatchUpPeerGraylistedError. */
  error: PorchlightError
  /** Items left unread (0 when the peer was not asked). */
  unread: number
}

export interface RequestNetworkEvents {
  /** A catch-up answer cut short, or a graylisted peer not asked (counted in /metrics). */
  'catch-up:refused': [CatchUpRefusal]
  /** Every validation, whatever its result (tests and metrics count them; nothing leaves the node). */
  'announcement:validated': [ValidatedEvent]
  'request:live': [ValidatedAnnouncement]
  'request:withdrawn': [ValidatedAnnouncement]
}

const resultOf = { accept: TopicValidatorResult.Accept, reject: TopicValidatorResult.Reject, ignore: TopicValidatorResult.Ignore } as const

const uncheckable = new Set([RegistryUnavailableError.code, WitnessSetUnavailableError.code, NoWitnessQuorumError.code])

export type RequestNetworkComponents = Pick<NodeComponents, 'store' | 'libp2p'> & Partial<Pick<NodeComponents, 'logger'>> & { chain: ChainService }

export class RequestNetwork extends EventEmitter<RequestNetworkEvents> implements NodeService {
  readonly #components: RequestNetworkComponents
  readonly #init: RequestNetworkInit
  readonly #cells = new Set<string>()
  readonly #sources: LiveAnnouncementSource[]
  readonly #log: Logger
  readonly #now: () => number
  #live: LiveRequests | undefined
  #validator: AnnouncementValidator | undefined
  #pruner: NodeJS.Timeout | undefined
  #started = false
  /** Catch-ups under way, by peer (at most one per connected peer). */
  readonly #asking = new Map<string, { again: boolean }>()
  readonly #onIdentify = (evt: CustomEvent<{ peerId: PeerId, protocols: string[] }>): void => {
    if (evt.detail.protocols.includes(CATCH_UP_PROTOCOL)) this.#ask(evt.detail.peerId)
  }

  // A peer that subscribes to one of our topics may be a cell-mate we could not ask yet: identified before
  // its own network started, it listed no catch-up protocol (and we run no identify-push), and it may hold
  // requests from its last run that gossip never replays (issue 15, item 8). A peer whose identify listed the
  // protocol was asked then, or at our start: not again, so a connection costs one catch-up, not two.
  readonly #onSubscriptionChange = (evt: CustomEvent<{ peerId: PeerId, subscriptions: Array<{ topic: string, subscribe: boolean }> }>): void => {
    const topics = new Set(this.cells().map(topicName))
    if (!evt.detail.subscriptions.some((s) => s.subscribe && topics.has(s.topic))) return
    const peer = evt.detail.peerId
    this.libp2p.peerStore.get(peer).then((p) => p.protocols.includes(CATCH_UP_PROTOCOL), () => false).then((asked) => {
      if (!asked) this.#ask(peer)
    }, () => {})
  }

  constructor (components: RequestNetworkComponents, init: RequestNetworkInit = {}) {
    super()
    this.#components = components
    this.#init = init
    this.#log = components.libp2p.logger.forComponent('porchlight:network')
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
    this.#sources = [...(init.sources ?? [])]
  }

  get libp2p (): PorchlightLibp2p {
    return this.#components.libp2p
  }

  /** The validated live requests (available once started). */
  get live (): LiveRequests {
    if (this.#live === undefined) throw new Error('RequestNetwork is not started')
    return this.#live
  }

  /** The validator, once started; undefined on a node without a chain (it can check nothing). */
  get validator (): AnnouncementValidator | undefined {
    return this.#validator
  }

  /** The EIP-712 domain requests are verified in (the chain's, once started). */
  get domain (): Domain {
    const domain = this.#components.chain.domain
    if (domain === undefined) throw new RegistryUnavailableError(new Error('no chain configured'))
    return domain
  }

  /** The res-7 cells joined. */
  cells (): string[] {
    return [...this.#cells].sort()
  }

  async start (): Promise<void> {
    const { store, libp2p, chain } = this.#components
    this.#live = await LiveRequests.open(store.sublevel('live-requests', { valueEncoding: 'json' }))
    this.#live.on('request:live', (v) => this.emit('request:live', v))
    this.#live.on('request:withdrawn', (v) => this.emit('request:withdrawn', v))
    if (chain.registry !== undefined && chain.domain !== undefined) {
      this.#validator = new AnnouncementValidator({ registry: chain.registry, domain: chain.domain, state: this.#live, now: this.#now })
    } else {
      this.#log('no chain configured: every announcement is ignored')
    }
    await this.#live.prune(this.#now())
    this.#sources.unshift(this.#live)
    await handleCatchUp(libp2p, this.#sources, this.#now)
    libp2p.addEventListener('peer:identify', this.#onIdentify)
    libp2p.services.pubsub.addEventListener('subscription-change', this.#onSubscriptionChange)
    this.#pruner = setInterval(() => { this.#live?.prune(this.#now()).catch((err) => { this.#log.error('prune: %s', err) }) }, this.#init.pruneIntervalMs ?? 60_000)
    this.#pruner.unref()
    this.#started = true
    for (const cell of this.#cells) this.#subscribe(cell)
    // libp2p starts before the services, so a bootstrap peer may be connected and identified already: its
    // peer:identify has passed, and without this a rebooted home node asked nobody (issue 15, item 7). Every
    // connected peer is asked, whatever protocols it listed: one whose own network had not started when it
    // was identified listed none, and a peer that does not serve catch-up costs one refused stream.
    for (const peer of libp2p.getPeers()) this.#ask(peer)
  }

  async stop (): Promise<void> {
    this.#started = false
    if (this.#pruner !== undefined) clearInterval(this.#pruner)
    const { libp2p } = this.#components
    libp2p.removeEventListener('peer:identify', this.#onIdentify)
    libp2p.services.pubsub.removeEventListener('subscription-change', this.#onSubscriptionChange)
    for (const cell of this.#cells) { try { leaveTopic(libp2p, topicName(cell)) } catch { /* pubsub already stopped (unsubscribe throws then): no topic left to leave */ } }
    await libp2p.unhandle(CATCH_UP_PROTOCOL).catch(() => {})
  }

  /** Adds a source of catch-up answers (an agency's request desk), before or after start. */
  addSource (source: LiveAnnouncementSource): void {
    this.#sources.push(source)
  }

  /** Joins the request topics of res-7 `cells` (before or after start); after start, catches up on them. */
  join (cells: readonly string[]): void {
    const fresh = cells.map((c, i) => assertCell(c, { exact: TOPIC_RESOLUTION }, `cells[${i}]`)).filter((c) => !this.#cells.has(c))
    for (const cell of fresh) {
      this.#cells.add(cell)
      if (this.#started) this.#subscribe(cell)
    }
    if (this.#started && fresh.length > 0) {
      for (const peer of this.libp2p.getPeers()) void this.catchUp(peer)
    }
  }

  /**
   * Leaves the request topics of res-7 `cells` (a resident's last camera in a cell was removed). Live
   * requests already held for them stay until they expire: the inbox matches by camera, so they match nothing.
   */
  leave (cells: readonly string[]): void {
    for (const cell of cells) {
      if (!this.#cells.delete(cell)) continue
      if (this.#started) { try { leaveTopic(this.libp2p, topicName(cell)) } catch { /* pubsub already stopped: no topic left to leave */ } }
    }
  }

  /**
   * Asks `peer` for live requests. A trigger while a catch-up from it runs asks once more after it, not in
   * parallel: the running one may have opened its stream before the peer served catch-up or held the request.
   */
  #ask (peer: PeerId): void {
    const key = peer.toString()
    const running = this.#asking.get(key)
    if (running !== undefined) { running.again = true; return }
    const state = { again: false }
    this.#asking.set(key, state)
    const run = async (): Promise<void> => {
      do {
        state.again = false
        await this.catchUp(peer)
      } while (state.again && this.#started)
    }
    run().catch((err) => { this.#log.error('catch-up from %p: %s', peer, err) }).finally(() => { this.#asking.delete(key) })
  }

  /** Validates one announcement (from gossip or catch-up) and keeps it when accepted. */
  async ingest (bytes: Uint8Array, arrival: Arrival = {}, from?: string): Promise<ValidationOutcome> {
    // Without a chain nothing can be checked: ignored (never forwarded), and the sender is not blamed.
    const outcome: ValidationOutcome = this.#validator === undefined
      ? { result: 'ignore', error: new RegistryUnavailableError(new Error('no chain configured')) }
      : await this.#validator.validate(bytes, arrival)
    if (outcome.result === 'accept') {
      await this.live.add(outcome.announcement, arrival.topic)
    } else {
      this.#log('%s announcement %s from %s: %s %o', outcome.result, outcome.id ?? '(undecodable)', from ?? 'local', outcome.error.code, outcome.error.details)
      // A refusal is the sender's doing (info). An ignore because this node could not check (its chain or the
      // witness set unreachable, no quorum set) is a warning: the announcement is not retried, so an operator
      // should see it. Duplicates are the normal case of gossip and go unlogged.
      const line = { err: outcome.error, id: outcome.id, from, via: arrival.topic === undefined ? 'catch-up' : 'gossip' }
      if (uncheckable.has(outcome.error.code)) this.#components.logger?.warn(line, 'network: announcement ignored, not checkable now')
      else if (outcome.error.code !== DuplicateAnnouncementError.code) this.#components.logger?.info(line, `network: announcement ${outcome.result === 'reject' ? 'refused' : 'ignored'}`)
    }
    this.emit('announcement:validated', { outcome, bytes, ...(from === undefined ? {} : { from }), ...(arrival.topic === undefined ? {} : { topic: arrival.topic }) })
    return outcome
  }

  /**
   * Asks `peer` (or every connected peer) for the live announcements of the joined cells and ingests each
   * answer like gossip. Returns how many were accepted; a peer that fails to answer is skipped. An answer is
   * read up to MAX_CATCH_UP_ITEMS items and until MAX_INVALID_CATCH_UP_ITEMS of them were refused; every
   * refused item costs the peer 1/MAX_INVALID_CATCH_UP_ITEMS penalty point in its gossipsub score (an answer
   * over the item cap a whole point), and a graylisted peer is not asked at all.
   */
  async catchUp (peer?: PeerId): Promise<number> {
    const cells = this.cells()
    if (!this.#started || cells.length === 0) return 0
    const peers = peer === undefined ? this.libp2p.getPeers() : [peer]
    const pubsub = this.libp2p.services.pubsub
    let accepted = 0
    await Promise.all(peers.map(async (p) => {
      const from = p.toString()
      const score = peerScore(pubsub, p)
      if (score < porchlightScoreThresholds.graylistThreshold) {
        this.#refuse({ peer: from, error: new CatchUpPeerGraylistedError({ peer: from, score }), unread: 0 })
        return
      }
      const answers: Uint8Array[][] = []
      try {
        // A peer answers at most MAX_CATCH_UP_CELLS cells per question; an auditor's jurisdictions join more.
        for (let i = 0; i < cells.length; i += MAX_CATCH_UP_CELLS) answers.push(await askForLive(this.libp2p, p, cells.slice(i, i + MAX_CATCH_UP_CELLS)))
      } catch (err) {
        this.#log('catch-up from %p failed: %s', p, (err as Error).name)
        return
      }
      let points = 0
      for (const answer of answers) {
        if (answer.length > MAX_CATCH_UP_ITEMS) {
          points += 1
          this.#refuse({ peer: from, error: new CatchUpTooManyItemsError({ peer: from, items: answer.length, limit: MAX_CATCH_UP_ITEMS }), unread: answer.length - MAX_CATCH_UP_ITEMS })
        }
        const items = answer.slice(0, MAX_CATCH_UP_ITEMS)
        let invalid = 0
        // In the answer's order: requests before withdrawals, so a withdrawal finds the request it retires.
        for (const [i, bytes] of items.entries()) {
          const outcome = await this.ingest(bytes, { cells }, from)
          if (outcome.result === 'accept') accepted++
          if (outcome.result !== 'reject') continue
          points += 1 / MAX_INVALID_CATCH_UP_ITEMS
          if (++invalid < MAX_INVALID_CATCH_UP_ITEMS) continue
          this.#refuse({ peer: from, error: new CatchUpTooManyInvalidError({ peer: from, invalid, unread: items.length - i - 1 }), unread: items.length - i - 1 })
          break
        }
      }
      penalizePeer(pubsub, p, points)
    }))
    return accepted
  }

  #refuse (refusal: CatchUpRefusal): void {
    this.#components.logger?.warn({ err: refusal.error, from: refusal.peer, unread: refusal.unread }, 'network: catch-up answer refused')
    this.emit('catch-up:refused', refusal)
  }

  #subscribe (cell: string): void {
    const topic = topicName(cell)
    joinTopic(this.libp2p, topic, {
      validator: async (from, msg) => resultOf[(await this.ingest(msg.data, { topic: msg.topic }, from.toString())).result]
    })
  }
}

/** The request network as a node service (libp2p's factory-of-factory shape). */
export function requestNetwork (init: RequestNetworkInit = {}): (components: RequestNetworkComponents) => RequestNetwork {
  return (components) => new RequestNetwork(components, init)
}

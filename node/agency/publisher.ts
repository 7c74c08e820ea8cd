// Publishes an agency's announcements on the res-7 topics of their areas, and keeps the ones no peer has
// received yet: an area may have no subscribed resident when a request is made, and one may join later.
//
// One announcement goes out on several topics, its gossip message id its request's id and the topic
// (docs/design.md §5); gossipsub refuses to publish an id it has seen (`PublishError.Duplicate`) — and it
// marks an id seen even when a publish reached nobody. So before each publish the publisher removes that
// id from the router's seen cache (checked at run time, like scoring.ts: an upgrade that moves it fails loudly).
//
// A publish that reached some peer may still miss another subscribed one: its subscription not yet processed,
// or no outbound stream to it open yet (a resident that connected a moment before). gossipsub does not replay
// to a peer that joins later, and that peer's catch-up ran when it connected, before the request existed.
// So for a while after each publish the publisher remembers who received it and, at each heartbeat or
// subscription change, sends it again while a subscriber of its topic is missing (at most `maxAttempts`
// times); peers that have it drop the copy by its message id, unvalidated. (Found when the auditor, which
// listens on every topic, made "some peer received it" true before the residents' streams were open.)
import type { GossipSub } from '@libp2p/gossipsub'
import { EventEmitter } from 'node:events'
import { GossipsubInternalsError, type PorchlightLibp2p } from '../p2p/index.js'

export interface PublisherInit {
  /** Publish attempts per announcement and topic while a peer is subscribed there. @default 10 */
  maxAttempts?: number
  /** Announcements waiting for a topic peer, at most. @default 1024 */
  maxPending?: number
  /** Unix seconds. */
  now?: () => number
  /** How long after a publish a subscriber it missed is sent it again, in ms. @default 60000 */
  lateSubscriberWindowMs?: number
}

export interface PublishReport {
  /** Topics on which some peer received the announcement. */
  sent: string[]
  /** Topics kept for a later publish (no subscribed peer yet, or none reached). */
  pending: string[]
}

export interface PublisherEvents {
  /** A pending announcement reached a peer on `topic`. */
  'announcement:published': [{ id: string, topic: string, recipients: number }]
}

interface Pending {
  id: string
  topic: string
  bytes: Uint8Array
  expiresAt: number
  attempts: number
}

/** A publish that reached peers: who, so a peer subscribing just after gets it too. */
interface Recent {
  id: string
  topic: string
  bytes: Uint8Array
  expiresAt: number
  /** performance.now() of the publish. */
  at: number
  recipients: Set<string>
  attempts: number
}

interface SeenInternals {
  msgIdFn: (msg: { type: 'unsigned', topic: string, data: Uint8Array }) => Uint8Array | Promise<Uint8Array>
  msgIdToStrFn: (id: Uint8Array) => string
  seenCache: { entries: Map<string, unknown> }
}

function seenInternals (pubsub: GossipSub): SeenInternals {
  const p = pubsub as unknown as Partial<SeenInternals>
  if (typeof p.msgIdFn !== 'function') throw new GossipsubInternalsError('msgIdFn')
  if (typeof p.msgIdToStrFn !== 'function') throw new GossipsubInternalsError('msgIdToStrFn')
  if (!(p.seenCache?.entries instanceof Map)) throw new GossipsubInternalsError('seenCache.entries')
  return p as SeenInternals
}

export class AnnouncementPublisher extends EventEmitter<PublisherEvents> {
  readonly #libp2p: PorchlightLibp2p
  readonly #pending = new Map<string, Pending>()
  readonly #recent = new Map<string, Recent>()
  readonly #lateWindowMs: number
  readonly #maxAttempts: number
  readonly #maxPending: number
  readonly #now: () => number
  #retrying: Promise<void> | undefined
  #started = false
  readonly #onChange = (): void => { this.#retry(); this.#sendToMissed() }

  constructor (libp2p: PorchlightLibp2p, init: PublisherInit = {}) {
    super()
    this.#libp2p = libp2p
    this.#maxAttempts = init.maxAttempts ?? 10
    this.#maxPending = init.maxPending ?? 1024
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
    this.#lateWindowMs = init.lateSubscriberWindowMs ?? 60_000
  }

  start (): void {
    if (this.#started) return
    seenInternals(this.#libp2p.services.pubsub)
    const pubsub = this.#libp2p.services.pubsub
    // A peer subscribing is the moment to publish; the heartbeat covers a subscription seen before the
    // outbound stream to that peer was open (the publish then reached nobody).
    pubsub.addEventListener('subscription-change', this.#onChange)
    pubsub.addEventListener('gossipsub:heartbeat', this.#onChange)
    this.#started = true
  }

  async stop (): Promise<void> {
    const pubsub = this.#libp2p.services.pubsub
    pubsub.removeEventListener('subscription-change', this.#onChange)
    pubsub.removeEventListener('gossipsub:heartbeat', this.#onChange)
    this.#started = false
    await this.#retrying
    this.#pending.clear()
    this.#recent.clear()
  }

  /** Topics with announcements still waiting for a peer. */
  pending (): Array<{ id: string, topic: string }> {
    return [...this.#pending.values()].map(({ id, topic }) => ({ id, topic }))
  }

  /** Publishes `bytes` (gossip id `id`) on each topic now where a peer is subscribed; keeps the rest. */
  async publish (id: string, bytes: Uint8Array, topics: readonly string[], expiresAt: number): Promise<PublishReport> {
    const report: PublishReport = { sent: [], pending: [] }
    for (const topic of topics) {
      const key = `${topic} ${id}`
      this.#pending.delete(key)
      const recipients = await this.#publishOnce(topic, bytes)
      if (recipients.length > 0) { this.#remember(key, { id, topic, bytes, expiresAt }, recipients); report.sent.push(topic); continue }
      report.pending.push(topic)
      this.#keep(key, { id, topic, bytes, expiresAt, attempts: 0 })
    }
    return report
  }

  /** Drops what is pending for `id` (its request was withdrawn: the withdrawal replaces it). */
  forget (id: string): void {
    for (const [key, p] of this.#pending) if (p.id === id) this.#pending.delete(key)
    for (const [key, r] of this.#recent) if (r.id === id) this.#recent.delete(key)
  }

  #remember (key: string, a: Pick<Recent, 'id' | 'topic' | 'bytes' | 'expiresAt'>, recipients: readonly string[]): void {
    const known = this.#recent.get(key)
    if (known !== undefined) { for (const r of recipients) known.recipients.add(r); return }
    if (this.#recent.size >= this.#maxPending) {
      const oldest = this.#recent.keys().next().value
      if (oldest !== undefined) this.#recent.delete(oldest)
    }
    this.#recent.set(key, { ...a, at: performance.now(), recipients: new Set(recipients), attempts: 0 })
  }

  /** Recent announcements that a subscriber of their topic has not received go out again. */
  #sendToMissed (): void {
    if (!this.#started || this.#recent.size === 0) return
    const pubsub = this.#libp2p.services.pubsub
    const now = this.#now()
    const cutoff = performance.now() - this.#lateWindowMs
    for (const [key, r] of this.#recent) {
      if (r.at < cutoff || r.expiresAt <= now || r.attempts >= this.#maxAttempts) { this.#recent.delete(key); continue }
      const missed = pubsub.getSubscribers(r.topic).map(String).filter((p) => !r.recipients.has(p))
      if (missed.length === 0) continue
      r.attempts++
      this.#publishOnce(r.topic, r.bytes).then((recipients) => {
        for (const p of recipients) r.recipients.add(p)
        if (missed.some((p) => r.recipients.has(p))) this.emit('announcement:published', { id: r.id, topic: r.topic, recipients: recipients.length })
      }, () => {})
    }
  }

  #keep (key: string, pending: Pending): void {
    if (this.#pending.size >= this.#maxPending) {
      // The oldest waits longest for a peer that may never come; catch-up still serves it.
      const oldest = this.#pending.keys().next().value
      if (oldest !== undefined) this.#pending.delete(oldest)
    }
    this.#pending.set(key, pending)
  }

  /** Publishes once; returns the peers it reached (as strings). */
  async #publishOnce (topic: string, bytes: Uint8Array): Promise<string[]> {
    const pubsub = this.#libp2p.services.pubsub
    if (pubsub.getSubscribers(topic).length === 0) return []
    const seen = seenInternals(pubsub)
    const msgId = await seen.msgIdFn({ type: 'unsigned', topic, data: bytes })
    seen.seenCache.entries.delete(seen.msgIdToStrFn(msgId))
    const { recipients } = await pubsub.publish(topic, bytes)
    return recipients.map((p) => p.toString())
  }

  #retry (): void {
    if (!this.#started || this.#pending.size === 0 || this.#retrying !== undefined) return
    this.#retrying = this.#retryPending().catch(() => {}).finally(() => { this.#retrying = undefined })
  }

  async #retryPending (): Promise<void> {
    const pubsub = this.#libp2p.services.pubsub
    const now = this.#now()
    for (const [key, p] of [...this.#pending]) {
      if (!this.#started) return
      if (p.expiresAt <= now) { this.#pending.delete(key); continue }
      if (pubsub.getSubscribers(p.topic).length === 0) continue
      p.attempts++
      const recipients = await this.#publishOnce(p.topic, p.bytes)
      if (recipients.length > 0 || p.attempts >= this.#maxAttempts) this.#pending.delete(key)
      if (recipients.length > 0) {
        this.#remember(key, p, recipients)
        this.emit('announcement:published', { id: p.id, topic: p.topic, recipients: recipients.length })
      }
    }
  }
}

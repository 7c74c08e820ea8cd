// What a node tells its own UI as it happens (GET /api/events, routes.ts): it follows the role's services'
// events and turns each into a small LiveEvent naming what changed. Small on purpose: the page reads the
// changed item again through the routes it already uses, so one event costs every open stream a few dozen
// bytes, whatever the view's size, and a dropped stream loses nothing a refetch does not restore.
// A delivery's progress comes at every frame (many a second): it is passed on at most every
// `progressIntervalMs` per share, the latest value kept for the next slot, so the bar still ends where the
// transfer did.
import { EventEmitter } from 'node:events'
import { getAddress } from 'ethers'
import type { LiveEvent, LiveEventMap } from '../../protocol/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { ResidentInbox, InboxItem } from '../resident/inbox.js'
import { ResidentFootage, type ShareRecord } from '../shares/resident-shares.js'
import type { AgencyFootage } from '../deliveries/footage-desk.js'
import type { DeliveryRecord, FootageReceiver } from '../deliveries/receiver.js'
import type { AgencyLogService } from '../log/service.js'
import type { IssuedCheckpoint } from '../log/agency-log.js'
import type { AnchorRecord } from '../log/anchorer.js'
import type { ChainService } from '../chain/chain-service.js'
import type { AnchorEvent } from '../chain/chain-client.js'
import type { Logger } from '../logging/index.js'
import type { CameraBook } from '../cameras/camera-book.js'
import type { RecordingService } from '../recording/service.js'
import type { SegmentRecord } from '../recording/types.js'
import { EventStreams, type EventStreamsInit } from './event-streams.js'

export interface LiveEventsInit extends EventStreamsInit {
  /** The shortest time between two progress events of one share, ms. @default 250 (at most 4 a second) */
  progressIntervalMs?: number
}

export interface LiveEventsEvents {
  'live:event': [LiveEvent]
}

export type LiveEventsComponents = Pick<NodeComponents, 'logger'> & {
  /** A resident's inbox: `inbox` events and the unread count. */
  inbox?: ResidentInbox
  /** A resident's shares (`share`, `progress`, `receipt`) or an agency's footage desk (`delivery`). */
  footage?: ResidentFootage | AgencyFootage
  /** The chain, whose anchors make a resident's receipts publicly anchored. */
  chain?: ChainService
  /** An agency's log (`log`). */
  log?: AgencyLogService
  /** A resident's camera book and recordings (`cameras`: the Cameras tab's list and status in words). */
  cameras?: CameraBook
  recordings?: RecordingService
}

/** The node's live events, as a service the SSE route reads from (routes.ts). */
export class LiveEvents extends EventEmitter<LiveEventsEvents> implements NodeService {
  readonly #c: LiveEventsComponents
  readonly #log: Logger
  readonly #intervalMs: number
  /** Per running share: when its last progress went out, and the value waiting for the next slot. */
  readonly #progress = new Map<string, { at: number, pending?: LiveEventMap['progress'], timer?: NodeJS.Timeout }>()
  readonly #stops: Array<() => void> = []
  /** Fires when the first unread item expires: it stops counting then, and nothing else would say so. */
  #expiry: NodeJS.Timeout | undefined
  #stopped = false
  /** The open streams of GET /api/events. */
  readonly streams: EventStreams

  constructor (components: LiveEventsComponents, init: LiveEventsInit = {}) {
    super()
    this.#c = components
    this.streams = new EventStreams(this, components.logger, init)
    this.#log = components.logger.child({ component: 'live' })
    this.#intervalMs = init.progressIntervalMs ?? 250
    // Every open stream listens; more than the default ten is not a leak.
    this.setMaxListeners(0)
  }

  start (): void {
    const { inbox, footage, chain, log, cameras, recordings } = this.#c
    if (cameras !== undefined) this.#stops.push(follow(cameras, 'cameras:changed', () => { this.#send({ type: 'cameras', data: {} }) }))
    if (recordings !== undefined) {
      // A segment every few seconds per camera keeps "last segment 3 s ago" current without the page polling.
      this.#stops.push(follow(recordings, 'status', ({ camera }: { camera: string }) => { this.#send({ type: 'cameras', data: { name: camera } }) }))
      this.#stops.push(follow(recordings, 'segment', (s: SegmentRecord) => { this.#send({ type: 'cameras', data: { name: s.camera } }) }))
    }
    if (inbox !== undefined) {
      const onItem = (item: InboxItem): void => { void this.#inboxChanged(item) }
      this.#stops.push(follow(inbox, 'inbox:added', onItem))
      this.#stops.push(follow(inbox, 'inbox:changed', onItem))
      void this.#unread()
    }
    if (footage instanceof ResidentFootage) {
      this.#stops.push(follow(footage, 'share:changed', (share: ShareRecord) => {
        this.#endProgress(share.id, share.state === 'sending')
        this.#send({ type: 'share', data: { id: share.id, request: share.consent.message.request, state: share.state } })
      }))
      this.#stops.push(follow(footage, 'share:progress', (p: LiveEventMap['progress']) => { this.#onProgress(p) }))
      const client = chain?.client
      if (client !== undefined) this.#stops.push(client.onAnchored((event) => { void this.#anchored(footage, event) }))
    } else if (footage !== undefined) {
      const receiver = receiverOf(footage)
      if (receiver !== undefined) this.#stops.push(follow(receiver, 'footage:delivered', (d: DeliveryRecord) => { this.#send({ type: 'delivery', data: { request: d.request, consent: d.consent } }) }))
    }
    if (log?.log !== undefined) this.#stops.push(follow(log.log, 'checkpoint:issued', (c: IssuedCheckpoint) => { this.#send({ type: 'log', data: { size: c.size } }) }))
    if (log?.anchorer !== undefined) this.#stops.push(follow(log.anchorer, 'anchor:recorded', (a: AnchorRecord) => { this.#send({ type: 'log', data: { size: a.treeSize } }) }))
  }

  stop (): void {
    this.#stopped = true
    clearTimeout(this.#expiry)
    this.#expiry = undefined
    this.streams.closeAll()
    for (const stop of this.#stops.splice(0)) stop()
    for (const p of this.#progress.values()) clearTimeout(p.timer)
    this.#progress.clear()
  }

  /** The first event of every stream: what the header shows before anything changes. */
  async ready (): Promise<LiveEventMap['ready']> {
    const inbox = this.#c.inbox
    return inbox === undefined ? {} : { unread: await inbox.unread() }
  }

  #send (event: LiveEvent): void {
    this.emit('live:event', event)
  }

  async #inboxChanged (item: Pick<InboxItem, 'id' | 'status'>): Promise<void> {
    const unread = await this.#unread()
    if (unread !== undefined) this.#send({ type: 'inbox', data: { id: item.id, status: item.status, unread } })
  }

  /** The unread count now, with the timer set for the next unread item's expiry; undefined once stopped. */
  async #unread (): Promise<number | undefined> {
    let state
    try {
      state = await this.#c.inbox!.unreadState()
    } catch (err) {
      // Stopped between the change and the count: no stream is left to tell.
      this.#log.debug({ err }, 'live: the unread count could not be read')
      return undefined
    }
    clearTimeout(this.#expiry)
    this.#expiry = undefined
    const next = state.next
    if (next !== undefined && !this.#stopped) {
      // Just past the second it expires in (the inbox counts whole seconds); setTimeout holds at most 2^31 - 1
      // ms (24.8 days), and a request lives at most 72 hours.
      const ms = Math.min(Math.max(0, next.expiresAt * 1000 - Date.now()) + 5, 2 ** 31 - 1)
      this.#expiry = setTimeout(() => { void this.#inboxChanged({ id: next.id, status: 'new' }) }, ms)
    }
    return state.count
  }

  #onProgress (p: LiveEventMap['progress']): void {
    const now = performance.now()
    const slot = this.#progress.get(p.id)
    if (slot === undefined || now - slot.at >= this.#intervalMs) {
      clearTimeout(slot?.timer)
      this.#progress.set(p.id, { at: now })
      this.#send({ type: 'progress', data: p })
      return
    }
    slot.pending = p
    slot.timer ??= setTimeout(() => {
      const pending = slot.pending
      this.#progress.set(p.id, { at: performance.now() })
      if (pending !== undefined) this.#send({ type: 'progress', data: pending })
    }, this.#intervalMs - (now - slot.at))
  }

  /** A share changed state: a progress value still waiting goes first (so the bar ends where it did), then none. */
  #endProgress (id: string, running: boolean): void {
    const slot = this.#progress.get(id)
    if (slot === undefined || running) return
    clearTimeout(slot.timer)
    this.#progress.delete(id)
    if (slot.pending !== undefined) this.#send({ type: 'progress', data: slot.pending })
  }

  /** An anchor of an agency's log: every share delivered to it under that tree size may now read publicly anchored. */
  async #anchored (footage: ResidentFootage, event: AnchorEvent): Promise<void> {
    try {
      const agency = getAddress(event.agency)
      for (const share of await footage.list()) {
        if (share.state === 'delivered' && share.checkpointSize !== undefined && share.checkpointSize <= event.treeSize &&
          getAddress(share.request.message.agency) === agency) this.#send({ type: 'receipt', data: { id: share.id } })
      }
    } catch (err) {
      this.#log.debug({ err }, 'live: the shares could not be read after an anchor')
    }
  }
}

/** Listens to one event of a typed emitter; returns the unsubscribe. */
function follow<E extends Record<keyof E, unknown[]>, K extends keyof E & string> (emitter: EventEmitter<E>, event: K, listener: (...args: E[K]) => void): () => void {
  const plain = emitter as unknown as EventEmitter
  plain.on(event, listener as (...args: unknown[]) => void)
  return () => { plain.off(event, listener as (...args: unknown[]) => void) }
}

/** The desk's receiver, which exists only once it started on a chain (without one an agency receives nothing). */
function receiverOf (footage: AgencyFootage): FootageReceiver | undefined {
  try { return footage.receiver } catch { return undefined }
}

/** The live events as a node service (its route is in routes.ts). */
export function liveEvents (init: LiveEventsInit = {}): (components: LiveEventsComponents) => LiveEvents {
  return (components) => new LiveEvents(components, init)
}

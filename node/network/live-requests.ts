// The validated, live announcements this node holds, by res-7 cell: what it answers catch-up with and what
// the validator reads for duplicates and withdrawals. Kept in memory (a neighbourhood sees a handful of live
// requests) and mirrored to a sublevel so a restarted node still answers and still refuses withdrawn replays.
import { EventEmitter } from 'node:events'
import { LIMITS, decodeAnnouncement, type Request } from '../../protocol/index.js'
import type { Sublevel } from '../storage/index.js'
import type { AnnouncementState, ValidatedAnnouncement, Verification } from './announcement-validator.js'

/** Where live announcements for some res-7 cells come from: LiveRequests, or an agency's own request desk. */
export interface LiveAnnouncementSource {
  /** The encoded announcements (requests and their withdrawals) live at `now` whose area touches `cells`. */
  liveAnnouncements (cells: readonly string[], now: number): Promise<Uint8Array[]>
}

interface StoredAnnouncement {
  kind: 'request' | 'withdraw'
  /** The request id (a withdrawal is keyed by the request it withdraws). */
  requestId: string
  /** The announcement's own id (the gossip message id). */
  id: string
  /** Base64 of the bytes as received. */
  bytes: string
  /** Unix seconds after which the record can go. */
  expiresAt: number
  /** The res-7 cells of the request's area. */
  cells: string[]
  /** Requests only: the request, for withdrawals and matching. */
  request?: Request
  verification: Verification
}

export interface LiveRequestsEvents {
  'request:live': [ValidatedAnnouncement]
  'request:withdrawn': [ValidatedAnnouncement]
}

export class LiveRequests extends EventEmitter<LiveRequestsEvents> implements AnnouncementState, LiveAnnouncementSource {
  readonly #db: Sublevel<string, StoredAnnouncement>
  readonly #requests = new Map<string, StoredAnnouncement>()
  readonly #withdrawals = new Map<string, StoredAnnouncement>()
  readonly #ids = new Set<string>()
  /**
   * The gossip topics each held announcement was accepted on, in memory only (a restarted node's seen-cache
   * is empty too). Keys are accepted ids and values topics their area touches, so it is as bounded as the rest.
   */
  readonly #topics = new Map<string, Set<string>>()

  private constructor (db: Sublevel<string, StoredAnnouncement>) {
    super()
    this.#db = db
  }

  /** Opens the store on a sublevel with JSON values (e.g. `store.sublevel('live-requests', { valueEncoding: 'json' })`). */
  static async open (db: Sublevel<string, StoredAnnouncement>): Promise<LiveRequests> {
    const live = new LiveRequests(db)
    for await (const [, value] of db.iterator()) live.#remember(value)
    return live
  }

  has (id: string, topic?: string): boolean {
    return this.#ids.has(id) && (topic === undefined || this.#topics.get(id)?.has(topic) === true)
  }

  isWithdrawn (requestId: string): boolean {
    return this.#withdrawals.has(requestId)
  }

  request (requestId: string): Request | undefined {
    return this.#requests.get(requestId)?.request
  }

  /** The live requests as they were validated. */
  requests (): ValidatedAnnouncement[] {
    return [...this.#requests.values()].map((r) => {
      const bytes = new Uint8Array(Buffer.from(r.bytes, 'base64'))
      return { id: r.id, requestId: r.requestId, bytes, announcement: decodeAnnouncement(bytes), topicCells: r.cells, verification: r.verification }
    })
  }

  /**
   * Keeps a validated announcement: a request becomes live, a withdrawal retires its request. Returns false
   * (and stores nothing) when it was already known, so gossip and catch-up racing store it once; the gossip
   * `topic` it was accepted on is noted either way.
   */
  async add (v: ValidatedAnnouncement, topic?: string): Promise<boolean> {
    const known = this.#ids.has(v.id) || this.#withdrawals.has(v.requestId)
    if (topic !== undefined && (!known || this.#ids.has(v.id))) {
      let topics = this.#topics.get(v.id)
      if (topics === undefined) this.#topics.set(v.id, topics = new Set())
      topics.add(topic)
    }
    if (known) return false
    const bytes = Buffer.from(v.bytes).toString('base64')
    if (v.announcement.kind === 'request') {
      const request = v.announcement.request.message
      const record: StoredAnnouncement = { kind: 'request', requestId: v.id, id: v.id, bytes, expiresAt: request.expiresAt, cells: v.topicCells, request, verification: v.verification }
      this.#remember(record)
      await this.#db.put(`r!${v.id}`, record)
      this.emit('request:live', v)
    } else {
      const known = this.#requests.get(v.requestId)
      const expiresAt = known?.expiresAt ?? v.announcement.withdrawal.message.issuedAt + LIMITS.request.maxLifetimeSeconds + LIMITS.clockSkewSeconds
      const record: StoredAnnouncement = { kind: 'withdraw', requestId: v.requestId, id: v.id, bytes, expiresAt, cells: known?.cells ?? v.topicCells, verification: v.verification }
      this.#remember(record)
      await this.#db.batch([{ type: 'del', key: `r!${v.requestId}` }, { type: 'put', key: `w!${v.requestId}`, value: record }])
      this.emit('request:withdrawn', v)
    }
    return true
  }

  async liveAnnouncements (cells: readonly string[], now: number): Promise<Uint8Array[]> {
    const wanted = new Set(cells)
    const out: Uint8Array[] = []
    for (const record of [...this.#requests.values(), ...this.#withdrawals.values()]) {
      if (record.expiresAt > now && record.cells.some((c) => wanted.has(c))) out.push(new Uint8Array(Buffer.from(record.bytes, 'base64')))
    }
    return out
  }

  /** Forgets what expired by `now` (a withdrawn request's marker lives as long as the request would have). */
  async prune (now: number): Promise<number> {
    const gone: string[] = []
    for (const [key, map] of [['r', this.#requests], ['w', this.#withdrawals]] as const) {
      for (const [requestId, record] of map) {
        if (record.expiresAt > now) continue
        map.delete(requestId)
        this.#ids.delete(record.id)
        this.#topics.delete(record.id)
        if (record.kind === 'withdraw') { this.#ids.delete(requestId); this.#topics.delete(requestId) }
        gone.push(`${key}!${requestId}`)
      }
    }
    if (gone.length > 0) await this.#db.batch(gone.map((key) => ({ type: 'del' as const, key })))
    return gone.length
  }

  #remember (record: StoredAnnouncement): void {
    this.#ids.add(record.id)
    if (record.kind === 'request') {
      this.#requests.set(record.requestId, record)
    } else {
      this.#requests.delete(record.requestId)
      this.#withdrawals.set(record.requestId, record)
      this.#ids.add(record.requestId)
    }
  }
}

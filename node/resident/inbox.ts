// A resident's inbox: the live requests whose area holds one of this node's cameras (matched privately,
// see matching.ts), with what was verified about each, and the resident's "ignore". Nothing here sends
// anything: what a resident saw, matched or ignored never leaves the node. An item keeps what was verified
// when it arrived; the agency's status is read as it is now, from the registry cache the chain client keeps
// current by following the registry's events (a suspension shows at the next poll, within a second).
import { EventEmitter } from 'node:events'
import {
  isUnread, toEip712Json, type AgencyStanding, type Domain, type InboxItemView, type InboxStatus, type InboxSummary, type InclusionEvidence,
  type PolicyView, type Request
} from '../../protocol/index.js'
import type { Camera } from '../config/index.js'
import { fixedCameras, topicChanges, type CameraList } from '../cameras/camera-book.js'
import type { Sublevel } from '../storage/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { RequestNetwork, ValidatedAnnouncement } from '../network/index.js'
import type { ChainService } from '../chain/chain-service.js'
import { isActiveRecord } from '../chain/agency-info.js'
import type { Logger } from '../logging/index.js'
import { InboxItemNotFoundError } from './errors.js'
import { anyCameraInArea, camerasInArea, cameraTopicCells, type ClipMatcher } from './matching.js'
import { emptyPolicy, mergePolicies, policyIgnores, toInboxPolicy, type InboxPolicy } from './policy.js'
import { matchingClips, type ClipRecord } from '../clips/index.js'
import type { FootageRanges } from '../recording/range-sources.js'
import { ThumbnailNotFoundError } from '../recording/range-errors.js'

export type { AgencyStanding, InboxItemView, InboxStatus, InboxSummary, InclusionEvidence }
export { isUnread }

/**
 * An item as the inbox stores it: the view's own fields, without what is worked out as it is sent (the
 * EIP-712 form, the cells, expiry, the matching clips). `announcement` is absent on items stored before it was kept.
 */
export type InboxItem = Pick<InboxItemView, 'id' | 'request' | 'status' | 'ignored' | 'cameras' | 'verification' | 'receivedAt' | 'seenAt' | 'withdrawnAt' | 'announcement'>

/** The node's clip store, as the inbox reads it (node/clips' ClipsService). */
export interface InboxClipSource {
  list (): Promise<ClipRecord[]>
}

/** What the cameras with a recording source recorded (node/recording's FootageRanges), as the inbox reads it. */
export type InboxRanges = Pick<FootageRanges, 'recordings' | 'thumbnail'>

export interface ResidentInboxInit {
  /** The clip-window hook (issue 6). @default anyCameraInArea */
  clipMatcher?: ClipMatcher
  /** Unix seconds. @default the system clock */
  now?: () => number
}

export interface ResidentInboxEvents {
  /** A matching request entered the inbox (with status `new`, or `ignored` by a policy). */
  'inbox:added': [InboxItem]
  'inbox:changed': [InboxItem]
  /** The registry changed the record of an agency that has requests in the inbox: its status as read now. */
  'agency:changed': [{ agency: string, status: AgencyStanding | undefined }]
}

const POLICY_KEY = 'api'

export type ResidentInboxComponents = Pick<NodeComponents, 'config' | 'store' | 'libp2p' | 'logger'> & {
  network: RequestNetwork
  /** The registry, for each agency's status now. */
  chain: ChainService
  /** The node's clip store, for each item's matching clips. */
  clips: InboxClipSource
  /** The camera book: requests are matched, and topics joined, for its cameras as they are now. @default the config's cameras, fixed */
  cameras?: CameraList
  /** The recording cameras' overlaps with each item's window (absent: no `recordings` in the view). */
  ranges?: InboxRanges
}

export class ResidentInbox extends EventEmitter<ResidentInboxEvents> implements NodeService {
  readonly #components: ResidentInboxComponents
  readonly #network: RequestNetwork
  readonly #book: CameraList
  readonly #clipMatcher: ClipMatcher
  readonly #clips: InboxClipSource
  readonly #now: () => number
  readonly #configPolicy: InboxPolicy
  readonly #log: Logger
  #apiPolicy: InboxPolicy = emptyPolicy()
  #items: Sublevel<string, InboxItem> | undefined
  #policies: Sublevel<string, InboxPolicy> | undefined
  #pending = Promise.resolve()
  readonly #onLive = (v: ValidatedAnnouncement): void => { this.#serially(async () => { await this.#consider(v) }) }
  readonly #onWithdrawn = (v: ValidatedAnnouncement): void => { this.#serially(async () => { await this.#withdraw(v) }) }
  readonly #onAgencyChanged = (agency: string): void => { this.#serially(async () => { await this.#agencyChanged(agency) }) }
  /** The cameras whose request topics are joined. */
  #following: readonly Camera[]
  // A new camera's cell is joined at once (and catches up from every peer); a cell is left with its last
  // camera. A request the node already holds for a new camera's area will not come again (gossip and
  // catch-up take it for a duplicate), so the held ones are matched against the new list.
  readonly #onCamerasChanged = (cameras: readonly Camera[]): void => {
    const { join, leave } = topicChanges(this.#following, cameras)
    this.#following = cameras
    if (join.length > 0) this.#network.join(join)
    if (leave.length > 0) this.#network.leave(leave)
    for (const v of this.#network.live.requests()) this.#onLive(v)
  }

  constructor (components: ResidentInboxComponents, init: ResidentInboxInit = {}) {
    super()
    const { network } = components
    this.#components = components
    this.#network = network
    this.#book = components.cameras ?? fixedCameras(components.config.cameras)
    this.#clipMatcher = init.clipMatcher ?? anyCameraInArea
    this.#clips = components.clips
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
    this.#log = components.logger.child({ component: 'inbox' })
    this.#configPolicy = toInboxPolicy(components.config.inboxPolicy ?? emptyPolicy())
    this.#following = this.#cameras
    // Joined before the network starts, so its first catch-up already asks for these cells.
    if (this.#following.length > 0) network.join(cameraTopicCells(this.#following))
  }

  /** The cameras now: a request is matched against the list as it is when it arrives. */
  get #cameras (): readonly Camera[] {
    return this.#book.list()
  }

  async start (): Promise<void> {
    const { store } = this.#components
    this.#items = store.sublevel<string, InboxItem>('inbox', { valueEncoding: 'json' })
    this.#policies = store.sublevel<string, InboxPolicy>('inbox-policy', { valueEncoding: 'json' })
    this.#apiPolicy = (await this.#policies.get(POLICY_KEY)) ?? emptyPolicy()
    this.#network.on('request:live', this.#onLive)
    this.#network.on('request:withdrawn', this.#onWithdrawn)
    this.#components.chain.registry?.on?.('agency:changed', this.#onAgencyChanged)
    this.#book.on?.('cameras:changed', this.#onCamerasChanged)
    // Requests that became live while this service was not listening (a previous run, an early catch-up).
    for (const v of this.#network.live.requests()) this.#onLive(v)
  }

  async stop (): Promise<void> {
    this.#network.off('request:live', this.#onLive)
    this.#network.off('request:withdrawn', this.#onWithdrawn)
    this.#components.chain.registry?.off?.('agency:changed', this.#onAgencyChanged)
    this.#book.off?.('cameras:changed', this.#onCamerasChanged)
    await this.#pending
  }

  /** How many items the inbox holds, by status (for /metrics: reads no clips, unlike `list`). */
  async counts (): Promise<Map<InboxItem['status'], number>> {
    const counts = new Map<InboxItem['status'], number>()
    for await (const item of this.#db().values()) counts.set(item.status, (counts.get(item.status) ?? 0) + 1)
    return counts
  }

  /** How many items wait for the resident: open to an answer and never opened (reads no clips, unlike `list`). */
  async unread (): Promise<number> {
    return (await this.unreadState()).count
  }

  /** The unread count, and the unread item that expires first (it stops counting then, with no event of its own). */
  async unreadState (): Promise<{ count: number, next?: { id: string, expiresAt: number } }> {
    const now = this.#now()
    let count = 0
    let next: { id: string, expiresAt: number } | undefined
    for await (const item of this.#db().values()) {
      const expiresAt = item.request.message.expiresAt
      if (!isUnread({ status: item.status, expired: expiresAt <= now, seenAt: item.seenAt })) continue
      count++
      if (next === undefined || expiresAt < next.expiresAt) next = { id: item.id, expiresAt }
    }
    return next === undefined ? { count } : { count, next }
  }

  /** Every item, newest first. */
  async list (): Promise<InboxSummary[]> {
    const now = this.#now()
    const clips = await this.#clips.list()
    // One registry read per agency, not per item (a cached record costs nothing; a dropped one, one call).
    const standings = new Map<string, Promise<AgencyStanding | undefined>>()
    const out: InboxSummary[] = []
    for await (const [, item] of this.#db().iterator()) {
      const r = item.request.message
      if (!standings.has(r.agency)) standings.set(r.agency, this.agencyStatus(r.agency, now))
      const agencyStatus = await standings.get(r.agency)
      out.push({
        id: item.id, title: r.title, category: r.category, caseCode: r.caseCode, agency: r.agency, agencyName: item.verification.agency.name,
        issuedAt: r.issuedAt, expiresAt: r.expiresAt, status: item.status, expired: r.expiresAt <= now, receivedAt: item.receivedAt,
        ...(item.seenAt === undefined ? {} : { seenAt: item.seenAt }),
        ...(agencyStatus === undefined ? {} : { agencyStatus }),
        ...(clips === undefined ? {} : { clips: matchingClips(r, this.#cameras, clips).length })
      })
    }
    return out.sort((a, b) => b.receivedAt - a.receivedAt || b.issuedAt - a.issuedAt)
  }

  async get (id: string): Promise<InboxItemView> {
    const item = await this.#item(id)
    const clips = await this.#clips.list()
    const now = this.#now()
    const agencyStatus = await this.agencyStatus(item.request.message.agency, now)
    const view = { ...inboxItemView(await this.#withEvidence(item), this.#network.domain, now), ...(agencyStatus === undefined ? {} : { agencyStatus }) }
    const recordings = await this.#recordings(item)
    return {
      ...view,
      ...(clips === undefined ? {} : { clips: matchingClips(item.request.message, this.#cameras, clips) }),
      ...(recordings === undefined ? {} : { recordings })
    }
  }

  /** The item's cameras' recordings inside its window: read, never cut or copied (that waits for a consent). */
  async #recordings (item: InboxItem): Promise<InboxItemView['recordings']> {
    const ranges = this.#components.ranges
    if (ranges === undefined) return undefined
    const r = item.request.message
    // Only cameras that record: an item of a node whose cameras have no source keeps its view as before.
    const cameras = this.#cameras.filter((c) => item.cameras.includes(c.name) && (c.source?.kind === 'rtsp' || c.source?.kind === 'frigate'))
    if (cameras.length === 0) return undefined
    return await ranges.recordings(cameras, r.windowStart, r.windowEnd,
      (camera, n) => `/api/inbox/${item.id}/thumbnails/${encodeURIComponent(camera)}/${n}.jpg`)
  }

  /** The n-th thumbnail of an item's camera inside its window (as `get` numbered them), a JPEG made on this node. */
  async thumbnail (id: string, camera: string, n: number): Promise<Uint8Array> {
    const item = await this.#item(id)
    const cam = this.#cameras.find((c) => c.name === camera)
    const ranges = this.#components.ranges
    if (cam === undefined || !item.cameras.includes(camera) || ranges === undefined) throw new ThumbnailNotFoundError({ id, camera, n })
    const r = item.request.message
    return await ranges.thumbnail(cam, r.windowStart, r.windowEnd, n)
  }

  /**
   * The agency's registry record as the node's registry cache holds it now; undefined without a chain or
   * when the registry cannot be read (the inbox still lists: a consent is checked again, and refused then).
   */
  async agencyStatus (agency: string, now = this.#now()): Promise<AgencyStanding | undefined> {
    const registry = this.#components.chain.registry
    if (registry === undefined) return undefined
    try {
      const info = await registry.agencyInfo(agency)
      return { status: info.status, validUntil: info.validUntil, active: isActiveRecord(info, now), checkedAt: now }
    } catch (err) {
      this.#log.warn({ err, agency }, 'inbox: the registry could not be read for an agency\'s status')
      return undefined
    }
  }

  /** Items stored before the evidence was kept take it from the live announcement, when still held. */
  async #withEvidence (item: InboxItem): Promise<InboxItem> {
    if (item.announcement !== undefined) return item
    const live = this.#network.live.requests().find((v) => v.id === item.id)
    return live === undefined ? item : { ...item, announcement: evidenceOf(live) }
  }

  /** The resident ignores a request (one click, always possible; a withdrawn one stays withdrawn). */
  async ignore (id: string): Promise<InboxItemView> {
    await this.#serial(async () => {
      const item = await this.#item(id)
      if (item.status !== 'new') return
      const next: InboxItem = { ...item, status: 'ignored', ignored: { by: 'resident' } }
      await this.#db().put(id, next)
      this.emit('inbox:changed', next)
    })
    return await this.get(id)
  }

  /** The resident opened the item: it is no longer unread (the first time counts; opening again changes nothing). */
  async markSeen (id: string): Promise<InboxItemView> {
    await this.#serial(async () => {
      const item = await this.#item(id)
      if (item.seenAt !== undefined) return
      const next: InboxItem = { ...item, seenAt: this.#now() }
      await this.#db().put(id, next)
      this.emit('inbox:changed', next)
    })
    return await this.get(id)
  }

  /** The effective policy (config ∪ API) and the API-set part. */
  policy (): PolicyView {
    return { effective: mergePolicies(this.#configPolicy, this.#apiPolicy), config: this.#configPolicy, api: this.#apiPolicy }
  }

  /** Replaces the API-set policy; applies to requests that arrive from now on. */
  async setPolicy (policy: InboxPolicy): Promise<void> {
    const checked = toInboxPolicy(policy)
    await this.#policies!.put(POLICY_KEY, checked)
    this.#apiPolicy = checked
  }

  #db (): Sublevel<string, InboxItem> {
    if (this.#items === undefined) throw new Error('ResidentInbox is not started')
    return this.#items
  }

  async #item (id: string): Promise<InboxItem> {
    const item = await this.#db().get(id)
    if (item === undefined) throw new InboxItemNotFoundError(id)
    return item
  }

  #serially (task: () => Promise<void>): void {
    this.#pending = this.#pending.then(task).catch((err) => { this.#components.libp2p.logger.forComponent('porchlight:inbox').error('%s', err) })
  }

  async #serial<T> (task: () => Promise<T>): Promise<T> {
    const run = this.#pending.then(task)
    this.#pending = run.then(() => {}, () => {})
    return await run
  }

  async #consider (v: ValidatedAnnouncement): Promise<void> {
    if (v.announcement.kind !== 'request') return
    const signed = v.announcement.request
    const request: Request = signed.message
    const cameras = camerasInArea(request, this.#cameras)
    if (cameras.length === 0 || !(await this.#clipMatcher(request, cameras))) return
    if ((await this.#db().get(v.id)) !== undefined) return
    const reason = policyIgnores(this.policy().effective, request)
    const item: InboxItem = {
      id: v.id,
      request: signed,
      status: reason === undefined ? 'new' : 'ignored',
      ...(reason === undefined ? {} : { ignored: { by: 'policy' as const, reason } }),
      cameras: cameras.map((c) => c.name),
      verification: v.verification,
      receivedAt: this.#now(),
      announcement: evidenceOf(v)
    }
    await this.#db().put(v.id, item)
    this.emit('inbox:added', item)
  }

  /** Says so (event, log line) when an agency with requests in the inbox changed in the registry. */
  async #agencyChanged (agency: string): Promise<void> {
    let held = 0
    for await (const item of this.#db().values()) if (item.request.message.agency === agency) held++
    if (held === 0) return
    const status = await this.agencyStatus(agency)
    this.#log.info({ agency, status: status?.status, active: status?.active, items: held }, 'inbox: an agency with requests in the inbox changed in the registry')
    this.emit('agency:changed', { agency, status })
  }

  async #withdraw (v: ValidatedAnnouncement): Promise<void> {
    const item = await this.#db().get(v.requestId)
    if (item === undefined || item.status === 'withdrawn') return
    const next: InboxItem = { ...item, status: 'withdrawn', withdrawnAt: this.#now() }
    await this.#db().put(item.id, next)
    this.emit('inbox:changed', next)
  }
}

/** The log evidence an announcement came with, as the inbox keeps it. */
export function evidenceOf (v: ValidatedAnnouncement): InclusionEvidence {
  const { logIndex, checkpoint, proof } = v.announcement
  return { logIndex, checkpoint, proof: [...proof] }
}

/**
 * An item as the API sends it: the EIP-712 JSON form, the area's cells, and the inclusion evidence both
 * nested (`announcement`) and flat (`logIndex`, `checkpoint`, `proof`), the two shapes the UI reads.
 */
export function inboxItemView (item: InboxItem, domain: Domain, now: number): InboxItemView {
  const r = item.request.message
  return {
    ...item,
    ...(item.announcement ?? {}),
    eip712: toEip712Json('Request', r, domain),
    signature: item.request.signature,
    cells: r.cells,
    expired: r.expiresAt <= now
  }
}

/** The inbox as a node service, on the node's request network and clip store (its routes are in routes.ts). */
export function residentInbox (init: ResidentInboxInit = {}): (components: ResidentInboxComponents) => ResidentInbox {
  return (components) => new ResidentInbox(components, init)
}

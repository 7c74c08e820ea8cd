// The resident's shares: a consent names only clips that match the request (camera in the area, span in
// the window — checked here, where the cameras' places are known), is signed by a key made for it alone
// (kept in the store, never reused: it signs deletion requests later), and starts the delivery in the
// background. A share is pending → sending → delivered | failed | withdrawn. A delivery cut off by a stop
// or crash restarts from the first byte when the node starts again (the agency kept nothing of it).
// A clip is shared at most once per request: a consent naming a clip that a share for the same request
// holds (any state but withdrawn) is refused, so the agency never gets, lists and logs it twice. A
// delivered share's deletion is recorded only once this node read, and verified, the agency's `delete`
// entries for every clip in its public log (share-history.ts): asked for and logged, or the agency's own.
// The agency must be active in the registry, as it is now, for a consent, for a retry and before every
// delivery attempt (the agency's receiver checks its own status as well): a suspension stops what is not
// yet delivered.
import { EventEmitter } from 'node:events'
import { setTimeout } from 'node:timers/promises'
import {
  PorchlightError, encodeSignedDeletionRequest, isCameraInArea, signTyped, verifyCheckpoint, type ClipRef, type Domain, type EnvelopeCrypto,
  shareActions, type ShareAction, type ShareHistory, type ShareState, type ShareView, type SignedRequest
} from '../../protocol/index.js'
import { resolveNetwork } from '../config/index.js'
import { fixedCameras, type CameraList } from '../cameras/camera-book.js'
import type { Sublevel } from '../storage/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import { sendRequest } from '../p2p/index.js'
import { nodeEnvelopeCrypto } from '../crypto/index.js'
import { createConsent } from '../footage/consent.js'
import {
  ClipNotMatchingError, NoRelayPathError, RequestNotConsentableError, ShareNotFoundError, ShareStateError, ShareWithdrawnError, UnknownClipError
} from '../footage/errors.js'
import { anchorStatus, type AnchorSource, type ConsistencySource, type ReceiptStatus } from '../footage/receipt.js'
import { isPorchlightError, toHex } from '../../protocol/index.js'
import { agencyAddrs, sendFootage } from './sender.js'
import { DeliveryIdentities } from './delivery-identity.js'
import { DELETION_PROTOCOL } from '../footage/wire.js'
import { auditConsistency, auditResources } from './log-client.js'
import { ClipAlreadySharedError, ShareHistoryUnavailableError } from './errors.js'
import { deletedAt, readShareHistory, type VerifiedHistory } from './share-history.js'
import type { ChainService } from '../chain/chain-service.js'
import type { ClipsService } from '../clips/service.js'
import type { ResidentInbox } from '../resident/inbox.js'
import type { RegistryReader } from '../chain/chain-service.js'
import { isActiveRecord } from '../chain/agency-info.js'
import { AgencyNotActiveError } from '../network/errors.js'
import type { Logger } from '../logging/index.js'
import { clipSourceOf, inboxReaderOf, type ClipSource, type InboxReader, type StoredClip } from './resident-sources.js'
import type { FootageRanges } from '../recording/range-sources.js'
import { cutRanges, checkRanges, type ConsentRange } from './range-consent.js'
import { checkLabels, clipRefOf, type ConsentLabels } from './consent-labels.js'

export type { ClipSource, InboxReader, StoredClip } from './resident-sources.js'
export type { ConsentRange }

export type { ShareState, ShareView }

/** A share as the store keeps it; the API sends it as a ShareView, with its actions and (once delivered, read alone) the receipt's status. */
export type ShareRecord = Omit<ShareView, 'status' | 'actions'>

/** The registry as sharing reads it (ChainClient has it): an agency's record, brought up to date first. */
export type AgencyRecords = Pick<RegistryReader, 'agencyInfo' | 'sync'>

export interface ResidentFootageInit {
  inbox: InboxReader
  /**
   * The registry, for the agency's status at consent and before every delivery attempt (a function when it
   * exists only once the chain service started). The role always gives it; without it nothing is checked
   * here (a test on stubs), and the agency's receiver still refuses while it is not active.
   */
  agencies?: AgencyRecords | (() => AgencyRecords | undefined)
  clips: ClipSource
  /** The recording cameras' range sources, for a consent's `ranges` (absent: ranges are refused). */
  ranges?: Pick<FootageRanges, 'sourceFor' | 'cutPath'>
  /**
   * After a deletion request, how long to wait for the agency's next checkpoint to cover its `delete`
   * entries before reading them (node/log issues one at most every 500 ms after entries land), and how many
   * reads to try. @default { delayMs: 1000, attempts: 5 }
   */
  deletionCheck?: { delayMs: number, attempts: number }
  /** How long cutting a consent's ranges may take before the consent is refused. @default 120_000 */
  cutTimeoutMs?: number
  /** The EIP-712 domain (a function when it is known only once other services started). */
  domain: Domain | (() => Domain)
  /** The chain, for "publicly anchored" (ChainClient has latestAnchor). */
  chain?: AnchorSource
  /** How to get consistency proofs from an agency's log. @default over /porchlight/audit/1.0.0 */
  consistency?: (request: SignedRequest) => ConsistencySource
  terms?: string
  crypto?: EnvelopeCrypto
  now?: () => number
  timeoutMs?: number
}

export interface ResidentFootageEvents {
  /** A share was created or changed state (pending, sending, delivered, failed, withdrawn) or asked for deletion. */
  'share:changed': [ShareRecord]
  /** Ciphertext bytes sent so far in a running delivery. */
  'share:progress': [{ id: string, sent: number, total: number }]
  /** A consent, a retry or a delivery attempt was refused before anything was sent (what /metrics counts). */
  'share:refused': [{ agency: string, share?: string, error: PorchlightError }]
}

export class ResidentFootage extends EventEmitter<ResidentFootageEvents> implements NodeService {
  readonly #init: ResidentFootageInit
  readonly #book: CameraList
  readonly #store: NodeComponents['store']
  readonly #log: Logger | undefined
  readonly #now: () => number
  readonly #running = new Map<string, { controller: AbortController, done: Promise<void> }>()
  /** Live progress of running deliveries (written to the store only when one ends). */
  readonly #progress = new Map<string, { sent: number, total: number }>()
  readonly #identities: DeliveryIdentities
  #shares: Sublevel<string, ShareRecord> | undefined
  #keys: Sublevel<string, string> | undefined
  #stopped = false
  readonly #stopping = new AbortController()
  /** Deletion checks under way (awaited at stop). */
  readonly #checks = new Set<Promise<void>>()

  // No libp2p among the components: everything this service sends names a consent, so it all goes from
  // single-use identities (delivery-identity.ts), never from the node's own peer id.
  constructor (components: Pick<NodeComponents, 'config' | 'store'> & Partial<Pick<NodeComponents, 'logger'>> & { cameras?: CameraList }, init: ResidentFootageInit) {
    super()
    this.#init = init
    this.#log = components.logger?.child({ component: 'shares' })
    this.#book = components.cameras ?? fixedCameras(components.config.cameras)
    // `delivery.via: "relay"`: every exchange about a consent reaches the agency only through a relay.
    this.#identities = new DeliveryIdentities({ via: resolveNetwork(components.config).deliveryVia })
    this.#store = components.store
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
  }

  async start (): Promise<void> {
    this.#shares = this.#store.sublevel<string, ShareRecord>('shares', { valueEncoding: 'json' })
    // The consent keys: pseudonyms, one per consent, needed only to sign a deletion request.
    this.#keys = this.#store.sublevel<string, string>('consent-keys', { valueEncoding: 'utf8' })
    for await (const share of this.#shares.values()) {
      if (share.state === 'pending' || share.state === 'sending') this.#deliver(share)
      // Asked before a stop, not yet seen in the agency's log: looked for again.
      if (share.deletion?.requestedAt !== undefined && share.deletion.deletedAt === undefined) this.#checkDeletion(share.id)
    }
  }

  async stop (): Promise<void> {
    this.#stopped = true
    this.#stopping.abort(new Error('node stopping'))
    for (const { controller } of this.#running.values()) controller.abort(new Error('node stopping'))
    await Promise.all([...this.#running.values()].map(async (r) => { await r.done }))
    await Promise.all([...this.#checks])
  }

  #domain (): Domain {
    const d = this.#init.domain
    return typeof d === 'function' ? d() : d
  }

  /**
   * Consents to share `cids` and the recorded `ranges` for inbox item `requestId`. Every clip and range is
   * checked before anything is cut; each range is then cut into a clip in the store, and the consent names
   * the cut clips' CIDs beside `cids`. Each clip goes with its camera's name as its label unless `labels`
   * (by CID) or the range's `label` edits or drops it. The delivery starts in the background.
   */
  async consent (requestId: string, cids: string[], ranges: readonly ConsentRange[] = [], labels: ConsentLabels = {}): Promise<ShareView> {
    const item = await this.#init.inbox.get(requestId)
    if (item === undefined) throw new RequestNotConsentableError({ request: requestId, reason: 'not in the inbox' })
    const r = item.request.message
    if (item.status === 'withdrawn') throw new RequestNotConsentableError({ request: requestId, reason: 'withdrawn' })
    if (this.#now() >= r.expiresAt) throw new RequestNotConsentableError({ request: requestId, reason: 'expired' })
    if (cids.length + ranges.length === 0 || new Set(cids).size !== cids.length) throw new RequestNotConsentableError({ request: requestId, reason: 'clips must be unique and at least one clip or range' })
    checkLabels(labels, cids, ranges)
    await this.#checkAgency(item.request)
    await this.#notSharedYet(requestId, r.agency, cids)
    const refs: ClipRef[] = []
    for (const cid of cids) {
      const clip = await this.#init.clips.get(cid)
      if (clip === undefined) throw new UnknownClipError({ cid })
      refs.push(this.#matchingRef(clip, r, labels[cid]))
    }
    if (ranges.length > 0) {
      const checked = await this.#refusedIfThrows(r.agency, async () => await checkRanges(ranges, r, this.#book.list(), this.#init.ranges))
      const cut = await this.#refusedIfThrows(r.agency, async () => await cutRanges(checked, {
        ranges: this.#init.ranges!, clips: this.#init.clips, signal: AbortSignal.timeout(this.#init.cutTimeoutMs ?? 120_000)
      }))
      cut.forEach((clip, i) => {
        if (refs.some((ref) => ref.cid === clip.cid)) return
        refs.push(this.#matchingRef(clip, r, ranges[i]!.label))
      })
      // A range cut as before gives the same bytes, so the same CID: the same footage, shared once.
      await this.#notSharedYet(requestId, r.agency, refs.map((ref) => ref.cid))
      this.#log?.info({ request: requestId, ranges: ranges.length, clips: cut.length }, 'shares: cut the consented ranges into clips')
    }
    const consent = createConsent({ request: requestId, clips: refs, domain: this.#domain(), issuedAt: this.#now(), ...(this.#init.terms === undefined ? {} : { terms: this.#init.terms }) })
    const now = this.#now()
    const share: ShareRecord = { id: consent.id, request: item.request, consent: consent.signed, state: 'pending', createdAt: now, updatedAt: now, progress: { sent: 0, total: 0 } }
    await this.#keys!.put(consent.id, consent.consentKey)
    await this.#db().put(share.id, share)
    this.emit('share:changed', share)
    this.#deliver(share)
    return this.#live(share)
  }

  /** Throws ClipAlreadySharedError (emitted: counted in /metrics) when a live share for `requestId` holds one of `cids`. */
  async #notSharedYet (requestId: string, agency: string, cids: readonly string[]): Promise<void> {
    const clips: string[] = []
    const shares = new Set<string>()
    for await (const share of this.#db().values()) {
      if (share.consent.message.request !== requestId || share.state === 'withdrawn') continue
      for (const c of share.consent.message.clips) if (cids.includes(c.cid)) { clips.push(c.cid); shares.add(share.id) }
    }
    if (clips.length === 0) return
    const error = new ClipAlreadySharedError({ request: requestId, clips, shares: [...shares] })
    this.#log?.warn({ request: requestId, clips: clips.length, code: error.code }, 'shares: consent refused, a clip is already shared for this request')
    this.emit('share:refused', { agency, error })
    throw error
  }

  /** A stored clip as a consent names it, once its camera is in the area and its span meets the window. */
  #matchingRef (clip: StoredClip, r: SignedRequest['message'], label: string | null | undefined): ClipRef {
    const camera = this.#book.list().find((c) => c.name === clip.camera)
    if (camera === undefined || !isCameraInArea(camera.lat, camera.lng, r.cells)) throw new ClipNotMatchingError({ cid: clip.cid, reason: 'camera not in the area' })
    if (clip.end < r.windowStart || clip.start > r.windowEnd) throw new ClipNotMatchingError({ cid: clip.cid, reason: 'outside the window' })
    return clipRefOf(clip, label)
  }

  /** Runs a check; its typed refusal is emitted (counted in /metrics) before it is thrown. */
  async #refusedIfThrows<T> (agency: string, check: () => Promise<T>): Promise<T> {
    try { return await check() } catch (err) {
      if (err instanceof PorchlightError) {
        this.#log?.warn({ agency, code: err.code }, 'shares: a consent\'s range was refused or could not be cut, nothing was shared')
        this.emit('share:refused', { agency, error: err })
      }
      throw err
    }
  }

  async list (): Promise<ShareView[]> {
    const out: ShareView[] = []
    for await (const share of this.#db().values()) out.push(this.#live(share))
    return out.sort((a, b) => b.createdAt - a.createdAt)
  }

  /** One share; for a delivered one, whether its checkpoint is anchored on chain yet. */
  async get (id: string): Promise<ShareView> {
    const share = this.#live(await this.#share(id))
    if (share.state !== 'delivered' || share.receipt === undefined) return share
    return { ...share, status: await this.receiptStatus(share) }
  }

  /** Stops an unfinished delivery; nothing of it is recorded as delivered on either side. */
  async withdraw (id: string): Promise<ShareView> {
    const share = await this.#share(id)
    if (share.state === 'withdrawn') return this.#live(share)
    this.#allows(share, 'withdraw')
    const running = this.#running.get(id)
    const next = await this.#update(id, { state: 'withdrawn' })
    if (running !== undefined) {
      running.controller.abort(new ShareWithdrawnError({ id }))
      await running.done
    }
    return this.#live(await this.#share(id) ?? next)
  }

  /** Throws ShareStateError naming what is possible instead, unless `action` is possible in the share's state. */
  #allows (share: ShareRecord, action: ShareAction): void {
    const possible = shareActions(share)
    if (possible.includes(action)) return
    const reason = share.deletion?.deletedAt !== undefined ? 'the agency already deleted this footage' : undefined
    throw new ShareStateError({ id: share.id, state: share.state, action, possible, ...(reason === undefined ? {} : { reason }) })
  }

  /** Starts a failed delivery again, from the first byte. */
  async retry (id: string): Promise<ShareView> {
    const share = await this.#share(id)
    this.#allows(share, 'retry')
    await this.#checkAgency(share.request, id)
    const next = await this.#update(id, { state: 'pending', error: undefined, progress: { sent: 0, total: 0 } })
    this.#deliver(next)
    return this.#live(next)
  }

  /** Sends the agency a DeletionRequest for every clip of a delivered share, signed by the consent key. */
  async requestDeletion (id: string): Promise<ShareView> {
    const share = await this.#share(id)
    this.#allows(share, 'delete-request')
    const key = await this.#keys!.get(id)
    if (key === undefined) throw new ShareStateError({ id, state: share.state, action: 'delete-request', reason: 'the consent key is gone' })
    const signed = signTyped('DeletionRequest', { consent: id, clips: share.consent.message.clips.map((c) => c.cid), issuedAt: this.#now() }, this.#domain(), key)
    const answer = await this.#identities.use(async (libp2p) => await sendRequest<Uint8Array, { entries: number[] }>(
      libp2p, agencyAddrs(share.request), DELETION_PROTOCOL, encodeSignedDeletionRequest(signed), this.#init.timeoutMs === undefined ? {} : { timeoutMs: this.#init.timeoutMs }))
    const next = await this.#update(id, { deletion: { requestedAt: this.#now(), entries: answer.entries } })
    this.#log?.info({ share: id, entries: answer.entries }, 'shares: deletion requested, the agency answered with its delete entries')
    this.#checkDeletion(id)
    return this.#live(next)
  }

  /**
   * What the agency's public log says about the share's clips since their delivery, every entry verified
   * under the checkpoint its agency signed. A deletion of every clip found here is recorded on the share.
   */
  async history (id: string): Promise<ShareHistory> {
    return (await this.#readHistory(await this.#share(id))).history
  }

  async #readHistory (share: ShareRecord): Promise<VerifiedHistory> {
    if (share.state !== 'delivered' || share.logIndex === undefined) {
      throw new ShareStateError({ id: share.id, state: share.state, action: 'history', reason: 'nothing was delivered, so the agency has logged nothing about it', possible: shareActions(share) })
    }
    const clips = share.consent.message.clips.map((c) => c.cid)
    let verified: VerifiedHistory
    try {
      verified = await this.#identities.use(async (libp2p) => await readShareHistory(auditResources(libp2p, share.request, this.#init.timeoutMs), {
        share: share.id, agency: share.request.message.agency, chainId: this.#domain().chainId, logIndex: share.logIndex!, clips
      }))
    } catch (err) {
      const e = err as { code?: unknown, message?: unknown }
      throw new ShareHistoryUnavailableError({ share: share.id, reason: typeof e.code === 'string' ? e.code : String(e.message ?? err) }, err)
    }
    const at = deletedAt(verified.entries, clips)
    if (at !== undefined && share.deletion?.deletedAt === undefined) {
      await this.#update(share.id, { deletion: { ...share.deletion, entries: share.deletion?.entries ?? verified.entries.filter((e) => e.entry.kind === 'delete').map((e) => e.index), deletedAt: at } })
      this.#log?.info({ share: share.id, deletedAt: at }, 'shares: the agency\'s log shows every clip of the share deleted')
    }
    return verified
  }

  /**
   * After a deletion request (or a restart with one unconfirmed): reads the agency's log until its delete
   * entries are under a checkpoint, a few times (the agency signs one within a second of appending). Until
   * then the share shows "deletion requested"; a later history read finds it too.
   */
  #checkDeletion (id: string): void {
    const { delayMs, attempts } = this.#init.deletionCheck ?? { delayMs: 1000, attempts: 5 }
    const check = (async () => {
      for (let attempt = 0; attempt < attempts && !this.#stopped; attempt++) {
        try {
          await setTimeout(delayMs, undefined, { signal: this.#stopping.signal })
          const share = await this.#share(id)
          if (share.deletion?.deletedAt !== undefined) return
          await this.#readHistory(share)
          if ((await this.#share(id)).deletion?.deletedAt !== undefined) return
        } catch (err) {
          if (this.#stopped) return
          this.#log?.debug({ err, share: id, attempt }, 'shares: the deletion is not readable in the agency\'s log yet')
        }
      }
    })()
    this.#checks.add(check)
    void check.finally(() => { this.#checks.delete(check) })
  }

  /** "logged" for a verified receipt; "publicly-anchored" once the chain anchors its checkpoint's tree. */
  async receiptStatus (share: ShareRecord): Promise<ReceiptStatus> {
    if (this.#init.chain === undefined || share.checkpointSize === undefined || share.receipt === undefined) return 'logged'
    const checkpoint = verifyCheckpoint(share.receipt.message.checkpoint, share.request.message.agency, this.#domain().chainId)
    // The tiles a proof needs point at the receipt's checkpoint size, so they are read from a single-use identity too.
    const source = (this.#init.consistency ?? ((request) => ({
      consistency: async (m: number, n: number) => await this.#identities.use(async (libp2p) => await auditConsistency(libp2p, request).consistency(m, n))
    })))(share.request)
    let unreachable = false
    const log = {
      consistency: async (m: number, n: number) => {
        // The agency's own answer (RemoteError: no such tile) is its word, and shown; a dial or stream failure is not.
        try { return await source.consistency(m, n) } catch (err) { unreachable = !isPorchlightError(err, 'RemoteError'); throw err }
      }
    }
    try {
      return await anchorStatus(checkpoint, share.request.message.agency, this.#init.chain, log)
    } catch (err) {
      // An agency whose log is out of reach now (down, or refusing a connection) proves nothing either way:
      // the receipt stays what this node verified itself, "logged", rather than the share failing to read.
      if (!unreachable) throw err
      this.#log?.warn({ err, share: share.id }, 'shares: the agency\'s log is out of reach, the receipt is shown as logged')
      return 'logged'
    }
  }

  #deliver (share: ShareRecord): void {
    if (this.#stopped) return
    const controller = new AbortController()
    const id = share.id
    let progress = share.progress
    const done = (async () => {
      try {
        if ((await this.#share(id)).state === 'withdrawn') return
        // Also on a restart's resumed delivery: the agency may have been suspended while the node was down.
        await this.#checkAgency(share.request, id)
        await this.#update(id, { state: 'sending' })
        // Each attempt dials from a fresh single-use identity, never this node's own.
        const delivery = await this.#identities.use(async (libp2p) => await sendFootage({
          libp2p,
          request: share.request,
          consent: share.consent,
          domain: this.#domain(),
          openClip: async (cid) => await this.#init.clips.open(cid),
          crypto: this.#init.crypto ?? nodeEnvelopeCrypto,
          signal: controller.signal,
          onProgress: (sent, total) => {
            progress = { sent, total }
            this.#progress.set(id, progress)
            this.emit('share:progress', { id, sent, total })
          },
          ...(this.#init.timeoutMs === undefined ? {} : { timeoutMs: this.#init.timeoutMs })
        }), { signal: controller.signal })
        await this.#update(id, {
          state: 'delivered', progress, receipt: delivery.receipt, entry: toHex(delivery.entry),
          logIndex: delivery.verified.logIndex, checkpointSize: delivery.verified.checkpoint.size
        })
      } catch (err) {
        const current = await this.#db().get(id)
        // A withdrawal already wrote its state; a stop leaves the share to restart at the next start.
        if (current?.state === 'withdrawn' || this.#stopped) return
        // Refused here before anything was sent (counted in /metrics like the agency checks): the household
        // chose a relay and the request names none of the agency's relayed addresses.
        if (err instanceof NoRelayPathError) {
          this.#log?.warn({ share: id, code: err.code }, 'shares: not sent, the request names no relayed address of the agency (delivery.via is "relay")')
          this.emit('share:refused', { agency: share.request.message.agency, share: id, error: err })
        }
        const e = err as { code?: unknown, shortMessage?: unknown, message?: unknown, details?: { code?: unknown } }
        const code = typeof e.details?.code === 'string' ? e.details.code : typeof e.code === 'string' ? e.code : 'DELIVERY_FAILED'
        await this.#update(id, { state: 'failed', progress, error: { code, message: String(e.shortMessage ?? e.message ?? err) } })
      } finally {
        this.#running.delete(id)
        this.#progress.delete(id)
      }
    })()
    this.#running.set(id, { controller, done })
  }

  /**
   * Throws AgencyNotActiveError unless the request's agency is active and valid now, by the registry brought
   * up to date first (a suspension a second ago counts). An unreadable registry refuses too: nothing is sent
   * to an agency whose status is unknown. Each refusal is logged and emitted (counted in /metrics).
   */
  async #checkAgency (request: SignedRequest, share?: string): Promise<void> {
    const a = this.#init.agencies
    const agencies = typeof a === 'function' ? a() : a
    if (agencies === undefined) return
    const agency = request.message.agency
    let error: PorchlightError | undefined
    try {
      await agencies.sync?.()
      const info = await agencies.agencyInfo(agency)
      if (!isActiveRecord(info, this.#now())) error = new AgencyNotActiveError({ agency, status: info.status, validUntil: info.validUntil })
    } catch (err) {
      error = err instanceof PorchlightError ? err : new AgencyNotActiveError({ agency })
    }
    if (error === undefined) return
    this.#log?.warn({ agency, share, code: error.code }, 'shares: not sent, the agency is not active (or its status is unknown)')
    this.emit('share:refused', { agency, ...(share === undefined ? {} : { share }), error })
    throw error
  }

  #live (share: ShareRecord): ShareView {
    const progress = this.#progress.get(share.id)
    return { ...share, ...(progress === undefined ? {} : { progress }), actions: shareActions(share) }
  }

  async #update (id: string, patch: Partial<ShareRecord>): Promise<ShareRecord> {
    const share = await this.#share(id)
    const next: ShareRecord = { ...share, ...patch, updatedAt: this.#now() }
    for (const k of Object.keys(next) as Array<keyof ShareRecord>) if (next[k] === undefined) delete next[k]
    await this.#db().put(id, next)
    this.emit('share:changed', next)
    return next
  }

  async #share (id: string): Promise<ShareRecord> {
    const share = await this.#db().get(id)
    if (share === undefined) throw new ShareNotFoundError({ id })
    return share
  }

  #db (): Sublevel<string, ShareRecord> {
    if (this.#shares === undefined) throw new Error('ResidentFootage is not started')
    return this.#shares
  }
}

export type ResidentFootageComponents = Pick<NodeComponents, 'config' | 'store' | 'logger'> & {
  inbox: ResidentInbox
  clips: ClipsService
  chain: ChainService
  /** The camera book: a consented clip's camera is looked up as the book is now. @default the config's cameras, fixed */
  cameras?: CameraList
  ranges?: FootageRanges
}

/** The resident's shares as a node service factory (its routes are in routes.ts). */
export function residentFootage (init: Omit<ResidentFootageInit, 'inbox' | 'clips' | 'domain' | 'chain' | 'ranges'> = {}): (components: ResidentFootageComponents) => ResidentFootage {
  return (components) => {
    const { inbox, clips, chain, ranges } = components
    return new ResidentFootage(components, {
      ...init,
      ...(ranges === undefined ? {} : { ranges }),
      agencies: () => chain.registry,
      inbox: inboxReaderOf(inbox),
      clips: clipSourceOf(clips),
      domain: () => {
        if (chain.domain === undefined) throw new RequestNotConsentableError({ reason: 'no chain is configured' })
        return chain.domain
      },
      chain: { latestAnchor: async (agency) => await chain.client?.latestAnchor(agency) }
    })
  }
}

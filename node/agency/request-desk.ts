// The agency's request desk: builds, checks, signs, logs, stores and announces requests, and withdraws them.
//
// Order of a create, so that a refusal changes nothing and a failure leaves nothing half-written:
//  1. build the Request and check it — limits, that it decodes as relays will decode it, the agency
//     active, the area inside its jurisdiction;
//  2. sign it;
//  3. write its age identity (before the request is public: footage encrypted to a lost key is lost);
//  4. append the `request` entry to the log — if that fails, the identity file is removed, nothing else
//     was written and nothing is announced;
//  5. store it with its proof, then announce it. Announcing never fails the call (see publisher.ts).
import { cellToParent } from 'h3-js'
import {
  checkRequestLimits, decodeRequest, encodeAnnouncement, encodeRequest, encodeLogEntry, generateIdentity, identityToRecipient,
  isInsideJurisdiction, requestId, TOPIC_RESOLUTION, signTyped, toEip712Json, toHex, topicCells, topicName, withdrawalId,
  type AgencyRequestView, type Announcement, type Domain, type Request, type RequestStatus, type SignedRequest, type SignedWithdrawal
} from '../../protocol/index.js'
import type { Sublevel } from '../storage/index.js'
import { requestFromDraft, type RequestDraft } from './draft.js'
import {
  AgencyNotActiveError, LogUnavailableError, NoChainError, NoKeyFolderError, OutsideJurisdictionError,
  RequestNotFoundError, RequestNotLiveError
} from './errors.js'
import type { IdentityFolder } from './identity-folder.js'
import type { RequestLog, RegistryView } from './ports.js'
import type { AnnouncementPublisher } from './publisher.js'

export type { RequestStatus }

/** A logged message with where it sits in the log: what the desk stores, per request and withdrawal. */
interface Logged {
  logIndex: number
  checkpoint: string
  proof: string[]
  /** The announcement as gossiped, base64. */
  announcement: string
}

export interface StoredRequest extends Logged {
  id: string
  request: SignedRequest
  topics: string[]
  withdrawal?: Logged & { id: string, withdrawal: SignedWithdrawal }
}

/** A request as the API shows it. */
export type RequestView = AgencyRequestView

export interface RequestDeskInit {
  /** The agency's address (checksummed) and private key. */
  agency: string
  agencyKey: string
  peerId: string
  /** The addresses to name in a request (this node's announce or listen addresses). */
  addrs: () => string[]
  db: Sublevel<string, StoredRequest>
  publisher: AnnouncementPublisher
  log: () => RequestLog | undefined
  registry: () => RegistryView | undefined
  domain: () => Domain | undefined
  identities: () => IdentityFolder | undefined
  /** Unix seconds. */
  now: () => number
  /** Deliveries received per request id. @default none */
  deliveryCounts?: () => Promise<Map<string, number>>
  onPublishError?: (err: unknown) => void
}

const toBase64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')
const fromBase64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'))

export class RequestDesk {
  readonly #init: RequestDeskInit

  constructor (init: RequestDeskInit) {
    this.#init = init
  }

  /** Builds, checks, signs, logs, stores and announces a request; returns it as the API shows it. */
  async create (draft: RequestDraft): Promise<RequestView> {
    const { agency, agencyKey, peerId, db } = this.#init
    const { domain, log, identities } = this.#prerequisites()
    const now = this.#init.now()
    const identity = await generateIdentity()
    const request = requestFromDraft(draft, { agency, peerId, addrs: this.#init.addrs(), recipient: await identityToRecipient(identity), issuedAt: now })
    checkRequestLimits(request, now)
    // What relays will decode must decode: a value with two spellings (text starting with a byte-order
    // mark, a non-canonical address) would be rejected by every relay and cost this node its peer score.
    decodeRequest(encodeRequest(request))
    await this.#checkStanding(request, now)

    const signed = signTyped('Request', request, domain, agencyKey)
    const id = requestId(signed)
    await identities.write(id, identity)
    let logged: Logged
    try {
      logged = await this.#log(log, encodeLogEntry({ kind: 'request', request: signed }), (at) => ({ kind: 'request', request: signed, ...at }))
    } catch (err) {
      await identities.remove(id)
      throw err
    }
    const topics = topicCells(request.cells).map(topicName)
    const stored: StoredRequest = { id, request: signed, topics, ...logged }
    await db.put(id, stored)
    await this.#announce(id, logged.announcement, topics, request.expiresAt)
    return this.#view(stored, now, 0)
  }

  /** Withdraws a live request: a signed Withdrawal, logged, stored and announced on the same topics. */
  async withdraw (id: string): Promise<RequestView> {
    const { agency, agencyKey, db, publisher } = this.#init
    const stored = await this.#get(id)
    const now = this.#init.now()
    const status = statusOf(stored, now)
    if (status !== 'live') throw new RequestNotLiveError(id, status)
    const { domain, log } = this.#prerequisites()
    const signed = signTyped('Withdrawal', { request: id, agency, issuedAt: now }, domain, agencyKey)
    const logged = await this.#log(log, encodeLogEntry({ kind: 'withdraw', withdrawal: signed }), (at) => ({ kind: 'withdraw', withdrawal: signed, ...at }))
    const updated: StoredRequest = { ...stored, withdrawal: { id: withdrawalId(signed), withdrawal: signed, ...logged } }
    await db.put(id, updated)
    publisher.forget(id)
    await this.#announce(updated.withdrawal!.id, logged.announcement, stored.topics, stored.request.message.expiresAt)
    return this.#view(updated, now, (await this.#deliveryCounts()).get(id) ?? 0)
  }

  /** The stored request with its status now, or undefined: for other services of the agency (footage). */
  async lookup (id: string): Promise<{ stored: StoredRequest, status: RequestStatus } | undefined> {
    const stored = await this.#init.db.get(id)
    return stored === undefined ? undefined : { stored, status: statusOf(stored, this.#init.now()) }
  }

  async get (id: string): Promise<RequestView> {
    const stored = await this.#get(id)
    return this.#view(stored, this.#init.now(), (await this.#deliveryCounts()).get(id) ?? 0)
  }

  /** Every request, newest first. */
  async list (): Promise<RequestView[]> {
    const now = this.#init.now()
    const all = await this.#init.db.values().all()
    const counts = await this.#deliveryCounts()
    // Newest first. Two requests can share an issuedAt second; their log order cannot tie.
    return all.sort((a, b) => b.logIndex - a.logIndex).map((s) => this.#view(s, now, counts.get(s.id) ?? 0))
  }

  /**
   * The announcements of live requests (and of their withdrawals) in the res-7 `cells`, as gossiped: what
   * this node answers on the catch-up protocol (`LiveAnnouncementSource`).
   */
  async liveAnnouncements (cells: readonly string[], now: number): Promise<Uint8Array[]> {
    const wanted = new Set(cells)
    const out: Uint8Array[] = []
    for (const s of await this.#init.db.values().all()) {
      if (s.request.message.expiresAt <= now) continue
      if (!s.request.message.cells.some((c) => wanted.has(cellToParent(c, TOPIC_RESOLUTION)))) continue
      out.push(fromBase64(s.announcement))
      if (s.withdrawal !== undefined) out.push(fromBase64(s.withdrawal.announcement))
    }
    return out
  }

  #prerequisites (): { domain: Domain, log: RequestLog, identities: IdentityFolder } {
    const domain = this.#init.domain()
    if (domain === undefined) throw new NoChainError()
    const log = this.#init.log()
    if (log === undefined) throw new LogUnavailableError()
    const identities = this.#init.identities()
    if (identities === undefined) throw new NoKeyFolderError()
    return { domain, log, identities }
  }

  /** The registry's word, read fresh: a suspended agency must not issue one more request. */
  async #checkStanding (request: Request, now: number): Promise<void> {
    const registry = this.#init.registry()
    if (registry === undefined) throw new NoChainError()
    await registry.sync?.()
    if (!await registry.isActive(request.agency, now)) throw new AgencyNotActiveError({ agency: request.agency })
    const jurisdiction = await registry.jurisdictionOf(request.agency)
    if (jurisdiction.length === 0 || !isInsideJurisdiction(request.cells, jurisdiction)) {
      const outside = jurisdiction.length === 0 ? request.cells : request.cells.filter((c) => !isInsideJurisdiction([c], jurisdiction))
      throw new OutsideJurisdictionError({ agency: request.agency, value: outside })
    }
  }

  async #log (log: RequestLog, entry: Uint8Array, announce: (at: { logIndex: number, checkpoint: string, proof: string[] }) => Announcement): Promise<Logged> {
    const logIndex = await log.append(entry)
    const { checkpoint, proof } = await log.proof(logIndex)
    const at = { logIndex, checkpoint, proof: proof.map(toHex) }
    return { ...at, announcement: toBase64(encodeAnnouncement(announce(at))) }
  }

  async #announce (id: string, announcement: string, topics: string[], expiresAt: number): Promise<void> {
    try {
      await this.#init.publisher.publish(id, fromBase64(announcement), topics, expiresAt)
    } catch (err) {
      // Stored and logged: catch-up still serves it. The caller's request succeeded.
      this.#init.onPublishError?.(err)
    }
  }

  async #get (id: string): Promise<StoredRequest> {
    const stored = await this.#init.db.get(id)
    if (stored === undefined) throw new RequestNotFoundError(id)
    return stored
  }

  async #deliveryCounts (): Promise<Map<string, number>> {
    return await this.#init.deliveryCounts?.() ?? new Map()
  }

  #view (s: StoredRequest, now: number, deliveries: number): RequestView {
    const domain = this.#init.domain()
    // Requests were signed for a domain; a node whose chain was since removed from its config cannot say which.
    if (domain === undefined) throw new NoChainError()
    const view: RequestView = {
      id: s.id,
      request: s.request.message,
      signature: s.request.signature,
      logIndex: s.logIndex,
      checkpoint: s.checkpoint,
      proof: s.proof,
      eip712: toEip712Json('Request', s.request.message, domain),
      status: statusOf(s, now),
      topics: s.topics,
      deliveries
    }
    if (s.withdrawal !== undefined) {
      const w = s.withdrawal
      view.withdrawal = {
        id: w.id,
        withdrawal: w.withdrawal.message,
        signature: w.withdrawal.signature,
        logIndex: w.logIndex,
        checkpoint: w.checkpoint,
        proof: w.proof,
        eip712: toEip712Json('Withdrawal', w.withdrawal.message, domain)
      }
    }
    return view
  }
}

function statusOf (s: StoredRequest, now: number): RequestStatus {
  if (s.withdrawal !== undefined) return 'withdrawn'
  return now >= s.request.message.expiresAt ? 'expired' : 'live'
}

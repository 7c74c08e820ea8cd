// The agency's side of /porchlight/footage/1.0.0. Before a byte of footage is read: the consent decodes
// and its signature recovers its `consentKey`, the request is this agency's, logged and live, and the
// declared clips are exactly the consent's, with exact age sizes and spans in the request's window. Then
// each clip is written to a temporary file as it arrives and decrypted in the same pass (nothing is read
// twice, nothing is held whole) to check its bytes against its CID. Only when every clip verified and
// the sender said "end" are the files moved into place, ONE `delivery` entry appended and a signed receipt
// sent back. Any failure before that discards the files: nothing is recorded as delivered.
// What a transfer may cost (issue 15) is bounded before the answer and while data flows: a sender's
// concurrent transfers once its offer is read, the offer's deliveries and bytes against the
// request's and the sender's quotas and the disk's free-space floor before it is accepted, and the whole
// transfer by a deadline that grows with the bytes received (delivery-limits.ts), so at most its declared
// size at the slowest accepted rate.
import { EventEmitter } from 'node:events'
import type { Connection, Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'
import {
  LIMITS, decryptClip, decodeSignedConsent, encodeLogEntry, encodeSignedReceipt, expectedCiphertextSize,
  isPorchlightError, consentId as idOfConsent, toHex, verifySigned, type ClipDigest, type ClipRef, type Domain, type EnvelopeCrypto,
  type SignedConsent, type SignedReceipt, type SignedRequest
} from '../../protocol/index.js'
import { PeerHungUpError } from '../p2p/index.js'
import { footageStream, type FootageStream } from '../footage/footage-stream.js'
import {
  ClipCidMismatchError, ClipDecryptError, ClipNotMatchingError, ConsentAlreadyDeliveredError, ConsentInProgressError,
  DeclaredSizeMismatchError, InsufficientStorageError, InvalidConsentError, RequestExpiredError, RequestNotLoggedError, RequestWithdrawnError,
  TransferDeadlineError, TransferIncompleteError, UnexpectedDataError, UnknownRequestError
} from '../footage/errors.js'
import { defaults, type FootageLimits } from '../config/index.js'
import type { Logger } from '../logging/index.js'
import { DeliveryLimiter, senderOf, type Sender, type Statfs, type TransferSlot } from './delivery-limits.js'
import { deliveryEntry, signReceipt } from '../footage/receipt.js'
import { AgencyNotActiveError } from '../network/errors.js'
import { isActiveRecord, type AgencyInfo } from '../chain/agency-info.js'
import type { FootageVault } from './vault.js'
import { ReceiveCredit } from '../footage/credit.js'
import { CREDIT_WINDOW, FOOTAGE_PROTOCOL, MAX_DATA_FRAME, MAX_FOOTAGE_FRAME, asOffer, isEnd, type DeclaredClip, type Offer } from '../footage/wire.js'

/** What the receiver needs to know of one of the agency's requests (node/agency's request desk). */
export interface AgencyRequestRecord {
  signed: SignedRequest
  status: 'live' | 'expired' | 'withdrawn'
  /** Whether its `request` entry is in the log (a request is shown to no one before). */
  logged: boolean
  /** The request's age identities (`AGE-SECRET-KEY-1…`), to check clips against their CIDs. */
  identities: () => Promise<string[]>
}

export interface RequestBook {
  /** The agency's own request with this id, or undefined. */
  get (id: string): Promise<AgencyRequestRecord | undefined>
}

/** The part of node/log's AgencyLog the receiver uses. */
export interface FootageLog {
  append (entry: Uint8Array): Promise<number>
  proof (index: number): Promise<{ checkpoint: string, proof: Uint8Array[] }>
  /** The number of entries (AgencyLog has it): where to look for an entry after a crash. */
  readonly size?: number
  /** One entry's bytes (AgencyLog has it). */
  entry? (index: number): Promise<Uint8Array>
}

export interface DeliveryRecord {
  consent: string
  request: string
  /** The consent's pseudonymous key: the only signer of deletion requests for this delivery. */
  consentKey: string
  /**
   * Each clip with what its consent says of it (span, media type, length, camera label: issue 19); records
   * from before issue 19 have sizes only. Kept here, off the public log: a `delivery` entry names CIDs and sizes.
   */
  clips: Array<{ cid: string, size: number, ciphertextSize: number } & Partial<DeliveredClipMeta>>
  logIndex: number
  /** Unix seconds (the entry's `at`). */
  at: number
  /**
   * Whether it came through a circuit relay (the household's `delivery.via: "relay"`: the agency saw the
   * relay's address, never the household's) or on a direct connection. Absent on records from before issue 16.
   * The sender's address itself is never stored.
   */
  via?: 'relay' | 'direct'
  /** Clips deleted since (CIDs), with the index of each `delete` entry. */
  deleted: Record<string, number>
  /**
   * The signed consent as received (its one canonical encoding, 0x hex) and the signed receipt sent back:
   * what an evidence package shows (node/evidence). Absent on records from before issue 19.
   */
  signedConsent?: string
  receipt?: string
}

/** What a consent says of a clip beyond its CID and size. */
export type DeliveredClipMeta = Pick<ClipRef, 'start' | 'end' | 'mediaType' | 'durationMs' | 'camera'>

/** A delivery about to be logged: its record without the entry's index. */
export type PendingDelivery = Omit<DeliveryRecord, 'logIndex'>

export interface DeliveryStore {
  get (consent: string): Promise<DeliveryRecord | undefined>
  put (record: DeliveryRecord): Promise<void>
  /**
   * Called just before the `delivery` entry (`entry`, its exact bytes) is appended, so that a store can
   * tell after a crash whether the append happened (then `put` never came). Optional.
   */
  intend? (pending: PendingDelivery, entry: Uint8Array): Promise<void>
  /** Every delivery on record (DeliveryJournal has it): each request's quota counts start from them. */
  all? (): Promise<DeliveryRecord[]>
}

export interface FootageReceiverInit {
  book: RequestBook
  log: FootageLog
  vault: FootageVault
  deliveries: DeliveryStore
  domain: Domain
  agencyKey: string
  /** @default nodeEnvelopeCrypto is passed by the service; pure JS otherwise */
  crypto?: EnvelopeCrypto
  /** Unix seconds. @default the system clock */
  now?: () => number
  /** Per-frame timeout, ms. @default 10000 */
  timeoutMs?: number
  /** Data bytes a sender may have in flight or queued unread (flow control, credit.ts). @default CREDIT_WINDOW */
  creditWindow?: number
  /** Deadlines, quotas and the free-disk floor (config `footage`, docs/agency.md). @default defaults.footage */
  limits?: FootageLimits
  /** The footage folder's free space. @default node:fs/promises statfs */
  statfs?: Statfs
  /** Where refusals are logged (with the sender's peer id and address: an operator may block it). */
  logger?: Logger
  /**
   * This agency's own registry record as the node's registry cache holds it (kept current by the chain
   * client's event follower, so no peer can make the agency call its RPC). Offers are refused while it is
   * not active, and a transfer that was under way when it stopped being active is not logged. The role
   * always gives it; without it (a test on stubs) nothing is checked.
   */
  ownRecord?: () => Promise<Pick<AgencyInfo, 'address' | 'status' | 'validUntil'>>
}

export interface FootageReceiverEvents {
  'footage:delivered': [DeliveryRecord]
  'footage:refused': [{ consent?: string, error: Error, sender: Sender }]
}

export class FootageReceiver extends EventEmitter<FootageReceiverEvents> {
  readonly #init: FootageReceiverInit
  readonly #now: () => number
  readonly #inProgress = new Set<string>()
  readonly #window: number
  readonly #limiter: DeliveryLimiter
  #peakBuffered = 0

  constructor (init: FootageReceiverInit) {
    super()
    this.#init = init
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
    this.#window = Math.max(init.creditWindow ?? CREDIT_WINDOW, MAX_DATA_FRAME)
    this.#limiter = new DeliveryLimiter({
      limits: init.limits ?? defaults.footage,
      root: init.vault.root,
      ...(init.statfs === undefined ? {} : { statfs: init.statfs }),
      ...(init.deliveries.all === undefined ? {} : { recorded: async () => await init.deliveries.all!() })
    })
  }

  /** Transfers running now. */
  get active (): number { return this.#limiter.active }

  /**
   * The most bytes any transfer so far had received and not yet read (its memory), at most the credit
   * window plus a few frames of slack for prefixes and control frames.
   */
  get peakBuffered (): number { return this.#peakBuffered }

  /**
   * Handles one incoming footage stream to its end; never throws (failures are answered and emitted).
   * `connection` says who sends (its peer id and address, for the sender's quotas).
   */
  async handle (stream: Stream, connection?: Pick<Connection, 'remotePeer' | 'remoteAddr'>): Promise<void> {
    // Until the answer a sender may send its offer only: two frames' room. The answer's credit raises it.
    const frames = footageStream(stream, {
      maxFrameBytes: MAX_FOOTAGE_FRAME, protocol: FOOTAGE_PROTOCOL, maxBuffered: 2 * MAX_FOOTAGE_FRAME,
      ...(this.#init.timeoutMs === undefined ? {} : { timeoutMs: this.#init.timeoutMs })
    })
    let consent: string | undefined
    let claimed = false
    const temp: string[] = []
    const sender = senderOf(connection)
    let slot: TransferSlot | undefined
    // A per-frame timeout alone let a sender keep a stream and its temp file for hours at a byte a frame.
    const deadline = transferDeadline(stream, (bytes) => this.#limiter.deadlineMs(bytes))
    try {
      const offer = asOffer(await frames.read())
      if (offer === undefined) throw new InvalidConsentError({ reason: 'not an offer' })
      await this.#checkActive()
      // After the offer (so the sender reads the refusal rather than a reset) and before its signature is checked.
      slot = this.#limiter.open(sender)
      const { signed, record } = await this.#check(offer)
      consent = idOfConsent(signed)
      if (this.#inProgress.has(consent)) throw new ConsentInProgressError({ consent })
      this.#inProgress.add(consent)
      claimed = true
      if (await this.#init.deliveries.get(consent) !== undefined) throw new ConsentAlreadyDeliveredError({ consent })
      const bytes = offer.clips.reduce((n, c) => n + c.ciphertextSize, 0)
      await slot.reserve(signed.message.request, bytes)
      const identities = await record.identities()
      const credit = new ReceiveCredit(this.#window)
      // Every data byte costs at least one prefix byte (empty frames are refused): twice the window and two
      // whole frames (`end` beside data) hold whatever a sender within its credit can send.
      frames.maxBuffered = 2 * this.#window + 2 * MAX_FOOTAGE_FRAME
      await frames.write({ accept: true, credit: credit.window })

      const files: Array<{ cid: string, path: string }> = []
      for (const clip of offer.clips) {
        const { path, file } = await this.#init.vault.incoming()
        temp.push(path)
        try {
          await this.#receiveClip(frames, credit, clip, identities, file, deadline.progress)
          await file.sync()
        } finally {
          await file.close()
        }
        files.push({ cid: clip.cid, path })
      }
      const last = await frames.read().catch((err: unknown) => { throw isPorchlightError(err, 'MalformedFrameError') ? new UnexpectedDataError({ after: 'last clip' }, err) : err })
      if (!isEnd(last)) throw new UnexpectedDataError({ after: 'last clip' })
      // Suspended while the clips came in: nothing is logged as delivered (the files are discarded).
      await this.#checkActive()
      // Every byte is in: from here the delivery is committed and logged, never cut halfway.
      deadline.clear()

      await this.#init.vault.commit(consent, files)
      temp.length = 0
      const at = this.#now()
      const entryBytes = encodeLogEntry(deliveryEntry(signed, at))
      const pending: PendingDelivery = {
        consent,
        request: signed.message.request,
        consentKey: signed.message.consentKey,
        // #check matched the offer to the consent clip by clip, in order.
        clips: offer.clips.map((c, i) => {
          const { start, end, mediaType, durationMs, camera } = signed.message.clips[i]!
          return { cid: c.cid, size: c.plaintextSize, ciphertextSize: c.ciphertextSize, start, end, mediaType, durationMs, camera }
        }),
        at,
        via: sender.relay === undefined ? 'direct' : 'relay',
        deleted: {},
        signedConsent: toHex(offer.consent)
      }
      await this.#init.deliveries.intend?.(pending, entryBytes)
      const logIndex = await this.#init.log.append(entryBytes)
      // Logged is delivered: its counts stay whatever happens next.
      slot.commit()
      const delivered: DeliveryRecord = { ...pending, logIndex }
      await this.#init.deliveries.put(delivered)
      const proof = await this.#init.log.proof(logIndex)
      const receipt: SignedReceipt = signReceipt({ consent: signed, logIndex, checkpoint: proof.checkpoint, proof: proof.proof, domain: this.#init.domain, agencyKey: this.#init.agencyKey })
      // Kept for the evidence package: the exact receipt the resident holds (its checkpoint is not reproducible).
      await this.#init.deliveries.put({ ...delivered, receipt: toHex(encodeSignedReceipt(receipt)) })
      // The path, never the address: a relayed connection's remote address is the relay's (with the sender's
      // single-use peer id), which says nothing of the household; a direct one's is the household's IP.
      this.#init.logger?.info({ consent, via: delivered.via, ...(sender.relay === undefined ? {} : { relay: sender.relay, remoteAddr: connection?.remoteAddr.toString() }) }, 'footage: delivery received')
      this.emit('footage:delivered', delivered)
      await frames.write({ receipt: encodeSignedReceipt(receipt), entry: entryBytes }).catch(() => {})
      await frames.close().catch(() => {})
    } catch (err) {
      const error = deadline.expired ?? this.#translate(err)
      deadline.clear()
      await this.#init.vault.discard(temp).catch(() => {})
      // A refusal is the sender's doing (info); a full disk or a failure of ours is the operator's (warn).
      const ours = !isPorchlightError(error) || error instanceof InsufficientStorageError
      this.#init.logger?.[ours ? 'warn' : 'info']({ err: error, consent, peer: sender.peer, address: sender.address, relay: sender.relay }, 'footage: transfer refused')
      this.emit('footage:refused', { ...(consent === undefined ? {} : { consent }), error, sender })
      if (stream.status === 'open') {
        const message = isPorchlightError(error) ? { code: error.code, message: error.shortMessage } : { code: 'INTERNAL', message: 'internal error' }
        await frames.write({ error: message }).catch(() => {})
        await frames.close().catch(() => {})
        // A sender still streaming would otherwise block on a reader that is gone.
        stream.abort(error)
      }
    } finally {
      deadline.clear()
      slot?.release()
      this.#peakBuffered = Math.max(this.#peakBuffered, frames.peakBuffered)
      if (claimed && consent !== undefined) this.#inProgress.delete(consent)
    }
  }

  /** Throws AgencyNotActiveError while this agency is not active (by its cached registry record). */
  async #checkActive (): Promise<void> {
    if (this.#init.ownRecord === undefined) return
    const own = await this.#init.ownRecord()
    if (!isActiveRecord(own, this.#now())) throw new AgencyNotActiveError({ agency: own.address, status: own.status, validUntil: own.validUntil })
  }

  /** Everything that can be known before footage flows; throws the first failure. */
  async #check (offer: Offer): Promise<{ signed: SignedConsent, record: AgencyRequestRecord }> {
    let signed: SignedConsent
    try {
      signed = decodeSignedConsent(offer.consent)
      verifySigned('Consent', signed, this.#init.domain)
    } catch (err) {
      throw new InvalidConsentError({ reason: isPorchlightError(err) ? err.code : 'undecodable' }, err)
    }
    const c = signed.message
    const record = await this.#init.book.get(c.request)
    if (record === undefined) throw new UnknownRequestError({ request: c.request })
    if (!record.logged) throw new RequestNotLoggedError({ request: c.request })
    const r = record.signed.message
    if (record.status === 'withdrawn') throw new RequestWithdrawnError({ request: c.request })
    if (record.status === 'expired' || this.#now() >= r.expiresAt) throw new RequestExpiredError({ request: c.request, expiresAt: r.expiresAt })
    if (c.issuedAt > this.#now() + LIMITS.clockSkewSeconds) throw new InvalidConsentError({ reason: 'issued in the future', issuedAt: c.issuedAt })
    if (offer.clips.length !== c.clips.length) throw new DeclaredSizeMismatchError({ field: 'clips', value: offer.clips.length, limit: c.clips.length })
    c.clips.forEach((clip, i) => {
      const declared = offer.clips[i]!
      if (declared.cid !== clip.cid) throw new DeclaredSizeMismatchError({ field: `clips[${i}].cid`, value: declared.cid })
      if (declared.plaintextSize !== clip.size) throw new DeclaredSizeMismatchError({ field: `clips[${i}].plaintextSize`, value: declared.plaintextSize, limit: clip.size })
      const exact = expectedCiphertextSize(clip.size)
      if (declared.ciphertextSize !== exact) throw new DeclaredSizeMismatchError({ field: `clips[${i}].ciphertextSize`, value: declared.ciphertextSize, limit: exact })
      // The agency cannot see the camera's place (the resident checks the area); it can check the time.
      if (clip.end < r.windowStart || clip.start > r.windowEnd) throw new ClipNotMatchingError({ field: `clips[${i}]`, reason: 'outside the window', cid: clip.cid })
    })
    return { signed, record }
  }

  /**
   * Reads exactly `clip.ciphertextSize` bytes, writing each frame to `file` and feeding it to the age
   * decryption, which pulls the next frame only when it wants more; the bytes of the frame before are
   * then written and decrypted, so they are granted again as credit to the sender.
   */
  async #receiveClip (frames: FootageStream, credit: ReceiveCredit, clip: DeclaredClip, identities: string[], file: { writev: (pieces: Uint8Array[]) => Promise<unknown> }, onData: (bytes: number) => void): Promise<ClipDigest> {
    let received = 0
    let handedOver = 0
    let writing: Promise<unknown> = Promise.resolve()
    const ciphertext = new ReadableStream<Uint8Array>({
      async pull (controller) {
        const grant = credit.process(handedOver)
        handedOver = 0
        if (grant > 0) await frames.write({ credit: grant })
        if (received === clip.ciphertextSize) { controller.close(); return }
        let frame: Uint8ArrayList
        try { frame = await frames.readList() } catch (err) {
          throw err instanceof PeerHungUpError ? new TransferIncompleteError({ cid: clip.cid, received, declared: clip.ciphertextSize }, err) : err
        }
        if (frame.byteLength === 0) throw new UnexpectedDataError({ cid: clip.cid, reason: 'empty frame' })
        if (received + frame.byteLength > clip.ciphertextSize) throw new UnexpectedDataError({ cid: clip.cid, declared: clip.ciphertextSize, received: received + frame.byteLength })
        received += frame.byteLength
        onData(frame.byteLength)
        handedOver = frame.byteLength
        // The frame's pieces as they arrived, never joined: the disk writes them while they are decrypted
        // and the next frame is read (one write in flight).
        const pieces = [...frame]
        await writing
        writing = file.writev(pieces)
        writing.catch(() => {})
        for (const piece of pieces) controller.enqueue(piece)
      }
    }, { highWaterMark: 0 })
    let digest: ClipDigest
    try {
      const { plaintext, done } = await decryptClip(ciphertext, identities, this.#init.crypto === undefined ? {} : { crypto: this.#init.crypto })
      const reader = plaintext.getReader()
      while (!(await reader.read()).done) { /* checked, not kept: the stored file is the ciphertext */ }
      digest = await done
      await writing
    } catch (err) {
      if (isPorchlightError(err) && /^Envelope|InvalidIdentity/.test(err.name)) throw new ClipDecryptError({ cid: clip.cid, reason: err.code }, err)
      throw err
    }
    if (digest.cid.toString() !== clip.cid) throw new ClipCidMismatchError({ cid: clip.cid, actual: digest.cid.toString() })
    return digest
  }

  #translate (err: unknown): Error {
    if (err instanceof PeerHungUpError) return new TransferIncompleteError({}, err)
    return err instanceof Error ? err : new Error(String(err))
  }
}

/**
 * Aborts `stream` with TransferDeadlineError once it has been open `msFor(bytes received)` ms: a base, plus
 * the bytes at the slowest accepted rate. A sender must keep that average (after the base's grace), so one
 * that trickles is cut within the base whatever size it declared, and no transfer outlives its declared
 * size's deadline. `expired` is the error once it fired (the failure a read then reports is its echo).
 */
function transferDeadline (stream: Stream, msFor: (bytes: number) => number): { progress: (bytes: number) => void, clear: () => void, readonly expired: TransferDeadlineError | undefined } {
  const opened = Date.now()
  let received = 0
  let expired: TransferDeadlineError | undefined
  let timer: NodeJS.Timeout | undefined
  // Progress only moves a number; the timer, when it fires early, waits again for what is left.
  const arm = (): void => {
    const left = opened + msFor(received) - Date.now()
    if (left > 0) { timer = setTimeout(arm, left); return }
    expired = new TransferDeadlineError({ deadlineMs: msFor(received), received })
    stream.abort(expired)
  }
  timer = setTimeout(arm, msFor(0))
  return {
    progress: (bytes) => { received += bytes },
    clear: () => { clearTimeout(timer) },
    get expired () { return expired }
  }
}

// The agency's use of delivered footage (issue 6, "Agency: using footage"): every opening, share and
// deletion is a log entry, appended — and durable — before it takes effect: an `access` before the first
// decrypted byte leaves, a `delete` before the file goes. A clip is known by its CID, as the log knows it:
// once a `delete` entry names a CID, every copy of it (two consents may deliver the same bytes) is gone and
// no later access or share of that CID is possible (the auditor flags any use after a delete).
import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import {
  LIMITS, TextTooLongError, decryptClip, encodeLogEntry, textLength, type DeletionReason, type DeliveryView, type EnvelopeCrypto,
  type FootageLogged, type SignedDeletionRequest
} from '../../protocol/index.js'
import { BlankFieldError, FootageDeletedError, FootageNotFoundError, LegalBasisRequiredError, UnknownRequestError } from '../footage/errors.js'
import { peekStream, sniffMediaType } from './media-type.js'
import type { DeliveryRecord, FootageLog, RequestBook } from './receiver.js'
import type { FootageVault } from './vault.js'

/** The `deliveries` sublevel, as the keeper uses it. */
export interface DeliveryRecords {
  get (consent: string): Promise<DeliveryRecord | undefined>
  put (record: DeliveryRecord): Promise<void>
  all (): Promise<DeliveryRecord[]>
}

export interface FootageKeeperInit {
  deliveries: DeliveryRecords
  vault: FootageVault
  log: () => Pick<FootageLog, 'append'>
  book: () => RequestBook
  /**
   * Whom entries name when the caller names no one: the node's own operator (a CLI command with the node's
   * token). The API passes `userOf(request).id` (node/api/principal.ts).
   */
  actor: string
  crypto?: EnvelopeCrypto
  /** Unix seconds. */
  now: () => number
  /** Whether `address` is an active registered agency at `at`: a share to one needs no legal basis. */
  isActiveAgency?: (address: string, at: number) => Promise<boolean>
}

export type { DeliveryView }

export interface OpenedFootage {
  /** The decrypted clip, pulled from the age file as it is read. */
  plaintext: Readable
  size: number
  contentType: string
  /** The index of the `access` entry logged for this opening. */
  accessIndex: number
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/

/** A text an entry needs: not blank, within its limit (code points). */
function checkText (field: string, value: string, limit: number, required = true): string {
  if (required && value.trim() === '') throw new BlankFieldError({ field })
  const length = textLength(value)
  if (length > limit) throw new TextTooLongError({ field, limit, value: length })
  return value
}

export class FootageKeeper {
  readonly #init: FootageKeeperInit
  /** Per CID: the operation in progress, so an access and a delete of one clip are logged in the order they act. */
  readonly #busy = new Map<string, Promise<unknown>>()

  constructor (init: FootageKeeperInit) {
    this.#init = init
  }

  /** The deliveries for one of the agency's requests, oldest first. */
  async deliveriesOf (request: string): Promise<DeliveryView[]> {
    const record = await this.#init.book().get(request)
    if (record === undefined) throw new UnknownRequestError({ request })
    const records = (await this.#init.deliveries.all()).filter((r) => r.request === request)
    return records.sort((a, b) => a.logIndex - b.logIndex).map((r) => toView(r, record.signed.message.caseCode))
  }

  /** Every delivery the agency received, newest first, each with its request's case code. */
  async deliveries (): Promise<DeliveryView[]> {
    const caseCodes = new Map<string, string>()
    const out: DeliveryView[] = []
    for (const r of (await this.#init.deliveries.all()).sort((a, b) => b.logIndex - a.logIndex)) {
      if (!caseCodes.has(r.request)) caseCodes.set(r.request, (await this.#init.book().get(r.request))?.signed.message.caseCode ?? '')
      out.push(toView(r, caseCodes.get(r.request)!))
    }
    return out
  }

  /** How many deliveries each request received. */
  async deliveryCounts (): Promise<Map<string, number>> {
    const counts = new Map<string, number>()
    for (const r of await this.#init.deliveries.all()) counts.set(r.request, (counts.get(r.request) ?? 0) + 1)
    return counts
  }

  /**
   * Opens a delivered clip for `purpose`: its `access` entry is durable in the log before the clip is
   * decrypted; then the age file is decrypted as it is read. `actor` is whom the entry names (the API's user).
   */
  async open (cid: string, purpose: string, actor: string = this.#init.actor): Promise<OpenedFootage> {
    checkText('purpose', purpose, LIMITS.entry.maxPurposeChars)
    return await this.#exclusive(cid, async () => {
      const holder = await this.#holder(cid)
      const clip = holder.clips.find((c) => c.cid === cid)!
      const request = await this.#init.book().get(holder.request)
      if (request === undefined) throw new UnknownRequestError({ request: holder.request })
      const identities = await request.identities()
      const file = await open(this.#init.vault.path(holder.consent, cid), 'r')
      let accessIndex: number
      try {
        accessIndex = await this.#append({ kind: 'access', clip: cid, actor, purpose, at: this.#init.now() })
      } catch (err) { await file.close(); throw err }
      // The file handle stays valid even if the clip is deleted right after: this access was logged first.
      const ciphertext = Readable.toWeb(file.createReadStream({ highWaterMark: 256 * 1024 })) as ReadableStream<Uint8Array>
      const { plaintext } = await decryptClip(ciphertext, identities, this.#init.crypto === undefined ? {} : { crypto: this.#init.crypto })
      const { head, stream } = await peekStream(plaintext)
      return { plaintext: Readable.fromWeb(stream), size: clip.size, contentType: sniffMediaType(head), accessIndex }
    })
  }

  /**
   * Logs a share of a delivered clip with `recipient` (an agency address, or any named body with a legal
   * basis): `actor` proposed it, `approvedBy` (a supervisor) approved it; both default to the operator.
   */
  async share (cid: string, recipient: string, legalBasis: string, who: { actor?: string, approvedBy?: string } = {}): Promise<FootageLogged> {
    const actor = who.actor ?? this.#init.actor
    const approvedBy = who.approvedBy ?? actor
    return await this.#exclusive(cid, async () => {
      const at = await this.#checkShare(cid, recipient, legalBasis)
      return { logIndex: await this.#append({ kind: 'share', clip: cid, recipient, legalBasis, actor, approvedBy, at }) }
    })
  }

  /** Refuses a share that `share` would refuse now (a proposal is checked when made, and again when approved). */
  async checkShare (cid: string, recipient: string, legalBasis: string): Promise<void> {
    await this.#checkShare(cid, recipient, legalBasis)
  }

  async #checkShare (cid: string, recipient: string, legalBasis: string): Promise<number> {
    checkText('recipient', recipient, LIMITS.entry.maxShareRecipientChars)
    checkText('legalBasis', legalBasis, LIMITS.entry.maxLegalBasisChars, false)
    await this.#holder(cid)
    const at = this.#init.now()
    if (legalBasis.trim() === '') {
      const registered = ADDRESS.test(recipient) && await this.#init.isActiveAgency?.(recipient, at) === true
      if (!registered) throw new LegalBasisRequiredError({ field: 'legalBasis', recipient })
    }
    return at
  }

  /**
   * Deletes every copy of a clip: the `delete` entry first, then the files. `FOOTAGE_DELETED` if it is
   * already gone, unless `again` (a resident's request repeated) asks for the earlier entry's index. The
   * entry's actor is `opts.actor` for the agency's own deletions (the operator by default), and the reason
   * itself for the retention job's and a resident's request (the log's rule: protocol/messages/shapes.ts).
   */
  async remove (cid: string, reason: DeletionReason, opts: { deletionRequest?: SignedDeletionRequest, again?: boolean, actor?: string } = {}): Promise<FootageLogged> {
    const actor = reason === 'agency' ? opts.actor ?? this.#init.actor : reason
    return await this.#exclusive(cid, async () => {
      const holders = await this.#holders(cid)
      if (holders.length === 0) throw new FootageNotFoundError({ cid })
      const earlier = holders.map((h) => h.deleted[cid]).find((i) => i !== undefined)
      if (earlier !== undefined) {
        // A copy delivered again after the deletion: the log already says the CID is gone; make it so.
        await this.#discard(holders, cid, earlier)
        if (opts.again === true) return { logIndex: earlier }
        throw new FootageDeletedError({ cid, logIndex: earlier })
      }
      const logIndex = await this.#append({ kind: 'delete', clip: cid, reason, actor, at: this.#init.now(), ...(opts.deletionRequest === undefined ? {} : { deletionRequest: opts.deletionRequest }) })
      await this.#discard(holders, cid, logIndex)
      return { logIndex }
    })
  }

  /**
   * The retention promise: deletes (reason `retention`) every clip whose request's retention, counted from
   * its first delivery, ends by `horizon` (unix seconds). Returns what it deleted.
   */
  async deleteExpired (horizon: number): Promise<Array<{ cid: string, logIndex: number }>> {
    const due = new Map<string, number>()
    const retention = new Map<string, number | undefined>()
    for (const record of await this.#init.deliveries.all()) {
      if (!retention.has(record.request)) retention.set(record.request, (await this.#init.book().get(record.request))?.signed.message.retentionDays)
      const days = retention.get(record.request)
      if (days === undefined) continue
      for (const clip of record.clips) {
        if (record.deleted[clip.cid] !== undefined) continue
        const deadline = record.at + days * 86_400
        due.set(clip.cid, Math.min(due.get(clip.cid) ?? Infinity, deadline))
      }
    }
    const deleted: Array<{ cid: string, logIndex: number }> = []
    for (const [cid, deadline] of due) {
      if (deadline > horizon) continue
      deleted.push({ cid, ...await this.remove(cid, 'retention', { again: true }) })
    }
    return deleted
  }

  async #discard (holders: DeliveryRecord[], cid: string, logIndex: number): Promise<void> {
    for (const holder of holders) {
      if (holder.deleted[cid] !== undefined) continue
      await this.#init.vault.remove(holder.consent, cid)
      holder.deleted[cid] = logIndex
      await this.#init.deliveries.put(holder)
    }
  }

  /** Every delivery that holds `cid`, oldest first. */
  async #holders (cid: string): Promise<DeliveryRecord[]> {
    const all = await this.#init.deliveries.all()
    return all.filter((r) => r.clips.some((c) => c.cid === cid)).sort((a, b) => a.logIndex - b.logIndex)
  }

  /** The delivery to read `cid` from; refuses an unknown or deleted clip. */
  async #holder (cid: string): Promise<DeliveryRecord> {
    const holders = await this.#holders(cid)
    if (holders.length === 0) throw new FootageNotFoundError({ cid })
    const earlier = holders.map((h) => h.deleted[cid]).find((i) => i !== undefined)
    if (earlier !== undefined) throw new FootageDeletedError({ cid, logIndex: earlier })
    return holders[0]!
  }

  async #append (entry: Parameters<typeof encodeLogEntry>[0]): Promise<number> {
    return await this.#init.log().append(encodeLogEntry(entry))
  }

  async #exclusive<T> (cid: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#busy.get(cid) ?? Promise.resolve()
    const run = before.catch(() => {}).then(fn)
    this.#busy.set(cid, run)
    try { return await run } finally {
      if (this.#busy.get(cid) === run) this.#busy.delete(cid)
    }
  }
}

function toView (r: DeliveryRecord, caseCode: string): DeliveryView {
  return {
    consentId: r.consent,
    request: r.request,
    caseCode,
    clips: r.clips.map((c) => ({ ...c, deleted: r.deleted[c.cid] !== undefined })),
    deliveredAt: r.at,
    logIndex: r.logIndex
  }
}

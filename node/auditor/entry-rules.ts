// The rules of docs/design.md §6 over the entries of one agency's log, applied in log order. The state is plain
// JSON so the next pass carries on from the last verified entry instead of re-reading the log.
import { isPorchlightError } from '../../protocol/errors.js'
import { isInsideJurisdiction } from '../../protocol/geo/index.js'
import { checkRequestLimits } from '../../protocol/limits/index.js'
import type { DayActivity } from '../../protocol/api/index.js'
import { decodeLogEntry, requestId, type LogEntry } from '../../protocol/messages/index.js'
import { verifySigned, type Domain } from '../../protocol/signing/index.js'
import type { AgencyHistory } from './chain-view.js'
import type { DecodedEntry } from './decode-bundle.js'
import { finding, type Finding, type Rule } from './findings.js'

const DAY = 86_400

export interface LoggedRequest {
  index: number
  issuedAt: number
  expiresAt: number
  retentionDays: number
  withdrawnAt?: number
  /** Absent in states saved before they were kept. */
  category?: string
  caseCode?: string
}

export interface LoggedClip {
  /** The delivery entry's index. */
  index: number
  request: string
  deliveredAt: number
  /** Undefined when the request was never logged (no promise to hold the agency to). */
  retentionDays?: number
  deletedAt?: number
  deleteIndex?: number
}

export interface RulesState {
  requests: Record<string, LoggedRequest>
  clips: Record<string, LoggedClip>
  /** Requests per UTC day (unix day number → count), for the rates in the report. */
  requestDays: Record<string, number>
  /**
   * Per UTC day (unix day number), the requests (as in requestDays), delivery entries and access entries,
   * each on the day the entry claims. Absent in states saved before it was kept: counted from then on.
   */
  activityDays?: Record<string, Partial<DayActivity>>
  /** Share entries per recipient (absent in states saved before it was kept). */
  shares?: Record<string, { registered: boolean, count: number }>
}

/** One day of an agency's logged activity (the report sends it per date). */
export type { DayActivity }

export function emptyRulesState (): RulesState {
  return { requests: {}, clips: {}, requestDays: {}, activityDays: {}, shares: {} }
}

export interface EntryRulesContext {
  /** The log's agency, checksummed. */
  agency: string
  /** The EIP-712 domain requests and withdrawals are signed in. */
  domain: Domain
  /** Registry history of any address (the agency itself, share recipients). */
  history: (address: string) => AgencyHistory
  /** Unix seconds of this pass. */
  now: number
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/

/** The time an entry claims for itself: when it was issued or when the act it records happened. */
export function entryTime (entry: LogEntry): number {
  switch (entry.kind) {
    case 'request': return entry.request.message.issuedAt
    case 'withdraw': return entry.withdrawal.message.issuedAt
    default: return entry.at
  }
}

/** The request an entry is about, given the rules' state after it: a use of a clip is about the request it was delivered for. */
export function requestOfEntry (entry: LogEntry, state: RulesState): string | undefined {
  switch (entry.kind) {
    case 'request': return requestId(entry.request)
    case 'withdraw': return entry.withdrawal.message.request
    case 'delivery': return entry.request
    default: return state.clips[entry.clip]?.request
  }
}

/** The agency-side users an entry names: `actor` (access; share and delete once they carry one) and a share's `approvedBy`. */
export function usersOfEntry (entry: LogEntry): string[] {
  // Read defensively: share and delete entries gain these fields with issue 19's users.
  const named = entry as { actor?: unknown, approvedBy?: unknown }
  return [named.actor, named.approvedBy].filter((u): u is string => typeof u === 'string' && u !== '')
}

export class EntryRules {
  readonly state: RulesState
  readonly #ctx: EntryRulesContext

  constructor (ctx: EntryRulesContext, state: RulesState = emptyRulesState()) {
    this.#ctx = ctx
    this.state = state
  }

  /** Checks entry `index`; returns its findings and the time it claims (undefined when it does not decode). */
  apply (index: number, bytes: Uint8Array): { findings: Finding[], time?: number } {
    try {
      return this.applyDecoded(index, { entry: decodeLogEntry(bytes) })
    } catch (err) {
      if (!isPorchlightError(err)) throw err
      return this.applyDecoded(index, { error: { code: err.code, details: err.details } })
    }
  }

  /** `apply` for an entry already decoded (the audit pass decodes each bundle once, with its leaf hashes). */
  applyDecoded (index: number, decoded: DecodedEntry): { findings: Finding[], time?: number } {
    const out: Finding[] = []
    const flag = (rule: Rule, message: string, evidence: Record<string, unknown> = {}): void => {
      out.push(finding(this.#ctx.agency, rule, message, evidence, this.#ctx.now, index))
    }
    if ('error' in decoded) {
      flag('ENTRY_MALFORMED', 'the entry does not decode as a log entry', { code: decoded.error.code, details: decoded.error.details })
      return { findings: out }
    }
    const entry = decoded.entry
    switch (entry.kind) {
      case 'request': this.#request(entry.request, index, flag); break
      case 'withdraw': this.#withdraw(entry.withdrawal, flag); break
      case 'delivery': this.#delivery(entry, index, flag); this.#count(entry.at, 'deliveries'); break
      case 'access': this.#useOfClip(entry.clip, 'ACCESS_AFTER_DELETE', flag); this.#count(entry.at, 'accesses'); break
      case 'share': this.#share(entry, flag); this.#count(entry.at, 'shares'); break
      case 'delete': this.#delete(entry, index, flag); this.#count(entry.at, 'deletions'); break
    }
    return { findings: out, time: entryTime(entry) }
  }

  /** Findings about the state as of `now`: delivered clips kept past their promised retention. */
  finish (): Finding[] {
    const out: Finding[] = []
    for (const [cid, clip] of Object.entries(this.state.clips)) {
      if (clip.deletedAt !== undefined || clip.retentionDays === undefined) continue
      const deadline = clip.deliveredAt + clip.retentionDays * DAY
      if (this.#ctx.now > deadline) {
        out.push(finding(this.#ctx.agency, 'RETENTION_EXCEEDED', 'a delivered clip is kept past the retention its request promised, with no delete entry',
          { clip: cid, request: clip.request, deliveredAt: clip.deliveredAt, retentionDays: clip.retentionDays, deadline, now: this.#ctx.now }, this.#ctx.now, clip.index))
      }
    }
    return out
  }

  #signedBy (kind: 'Request' | 'Withdrawal', signed: Parameters<typeof verifySigned>[1], agency: string, flag: Flag): boolean {
    if (agency.toLowerCase() !== this.#ctx.agency.toLowerCase()) {
      flag('REQUEST_WRONG_AGENCY', `a ${kind.toLowerCase()} in this log names another agency`, { named: agency })
      return false
    }
    try {
      verifySigned(kind as 'Request', signed as never, this.#ctx.domain)
      return true
    } catch (err) {
      flag('ENTRY_BAD_SIGNATURE', `the ${kind.toLowerCase()}'s signature is not the agency's`, { code: isPorchlightError(err) ? err.code : 'UNKNOWN' })
      return false
    }
  }

  #request (signed: Extract<LogEntry, { kind: 'request' }>['request'], index: number, flag: Flag): void {
    const m = signed.message
    this.#signedBy('Request', signed, m.agency, flag)
    const id = requestId(signed)
    if (this.state.requests[id] !== undefined) {
      flag('REQUEST_DUPLICATE', 'the same request is logged twice', { request: id, firstIndex: this.state.requests[id].index })
      return
    }
    try {
      checkRequestLimits(m, m.issuedAt)
    } catch (err) {
      if (!isPorchlightError(err)) throw err
      flag('REQUEST_OUTSIDE_LIMITS', 'the request breaks a protocol limit', { request: id, code: err.code, ...err.details })
    }
    const history = this.#ctx.history(this.#ctx.agency)
    const registered = history.at(m.issuedAt)
    if (!history.isActiveAt(m.issuedAt)) {
      flag('REQUEST_AGENCY_INACTIVE', 'the agency was not active in the registry when it issued the request', { request: id, issuedAt: m.issuedAt, status: registered.status, validUntil: registered.validUntil })
    } else {
      let inside: boolean
      try { inside = isInsideJurisdiction(m.cells, registered.cells) } catch { inside = false }
      if (!inside) flag('REQUEST_OUTSIDE_JURISDICTION', "the request's area is not inside the agency's jurisdiction at issue time", { request: id, issuedAt: m.issuedAt, cells: m.cells, jurisdiction: registered.cells })
    }
    this.state.requests[id] = { index, issuedAt: m.issuedAt, expiresAt: m.expiresAt, retentionDays: m.retentionDays, category: m.category, caseCode: m.caseCode }
    const day = String(Math.floor(m.issuedAt / DAY))
    this.state.requestDays[day] = (this.state.requestDays[day] ?? 0) + 1
    this.#count(m.issuedAt, 'requests')
  }

  #count (at: number, what: keyof DayActivity): void {
    const days = this.state.activityDays ??= {}
    const day = days[String(Math.floor(at / DAY))] ??= {}
    day[what] = (day[what] ?? 0) + 1
  }

  #withdraw (signed: Extract<LogEntry, { kind: 'withdraw' }>['withdrawal'], flag: Flag): void {
    const m = signed.message
    this.#signedBy('Withdrawal', signed, m.agency, flag)
    const request = this.state.requests[m.request]
    if (request === undefined) {
      flag('WITHDRAW_UNKNOWN_REQUEST', 'a withdrawal of a request not logged before it', { request: m.request })
      return
    }
    request.withdrawnAt = Math.min(request.withdrawnAt ?? Infinity, m.issuedAt)
  }

  #delivery (entry: Extract<LogEntry, { kind: 'delivery' }>, index: number, flag: Flag): void {
    const request = this.state.requests[entry.request]
    if (request === undefined) {
      flag('DELIVERY_UNKNOWN_REQUEST', 'a delivery for a request not logged before it', { request: entry.request, consent: entry.consent, at: entry.at })
    } else if (entry.at < request.issuedAt) {
      flag('DELIVERY_BEFORE_REQUEST', 'a delivery dated before its request was issued', { request: entry.request, at: entry.at, issuedAt: request.issuedAt, requestIndex: request.index })
    } else if (request.withdrawnAt !== undefined && entry.at >= request.withdrawnAt) {
      flag('DELIVERY_AFTER_WITHDRAWAL', 'a delivery for a request the agency had withdrawn', { request: entry.request, at: entry.at, withdrawnAt: request.withdrawnAt, requestIndex: request.index })
    } else if (entry.at >= request.expiresAt) {
      flag('DELIVERY_AFTER_EXPIRY', 'a delivery for an expired request', { request: entry.request, at: entry.at, expiresAt: request.expiresAt, requestIndex: request.index })
    }
    // Beside the request's own window: a live request does not make a suspended agency a recipient.
    const history = this.#ctx.history(this.#ctx.agency)
    if (!history.isActiveAt(entry.at)) {
      const registered = history.at(entry.at)
      flag('DELIVERY_AGENCY_INACTIVE', 'a delivery logged while the agency was not active in the registry', { request: entry.request, consent: entry.consent, at: entry.at, status: registered.status, validUntil: registered.validUntil })
    }
    for (const clip of entry.clips) {
      if (this.state.clips[clip.cid] !== undefined) continue // delivered before: the first delivery starts the retention clock
      this.state.clips[clip.cid] = {
        index, request: entry.request, deliveredAt: entry.at, ...(request === undefined ? {} : { retentionDays: request.retentionDays })
      }
    }
  }

  #useOfClip (cid: string, afterDelete: Rule, flag: Flag): LoggedClip | undefined {
    const clip = this.state.clips[cid]
    if (clip === undefined) {
      flag('CLIP_UNKNOWN', 'an entry about a clip no delivery logged', { clip: cid })
      return undefined
    }
    if (clip.deletedAt !== undefined) flag(afterDelete, 'a clip used after its deletion was logged', { clip: cid, deleteIndex: clip.deleteIndex, deletedAt: clip.deletedAt })
    return clip
  }

  #share (entry: Extract<LogEntry, { kind: 'share' }>, flag: Flag): void {
    this.#useOfClip(entry.clip, 'SHARE_AFTER_DELETE', flag)
    const toRegistered = ADDRESS.test(entry.recipient) && this.#ctx.history(entry.recipient).isActiveAt(entry.at)
    const shares = this.state.shares ??= {}
    const tally = shares[entry.recipient] ??= { registered: toRegistered, count: 0 }
    tally.count++
    tally.registered &&= toRegistered
    if (!toRegistered && entry.legalBasis.trim() === '') {
      flag('SHARE_WITHOUT_LEGAL_BASIS', 'a clip shared with a body that is not an active registered agency, with no legal basis logged', { clip: entry.clip, recipient: entry.recipient, at: entry.at })
    }
  }

  #delete (entry: Extract<LogEntry, { kind: 'delete' }>, index: number, flag: Flag): void {
    const clip = this.state.clips[entry.clip]
    if (clip === undefined) {
      flag('CLIP_UNKNOWN', 'a deletion of a clip no delivery logged', { clip: entry.clip })
      return
    }
    if (clip.deletedAt !== undefined) return
    if (clip.retentionDays !== undefined) {
      const deadline = clip.deliveredAt + clip.retentionDays * DAY
      if (entry.at > deadline) flag('DELETION_LATE', 'a clip deleted after the retention its request promised', { clip: entry.clip, deliveredAt: clip.deliveredAt, retentionDays: clip.retentionDays, deadline, deletedAt: entry.at })
    }
    clip.deletedAt = entry.at
    clip.deleteIndex = index
  }
}

type Flag = (rule: Rule, message: string, evidence?: Record<string, unknown>) => void

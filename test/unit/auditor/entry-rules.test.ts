// The rules of docs/design.md §6 over log entries, one rule per test, on a registry history built by hand.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AgencyHistory, EntryRules, emptyRulesState, type Finding, type RulesState } from '../../../node/auditor/index.js'
import { encodeLogEntry, requestId, type LogEntry, type Request } from '../../../protocol/messages/index.js'
import { signTyped, addressOfPrivateKey } from '../../../protocol/signing/index.js'
import { AGENCY, AGENCY_KEY, DOMAIN, NOW } from '../../helpers/messages.js'
import { JURISDICTION, clipOf, sampleRequestAt } from '../../helpers/audit-log.js'

const OTHER_KEY = '0x' + '5d'.repeat(32)
const OTHER = addressOfPrivateKey(OTHER_KEY)
const DAY = 86_400

interface World { registeredAt?: number, cells?: string[], suspendedAt?: number, now?: number }

function rulesFor (world: World = {}, state?: RulesState): EntryRules {
  const histories = new Map<string, AgencyHistory>()
  const agency = new AgencyHistory(AGENCY)
  agency.push(world.registeredAt ?? NOW - DAY, { status: 'active', name: 'PD', cells: world.cells ?? JURISDICTION, validUntil: NOW + 365 * DAY })
  if (world.suspendedAt !== undefined) agency.push(world.suspendedAt, { status: 'suspended' })
  histories.set(AGENCY.toLowerCase(), agency)
  const other = new AgencyHistory(OTHER)
  other.push(NOW - DAY, { status: 'active', name: 'DA', cells: JURISDICTION, validUntil: NOW + 365 * DAY })
  histories.set(OTHER.toLowerCase(), other)
  return new EntryRules({
    agency: AGENCY,
    domain: DOMAIN,
    history: (a) => histories.get(a.toLowerCase()) ?? new AgencyHistory(a),
    now: world.now ?? NOW + DAY
  }, state)
}

function run (entries: LogEntry[], world: World = {}): Finding[] {
  const rules = rulesFor(world)
  const found = entries.flatMap((e, i) => rules.apply(i, encodeLogEntry(e)).findings)
  return [...found, ...rules.finish()]
}

const codes = (found: Finding[]): string[] => found.map((f) => `${f.rule}@${f.entryIndex ?? ''}`)

function request (overrides: Partial<Request> = {}, key = AGENCY_KEY): { entry: LogEntry, id: string } {
  const signed = signTyped('Request', sampleRequestAt(addressOfPrivateKey(key), NOW, 1, overrides), DOMAIN, key)
  return { entry: { kind: 'request', request: signed }, id: requestId(signed) }
}

function withdraw (id: string, issuedAt: number): LogEntry {
  return { kind: 'withdraw', withdrawal: signTyped('Withdrawal', { request: id, agency: AGENCY, issuedAt }, DOMAIN, AGENCY_KEY) }
}

function delivery (id: string, at: number, clip = clipOf(1)): LogEntry {
  return { kind: 'delivery', request: id, consent: id, clips: [{ cid: clip, size: 100 }], at }
}

test('a request, its deliveries, uses, shares and a timely deletion break no rule', () => {
  const r = request()
  const clip = clipOf(1)
  assert.deepEqual(codes(run([
    r.entry,
    delivery(r.id, NOW + 60),
    { kind: 'access', clip, actor: 'officer-1', purpose: 'review', at: NOW + 120 },
    { kind: 'share', clip, recipient: OTHER, legalBasis: '', actor: 'inv-1', approvedBy: 'sup-1', at: NOW + 180 },
    { kind: 'share', clip, recipient: 'County Court', legalBasis: 'subpoena 42', actor: 'inv-1', approvedBy: 'sup-1', at: NOW + 190 },
    { kind: 'delete', clip, reason: 'retention', actor: 'retention', at: NOW + 30 * DAY },
    withdraw(r.id, NOW + 200)
  ], { now: NOW + 60 * DAY })), [])
})

test('bytes that are not a log entry are ENTRY_MALFORMED', () => {
  const rules = rulesFor()
  const { findings, time } = rules.apply(3, Uint8Array.of(1, 2, 3))
  assert.deepEqual(codes(findings), ['ENTRY_MALFORMED@3'])
  assert.equal(time, undefined)
})

test('a request signed for another chain is ENTRY_BAD_SIGNATURE', () => {
  const signed = signTyped('Request', sampleRequestAt(AGENCY, NOW, 1), { ...DOMAIN, chainId: 1 }, AGENCY_KEY)
  assert.deepEqual(codes(run([{ kind: 'request', request: signed }])), ['ENTRY_BAD_SIGNATURE@0'])
})

test("another agency's request in this log is REQUEST_WRONG_AGENCY", () => {
  assert.deepEqual(codes(run([request({}, OTHER_KEY).entry])), ['REQUEST_WRONG_AGENCY@0'])
})

test('a request beyond the protocol limits is REQUEST_OUTSIDE_LIMITS, with the limit', () => {
  const found = run([request({ expiresAt: NOW + 100 * 3600 }).entry])
  assert.deepEqual(codes(found), ['REQUEST_OUTSIDE_LIMITS@0'])
  assert.equal(found[0]!.evidence.code, 'LIFETIME_TOO_LONG')
})

test('a request outside the jurisdiction the agency had at issue time is REQUEST_OUTSIDE_JURISDICTION', () => {
  assert.deepEqual(codes(run([request().entry], { cells: ['87283082effffff'] })), ['REQUEST_OUTSIDE_JURISDICTION@0'])
})

test('a request issued before registration or while suspended is REQUEST_AGENCY_INACTIVE', () => {
  assert.deepEqual(codes(run([request().entry], { registeredAt: NOW + 10 })), ['REQUEST_AGENCY_INACTIVE@0'])
  assert.deepEqual(codes(run([request().entry], { suspendedAt: NOW - 10 })), ['REQUEST_AGENCY_INACTIVE@0'])
})

test('the same request logged twice is REQUEST_DUPLICATE', () => {
  const r = request()
  assert.deepEqual(codes(run([r.entry, r.entry])), ['REQUEST_DUPLICATE@1'])
})

test('withdrawing a request never logged is WITHDRAW_UNKNOWN_REQUEST', () => {
  assert.deepEqual(codes(run([withdraw(request().id, NOW)])), ['WITHDRAW_UNKNOWN_REQUEST@0'])
})

test('deliveries only for live logged requests', () => {
  const r = request()
  assert.deepEqual(codes(run([delivery(r.id, NOW + 60)])), ['DELIVERY_UNKNOWN_REQUEST@0'])
  assert.deepEqual(codes(run([r.entry, delivery(r.id, NOW - 60)])), ['DELIVERY_BEFORE_REQUEST@1'])
  assert.deepEqual(codes(run([r.entry, withdraw(r.id, NOW + 30), delivery(r.id, NOW + 60)])), ['DELIVERY_AFTER_WITHDRAWAL@2'])
  assert.deepEqual(codes(run([r.entry, delivery(r.id, NOW + 48 * 3600)])), ['DELIVERY_AFTER_EXPIRY@1'])
})

test('a delivery logged while the agency was suspended is DELIVERY_AGENCY_INACTIVE, for a request still live', () => {
  const r = request()
  const found = run([r.entry, delivery(r.id, NOW + 60)], { suspendedAt: NOW + 30 })
  assert.deepEqual(codes(found), ['DELIVERY_AGENCY_INACTIVE@1'])
  assert.equal(found[0]!.evidence.status, 'suspended')
  assert.deepEqual(codes(run([r.entry, delivery(r.id, NOW + 20)], { suspendedAt: NOW + 30 })), [], 'delivered before the suspension')
})

test('a clip used, shared or deleted without a logged delivery is CLIP_UNKNOWN', () => {
  const clip = clipOf(9)
  assert.deepEqual(codes(run([
    { kind: 'access', clip, actor: 'a', purpose: 'p', at: NOW },
    { kind: 'share', clip, recipient: OTHER, legalBasis: '', actor: 'inv-1', approvedBy: 'sup-1', at: NOW },
    { kind: 'delete', clip, reason: 'agency', actor: 'sup-1', at: NOW }
  ])), ['CLIP_UNKNOWN@0', 'CLIP_UNKNOWN@1', 'CLIP_UNKNOWN@2'])
})

test('no access or share after a delete', () => {
  const r = request()
  const clip = clipOf(1)
  assert.deepEqual(codes(run([
    r.entry, delivery(r.id, NOW + 60),
    { kind: 'delete', clip, reason: 'agency', actor: 'sup-1', at: NOW + 100 },
    { kind: 'access', clip, actor: 'a', purpose: 'p', at: NOW + 200 },
    { kind: 'share', clip, recipient: OTHER, legalBasis: '', actor: 'inv-1', approvedBy: 'sup-1', at: NOW + 300 }
  ])), ['ACCESS_AFTER_DELETE@3', 'SHARE_AFTER_DELETE@4'])
})

test('a share to anyone but an active registered agency needs a legal basis', () => {
  const r = request()
  const clip = clipOf(1)
  assert.deepEqual(codes(run([
    r.entry, delivery(r.id, NOW + 60),
    { kind: 'share', clip, recipient: 'Tabloid Inc.', legalBasis: '', actor: 'inv-1', approvedBy: 'sup-1', at: NOW + 100 },
    { kind: 'share', clip, recipient: '0x' + '12'.repeat(20), legalBasis: ' ', actor: 'inv-1', approvedBy: 'sup-1', at: NOW + 100 }
  ])), ['SHARE_WITHOUT_LEGAL_BASIS@2', 'SHARE_WITHOUT_LEGAL_BASIS@3'])
})

test('deletion after the promised retention is DELETION_LATE; no deletion by then is RETENTION_EXCEEDED', () => {
  const r = request({ retentionDays: 10 })
  assert.deepEqual(codes(run([r.entry, delivery(r.id, NOW + 60), { kind: 'delete', clip: clipOf(1), reason: 'retention', actor: 'retention', at: NOW + 60 + 11 * DAY }], { now: NOW + 20 * DAY })), ['DELETION_LATE@2'])
  const kept = run([r.entry, delivery(r.id, NOW + 60)], { now: NOW + 60 + 10 * DAY + 1 })
  assert.deepEqual(codes(kept), ['RETENTION_EXCEEDED@1'])
  assert.equal(kept[0]!.evidence.clip, clipOf(1))
  assert.deepEqual(codes(run([r.entry, delivery(r.id, NOW + 60)], { now: NOW + 60 + 10 * DAY })), [], 'the last second of retention is still within it')
})

test('the rules state survives JSON between passes', () => {
  const r = request()
  const first = rulesFor()
  first.apply(0, encodeLogEntry(r.entry))
  first.apply(1, encodeLogEntry(delivery(r.id, NOW + 60)))
  const state = JSON.parse(JSON.stringify(first.state)) as RulesState
  const second = rulesFor({}, state)
  assert.deepEqual(codes(second.apply(2, encodeLogEntry({ kind: 'delete', clip: clipOf(1), reason: 'agency', actor: 'sup-1', at: NOW + 100 })).findings), [])
  assert.deepEqual(codes(second.apply(3, encodeLogEntry({ kind: 'access', clip: clipOf(1), actor: 'a', purpose: 'p', at: NOW + 200 })).findings), ['ACCESS_AFTER_DELETE@3'])
  assert.deepEqual(codes(rulesFor({}, emptyRulesState()).apply(0, encodeLogEntry(delivery(r.id, NOW))).findings), ['DELIVERY_UNKNOWN_REQUEST@0'])
})

test('requests are counted per day for the rates', () => {
  const rules = rulesFor()
  rules.apply(0, encodeLogEntry(request().entry))
  rules.apply(1, encodeLogEntry(request({ nonce: '0x' + '77'.repeat(32) }).entry))
  assert.deepEqual(rules.state.requestDays, { [String(Math.floor(NOW / DAY))]: 2 })
})

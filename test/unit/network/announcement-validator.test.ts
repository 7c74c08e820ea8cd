import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cellToParent } from 'h3-js'
import { areaFromCircle, encodeAnnouncement, formatSignatureLine, parseSignatureLine, topicCells, topicName, LIMITS, type WitnessSet } from '../../../protocol/index.js'
import { openStore, type Store } from '../../../node/storage/index.js'
import { AnnouncementValidator, LiveRequests, type ValidationOutcome } from '../../../node/network/index.js'
import type { AgencyInfo } from '../../../node/chain/index.js'
import { TEST_WITNESSES, TEST_WITNESS_SET, TestAgency, cosign, testWitness } from '../../helpers/announcements.js'
import { AGENCY_KEY, DOMAIN, NOW, sampleRequest } from '../../helpers/messages.js'

const agency = new TestAgency(AGENCY_KEY, DOMAIN)
const area = sampleRequest().cells
const jurisdiction = [...new Set(area.map((c) => cellToParent(c, 5)))].sort()
const topic = topicName(topicCells(area)[0]!)

interface Setup { validator: AnnouncementValidator, live: LiveRequests, store: Store, registryCalls: string[], info: Map<string, AgencyInfo>, now: { t: number }, witnesses: { set: WitnessSet | Error } }

async function setup (t: { after: (fn: () => Promise<void>) => void }): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'validator-'))
  const store = await openStore(dir)
  t.after(async () => { await store.close(); await rm(dir, { recursive: true, force: true }) })
  const live = await LiveRequests.open(store.sublevel('live-requests', { valueEncoding: 'json' }))
  const registryCalls: string[] = []
  const info = new Map<string, AgencyInfo>([[agency.address, { address: agency.address, name: 'Seattle PD', cells: jurisdiction, validUntil: NOW + 365 * 86400, status: 'active' }]])
  const now = { t: NOW + 60 }
  const witnesses: { set: WitnessSet | Error } = { set: TEST_WITNESS_SET }
  const validator = new AnnouncementValidator({
    registry: {
      agencyInfo: async (a) => { registryCalls.push(a); return info.get(a) ?? { address: a, name: '', cells: [], validUntil: 0, status: 'none' } },
      witnessSet: async () => { if (witnesses.set instanceof Error) throw witnesses.set; return witnesses.set }
    },
    domain: DOMAIN,
    state: live,
    now: () => now.t
  })
  return { validator, live, store, registryCalls, info, now, witnesses }
}

function rejected (outcome: ValidationOutcome, name: string, result: 'reject' | 'ignore' = 'reject'): void {
  if (outcome.result === 'accept') assert.fail(`accepted, expected ${name}`)
  assert.equal(outcome.error.name, name, outcome.error.message)
  assert.equal(outcome.result, result)
}

test('a logged, signed request of an active agency inside its jurisdiction is accepted with what was verified', async (t) => {
  const { validator } = await setup(t)
  const a = agency.request()
  const outcome = await validator.validate(a.bytes, { topic })
  assert.equal(outcome.result, 'accept')
  if (outcome.result !== 'accept') return
  assert.equal(outcome.announcement.id, a.id)
  assert.deepEqual(outcome.announcement.topicCells, topicCells(area))
  assert.equal(outcome.announcement.verification.signer, agency.address)
  assert.equal(outcome.announcement.verification.agency.name, 'Seattle PD')
  assert.equal(outcome.announcement.verification.log.treeSize, agency.tree.size)
  assert.equal(outcome.announcement.verification.log.origin, `porchlight.31337/${agency.address.toLowerCase()}`)
  const w = outcome.announcement.verification.witnesses!
  assert.deepEqual([w.quorum, w.total, w.cosigned.map((c) => c.name)], [2, 3, TEST_WITNESSES.map((x) => x.name)])
  assert.deepEqual(w.set, TEST_WITNESS_SET.witnesses)
})

test('cheap checks reject before the registry is read', async (t) => {
  const { validator, registryCalls } = await setup(t)
  rejected(await validator.validate(new Uint8Array([1, 2, 3]), { topic }), 'MalformedEncodingError')
  rejected(await validator.validate(new Uint8Array(LIMITS.encodedBytes.announcement + 1), { topic }), 'MessageTooLargeError')
  rejected(await validator.validate(agency.request({ windowStart: NOW - 15 * 3600 }).bytes, { topic }), 'WindowTooLongError')
  rejected(await validator.validate(agency.request({ cells: areaFromCircle(47.6062, -122.3321, 900) }).bytes, { topic }), 'AreaTooLargeError')
  rejected(await validator.validate(agency.request({ issuedAt: NOW - 3 * 86400, windowStart: NOW - 3 * 86400 - 7200, windowEnd: NOW - 3 * 86400 - 3600, expiresAt: NOW - 86400 }).bytes, { topic }), 'ExpiredError')
  rejected(await validator.validate(agency.request().bytes, { topic: topicName('872830828ffffff') }), 'WrongTopicError')
  assert.deepEqual(registryCalls, [])
})

test('junk that names any agency is refused before its registry record is read: forged, unwitnessed, self-signed', async (t) => {
  const { validator, registryCalls } = await setup(t)
  const a = agency.request()
  // Another agency's address on a signed request: the signature no longer recovers it.
  const renamed = encodeAnnouncement({ ...a.announcement, request: { ...a.signed, message: { ...a.signed.message, agency: '0x' + '12'.repeat(20) } } } as typeof a.announcement)
  rejected(await validator.validate(renamed, { topic }), 'InvalidSignatureError')
  // A key of its own, its own log, no witness: no quorum.
  const selfMade = new TestAgency('0x' + '6e'.repeat(32), DOMAIN, { witnesses: [] })
  rejected(await validator.validate(selfMade.request().bytes, { topic }), 'WitnessQuorumNotMetError')
  assert.deepEqual(registryCalls, [])
})

test('a request that expired within the clock-skew allowance is ignored, not rejected', async (t) => {
  const { validator, now } = await setup(t)
  const a = agency.request()
  now.t = a.signed.message.expiresAt + 10
  rejected(await validator.validate(a.bytes, { topic }), 'StaleAnnouncementError', 'ignore')
})

test('registry: unregistered, suspended and expired agencies are rejected; an unreachable registry is ignored', async (t) => {
  const { validator, info } = await setup(t)
  const stranger = new TestAgency('0x' + '5d'.repeat(32), DOMAIN)
  rejected(await validator.validate(stranger.request().bytes, { topic }), 'AgencyNotActiveError')
  info.set(agency.address, { ...info.get(agency.address)!, status: 'suspended' })
  rejected(await validator.validate(agency.request().bytes, { topic }), 'AgencyNotActiveError')
  info.set(agency.address, { ...info.get(agency.address)!, status: 'active', validUntil: NOW })
  rejected(await validator.validate(agency.request().bytes, { topic }), 'AgencyNotActiveError')
  const broken = new AnnouncementValidator({ registry: { agencyInfo: async () => { throw new Error('rpc down') }, witnessSet: async () => TEST_WITNESS_SET }, domain: DOMAIN, state: { has: () => false, isWithdrawn: () => false, request: () => undefined }, now: () => NOW + 60 })
  rejected(await broken.validate(agency.request().bytes, { topic }), 'RegistryUnavailableError', 'ignore')
})

test('an area outside the jurisdiction is rejected', async (t) => {
  const { validator, info } = await setup(t)
  info.set(agency.address, { ...info.get(agency.address)!, cells: ['85283083fffffff'] })
  rejected(await validator.validate(agency.request().bytes, { topic }), 'OutsideJurisdictionError')
})

test('a forged signature, a foreign checkpoint and a request missing from the log are rejected', async (t) => {
  const { validator } = await setup(t)
  const a = agency.request()
  const forged = { ...a.announcement, request: { ...a.signed, message: { ...a.signed.message, title: 'Something else' } } }
  rejected(await validator.validate(encodeAnnouncement(forged), { topic }), 'InvalidSignatureError')

  // Logged in another agency's log: the checkpoint's origin is not this agency's.
  const other = new TestAgency('0x' + '5d'.repeat(32), DOMAIN)
  const elsewhere = other.log({ kind: 'request', request: a.signed })
  rejected(await validator.validate(encodeAnnouncement({ ...a.announcement, ...elsewhere }), { topic }), 'WrongOriginError')

  // Signed but never logged: the proof of some other entry does not lead to this one.
  const unlogged = agency.sign()
  const notLogged = agency.announce(unlogged, agency.proofOf(0))
  rejected(await validator.validate(notLogged.bytes, { topic }), 'InvalidProofError')
})

test('duplicates are ignored; a withdrawal retires its request and a replay of it is rejected', async (t) => {
  const { validator, live } = await setup(t)
  const a = agency.request()
  const first = await validator.validate(a.bytes, { topic })
  assert.equal(first.result, 'accept')
  if (first.result === 'accept') await live.add(first.announcement, topic)
  rejected(await validator.validate(a.bytes, { topic }), 'DuplicateAnnouncementError', 'ignore')
  // Held, but accepted on another of its topics: the copy of this one is validated again, to be forwarded here too.
  const second = topicName(topicCells(area)[1]!)
  const again = await validator.validate(a.bytes, { topic: second })
  assert.equal(again.result, 'accept')
  if (again.result === 'accept') assert.equal(await live.add(again.announcement, second), false)
  rejected(await validator.validate(a.bytes, { topic: second }), 'DuplicateAnnouncementError', 'ignore')
  rejected(await validator.validate(a.bytes, { cells: topicCells(area) }), 'DuplicateAnnouncementError', 'ignore')

  const w = agency.withdraw(a.id, NOW + 30)
  const withdrawal = await validator.validate(w.bytes, { topic })
  assert.equal(withdrawal.result, 'accept')
  if (withdrawal.result === 'accept') {
    assert.equal(withdrawal.announcement.requestId, a.id)
    assert.equal(await live.add(withdrawal.announcement, topic), true)
  }
  assert.equal(live.isWithdrawn(a.id), true)
  rejected(await validator.validate(a.bytes, { topic }), 'RequestWithdrawnError')
  rejected(await validator.validate(w.bytes, { topic }), 'DuplicateAnnouncementError', 'ignore')
})

test('a withdrawal by another agency than the request\'s is rejected', async (t) => {
  const { validator, live, info } = await setup(t)
  const a = agency.request()
  const first = await validator.validate(a.bytes, { topic })
  if (first.result === 'accept') await live.add(first.announcement)
  const other = new TestAgency('0x' + '5d'.repeat(32), DOMAIN)
  info.set(other.address, { address: other.address, name: 'Other', cells: jurisdiction, validUntil: NOW + 86400, status: 'active' })
  rejected(await validator.validate(other.withdraw(a.id, NOW + 30).bytes, { topic }), 'WithdrawalMismatchError')
  assert.equal(live.isWithdrawn(a.id), false)
})

test('catch-up answers must touch the cells asked for', async (t) => {
  const { validator } = await setup(t)
  rejected(await validator.validate(agency.request().bytes, { cells: ['872830828ffffff'] }), 'WrongTopicError')
  assert.equal((await validator.validate(agency.request().bytes, { cells: topicCells(area) })).result, 'accept')
})

test('the checkpoint needs a quorum of registered witnesses\' cosignatures made near issuedAt', async (t) => {
  const { validator } = await setup(t)
  const [a, b] = TEST_WITNESSES as [typeof TEST_WITNESSES[0], typeof TEST_WITNESSES[0]]
  // Two of three: the quorum.
  assert.equal((await validator.validate(agency.request({}, { witnesses: [a, b] }).bytes, { topic })).result, 'accept')
  // The private fork of issue 14: signed by the agency, logged in a tree no witness saw.
  rejected(await validator.validate(agency.request({}, { witnesses: [] }).bytes, { topic }), 'WitnessQuorumNotMetError')
  rejected(await validator.validate(agency.request({}, { witnesses: [a] }).bytes, { topic }), 'WitnessQuorumNotMetError')
  // Witnesses the council never registered count for nothing, however many.
  const strangers = [testWitness('stranger-1.test', 1), testWitness('stranger-2.test', 2), testWitness('stranger-3.test', 3)]
  rejected(await validator.validate(agency.request({}, { witnesses: strangers }).bytes, { topic }), 'WitnessQuorumNotMetError')
  // Cosigned long after the request was issued: the witnesses saw this checkpoint too late to vouch for it.
  const late = agency.request({}, { timestamp: NOW + LIMITS.witness.maxCosignatureDelaySeconds + 1 })
  const outcome = await validator.validate(late.bytes, { topic })
  rejected(outcome, 'CosignatureOutOfWindowError')
  if (outcome.result !== 'accept') assert.deepEqual([outcome.error.code, outcome.error.details.required, outcome.error.details.valid, outcome.error.details.outsideWindow], ['COSIGNATURE_OUT_OF_WINDOW', 2, 0, 3])
})

test('a registered witness\'s cosignature that does not verify is rejected, even beside a quorum', async (t) => {
  const { validator } = await setup(t)
  const entry = agency.request({}, { witnesses: [] })
  const note = entry.announcement.checkpoint
  const quorum = cosign(note, TEST_WITNESSES.slice(0, 2), NOW)
  // Witness c's line with one signature bit flipped, beside valid lines of a and b.
  const line = parseSignatureLine(cosign(note, TEST_WITNESSES.slice(2), NOW).slice(note.length, -1))
  const flipped = line.signature.slice()
  flipped[20]! ^= 1
  const forged = quorum + formatSignatureLine({ ...line, signature: flipped })
  rejected(await validator.validate(encodeAnnouncement({ ...entry.announcement, checkpoint: forged }), { topic }), 'ForgedCosignatureError')
  // Another key under c's name has another key id: a line of an unknown key, ignored as C2SP says.
  const unknownKey = cosign(quorum, [testWitness('witness-c.test', 0x99)], NOW)
  assert.equal((await validator.validate(encodeAnnouncement({ ...entry.announcement, checkpoint: unknownKey }), { topic })).result, 'accept')
})

test('a withdrawal needs the quorum too', async (t) => {
  const { validator, live } = await setup(t)
  const a = agency.request()
  const first = await validator.validate(a.bytes, { topic })
  if (first.result === 'accept') await live.add(first.announcement)
  rejected(await validator.validate(agency.withdraw(a.id, NOW + 30, { witnesses: TEST_WITNESSES.slice(0, 1) }).bytes, { topic }), 'WitnessQuorumNotMetError')
  assert.equal((await validator.validate(agency.withdraw(a.id, NOW + 30).bytes, { topic })).result, 'accept')
})

test('no quorum set by the council, or a witness set that cannot be read: ignored, not rejected', async (t) => {
  const { validator, witnesses } = await setup(t)
  witnesses.set = { quorum: 0, witnesses: TEST_WITNESS_SET.witnesses }
  rejected(await validator.validate(agency.request().bytes, { topic }), 'NoWitnessQuorumError', 'ignore')
  witnesses.set = new Error('rpc down')
  rejected(await validator.validate(agency.request().bytes, { topic }), 'WitnessSetUnavailableError', 'ignore')
  const noSet = new AnnouncementValidator({ registry: { agencyInfo: async (a) => ({ address: a, name: 'PD', cells: jurisdiction, validUntil: NOW + 86400, status: 'active' }) }, domain: DOMAIN, state: { has: () => false, isWithdrawn: () => false, request: () => undefined }, now: () => NOW + 60 })
  rejected(await noSet.validate(agency.request().bytes, { topic }), 'WitnessSetUnavailableError', 'ignore')
})

// The resident's "in the agency's public log" badge, computed by the UI's own code (ui/src/verify/badges.ts)
// from what node/resident's GET /api/inbox/:id sends: a real announcement, validated by the node's own
// AnnouncementValidator, kept as the inbox keeps it, shaped by inboxItemView and sent through JSON.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Wallet } from 'ethers'
import { cellToParent } from 'h3-js'
import { AnnouncementValidator, type ValidatedAnnouncement } from '../../../node/network/index.js'
import { evidenceOf, inboxItemView, type InboxItem } from '../../../node/resident/index.js'
import { requestBadges } from '../../../ui/src/verify/badges.js'
import type { InboxItemView } from '../../../ui/src/api/types.js'
import { TEST_WITNESS_SET, TestAgency } from '../../helpers/announcements.js'

const DOMAIN = { chainId: 31337n, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }

async function validated (agency: TestAgency): Promise<ValidatedAnnouncement> {
  const now = Math.floor(Date.now() / 1000)
  const a = agency.request({ issuedAt: now, windowStart: now - 7200, windowEnd: now - 3600, expiresAt: now + 86400 })
  const jurisdiction = [...new Set(a.signed.message.cells.map((c) => cellToParent(c, 5)))]
  const validator = new AnnouncementValidator({
    domain: DOMAIN,
    registry: { agencyInfo: async (address) => ({ address, name: 'Seattle PD', cells: jurisdiction, validUntil: now + 86400, status: 'active' }), witnessSet: async () => TEST_WITNESS_SET },
    state: { has: () => false, isWithdrawn: () => false, request: () => undefined }
  })
  const outcome = await validator.validate(a.bytes)
  assert.equal(outcome.result, 'accept', outcome.result === 'accept' ? '' : outcome.error.code)
  return (outcome as { announcement: ValidatedAnnouncement }).announcement
}

/** What the browser receives for an inbox item the node built from this announcement. */
function sent (v: ValidatedAnnouncement): InboxItemView {
  if (v.announcement.kind !== 'request') throw new Error('not a request')
  const item: InboxItem = {
    id: v.id, request: v.announcement.request, status: 'new', cameras: ['porch'], verification: v.verification, receivedAt: v.verification.checkedAt, announcement: evidenceOf(v)
  }
  return JSON.parse(JSON.stringify(inboxItemView(item, DOMAIN, v.verification.checkedAt))) as InboxItemView
}

function badges (view: InboxItemView, evidence = view.announcement) {
  return requestBadges({ request: view.request, domain: view.eip712.domain, verification: view.verification, ...(evidence === undefined ? {} : { evidence }), now: Math.floor(Date.now() / 1000) })
}

test('the inbox view of a real announcement turns all five badges green, from the nested or the flat evidence', async () => {
  const agency = new TestAgency(Wallet.createRandom().privateKey, DOMAIN)
  agency.request() // the request is not the log's first entry
  const view = sent(await validated(agency))
  const nested = badges(view)
  assert.deepEqual([nested.signature.state, nested.registered.state, nested.jurisdiction.state, nested.logged.state, nested.witnessed.state], ['ok', 'ok', 'ok', 'ok', 'ok'])
  // The product's wording (issue 14): how many registered witnesses cosigned, of how many.
  assert.equal(nested.witnessed.label, 'Witnessed by 3 of 3')
  assert.equal(view.logIndex, 1)
  const flat = badges(view, { logIndex: view.logIndex, checkpoint: view.checkpoint!, proof: view.proof! })
  assert.equal(flat.logged.state, 'ok')
})

test('the log badge fails for a changed proof or index and stays unknown without evidence', async () => {
  const agency = new TestAgency(Wallet.createRandom().privateKey, DOMAIN)
  agency.request()
  const view = sent(await validated(agency))
  const ev = view.announcement!
  const flipped = ev.proof[0]!.slice(0, -1) + (ev.proof[0]!.endsWith('0') ? '1' : '0')
  assert.equal(badges(view, { ...ev, proof: [flipped, ...ev.proof.slice(1)] }).logged.state, 'fail')
  assert.equal(badges(view, { ...ev, logIndex: 0 }).logged.state, 'fail')
  const { announcement: _a, logIndex: _i, checkpoint: _c, proof: _p, ...bare } = view
  assert.equal(badges(bare as InboxItemView).logged.state, 'unknown')
})

test('the witness badge is checked in the browser: stripped or forged cosignatures fail, a smaller set or no set says so', async () => {
  const agency = new TestAgency(Wallet.createRandom().privateKey, DOMAIN)
  const view = sent(await validated(agency))
  const ev = view.announcement!
  const agencyOnly = ev.checkpoint.slice(0, ev.checkpoint.indexOf('\u2014 witness-a.test'))
  assert.equal(badges(view, { ...ev, checkpoint: agencyOnly }).witnessed.state, 'fail', 'the node\'s word is not taken: the cosignatures are')
  const tampered = ev.checkpoint.replace(/(\u2014 witness-b\.test \S{20})(\S)/u, (_m, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'))
  assert.notEqual(tampered, ev.checkpoint)
  assert.equal(badges(view, { ...ev, checkpoint: tampered }).witnessed.state, 'fail')
  // A node that reports a set of two (quorum 2): two of them cosigned.
  const smaller = { ...view, verification: { ...view.verification, witnesses: { ...view.verification.witnesses!, set: TEST_WITNESS_SET.witnesses.slice(0, 2) } } }
  assert.equal(badges(smaller).witnessed.label, 'Witnessed by 2 of 2')
  const { witnesses: _w, ...unreported } = view.verification
  assert.equal(badges({ ...view, verification: unreported }).witnessed.state, 'unknown')
})

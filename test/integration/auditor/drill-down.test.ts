// The auditor's drill-down over a stand-in agency log on the embedded chain: every verified entry listed and
// filtered (kind, time, request or case code, user), a request's history with each clip's retention met or
// missed, the transparency figures, and the progress of a pass.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Auditor, memoryEntryIndex } from '../../../node/auditor/index.js'
import type { AuditProgress } from '../../../protocol/api/index.js'
import { decodeLogEntry, encodeLogEntry, requestId, type LogEntry, type SignedRequest } from '../../../protocol/messages/index.js'
import { signTyped } from '../../../protocol/signing/index.js'
import { clipOf } from '../../helpers/audit-log.js'
import { startAuditChain, type AuditChainFixture, type TestAgency } from '../../helpers/audit-chain.js'

const DAY = 86_400
let fx: AuditChainFixture
let a: TestAgency
let other: TestAgency
let auditor: Auditor
let requests: SignedRequest[]
const progress: AuditProgress[] = []

before(async () => {
  fx = await startAuditChain()
  // 300 entries: more than one bundle (256), so a pass reports progress between bundles.
  a = await fx.agencyWith(300)
  other = await fx.agencyWith(1)
  const all = a.log.view.entries.map((e) => decodeLogEntry(e))
  requests = all.filter((e): e is Extract<LogEntry, { kind: 'request' }> => e.kind === 'request').map((e) => e.request)
  const first = requests[0]!
  const t0 = first.message.issuedAt
  // Entry 1 delivered clipOf(1), entry 2 clipOf(2), for the first request (30 days' retention).
  const extra: LogEntry[] = [
    { kind: 'share', clip: clipOf(1), recipient: other.address, legalBasis: '', actor: 'badge-7', approvedBy: 'sgt-2', at: t0 + 400 },
    { kind: 'share', clip: clipOf(1), recipient: 'County Court', legalBasis: 'subpoena 42', actor: 'badge-7', approvedBy: 'sgt-2', at: t0 + 401 },
    { kind: 'delete', clip: clipOf(1), reason: 'agency', actor: 'sgt-2', at: t0 + 500 },
    { kind: 'delete', clip: clipOf(2), reason: 'retention', actor: 'retention', at: t0 + 31 * DAY },
    { kind: 'withdraw', withdrawal: signTyped('Withdrawal', { request: requestId(requests[1]!), agency: a.address, issuedAt: requests[1]!.message.issuedAt + 60 }, fx.domain, a.key) }
  ]
  a.log.view = { entries: [...a.log.view.entries, ...extra.map(encodeLogEntry)] }
  auditor = new Auditor({ chain: fx.reader, logs: { [a.address]: a.url }, entries: memoryEntryIndex() })
  auditor.on('audit:progress', (p) => { progress.push(p) })
  await auditor.audit({ agency: a.address })
})
after(async () => { await fx.stop() })

test('every verified entry is listed in log order, decoded and verified', async () => {
  const list = await auditor.entries(a.address, { limit: 500 })
  assert.equal(list.total, 305)
  assert.equal(list.verifiedSize, 305)
  assert.deepEqual(list.logViolations, [])
  assert.deepEqual(list.entries.map((e) => e.index), [...Array(305).keys()])
  // The late deletion is the one violation about an entry: that entry alone is not verified.
  const late = list.entries.filter((e) => !e.verified)
  assert.deepEqual(late.map((e) => [e.index, e.findings.map((f) => f.rule)]), [[303, ['DELETION_LATE']]])
  assert.equal(list.entries[0]!.entry?.kind, 'request')
  assert.match(list.entries[0]!.leaf, /^0x[0-9a-f]{64}$/)
})

test('filters: kind, date range, request (by id or case code) and user', async () => {
  const access = await auditor.entries(a.address, { kind: 'access', limit: 500 })
  assert.ok(access.total > 0 && access.entries.every((e) => e.kind === 'access'))
  const officer = await auditor.entries(a.address, { user: 'officer-3', limit: 500 })
  assert.ok(officer.total > 0)
  assert.ok(officer.entries.every((e) => e.entry?.kind === 'access' && e.entry.actor === 'officer-3'))
  // The supervisor approved two shares and deleted a clip: the user filter finds them by approvedBy and actor.
  const supervisor = await auditor.entries(a.address, { user: 'sgt-2', limit: 500 })
  assert.deepEqual(supervisor.entries.map((e) => e.entry?.kind), ['share', 'share', 'delete'])
  const t0 = requests[0]!.message.issuedAt
  const window = await auditor.entries(a.address, { from: t0 + 3, to: t0 + 5 })
  assert.deepEqual(window.entries.map((e) => e.index), [3, 4, 5])
  const id = requestId(requests[0]!)
  const byId = await auditor.entries(a.address, { request: id })
  const byCase = await auditor.entries(a.address, { request: requests[0]!.message.caseCode })
  assert.deepEqual(byId.entries.map((e) => e.index), byCase.entries.map((e) => e.index))
  // The request, its two deliveries, five accesses, the shares and deletions of its clips.
  assert.deepEqual(byId.entries.map((e) => e.kind), ['request', 'delivery', 'delivery', 'access', 'access', 'access', 'access', 'access', 'share', 'share', 'delete', 'delete'])
  const page = await auditor.entries(a.address, { offset: 10, limit: 5 })
  assert.deepEqual([page.total, page.entries.map((e) => e.index)], [305, [10, 11, 12, 13, 14]])
})

test("a request's history: deliveries, uses, and each clip's retention deadline met or missed", async () => {
  const history = await auditor.requestHistory(a.address, requests[0]!.message.caseCode)
  assert.ok(history !== undefined)
  assert.equal(history.request, requestId(requests[0]!))
  assert.equal(history.retentionDays, 30)
  const states = Object.fromEntries(history.clips.map((c) => [c.clip, c.state]))
  assert.deepEqual(states, { [clipOf(1)]: 'met', [clipOf(2)]: 'missed' })
  assert.equal(history.clips.find((c) => c.clip === clipOf(2))?.deadline, history.clips.find((c) => c.clip === clipOf(2))!.deliveredAt + 30 * DAY)
  const withdrawn = await auditor.requestHistory(a.address, requestId(requests[1]!))
  assert.equal(withdrawn?.withdrawnAt, requests[1]!.message.issuedAt + 60)
  assert.equal(await auditor.requestHistory(a.address, 'CASE-NONE'), undefined)
})

test('the transparency figures: per category and month, withdrawn, shares to other agencies, deletions on time and late', async () => {
  const report = await auditor.report()
  const mine = report.agencies.find((r) => r.agency === a.address)!
  const t = mine.transparency
  assert.deepEqual(t.categories, { burglary: requests.length })
  assert.equal(t.withdrawn, 1)
  assert.deepEqual(t.shares, [{ recipient: 'County Court', registered: false, count: 1 }, { recipient: other.address, registered: true, count: 1 }].sort((x, y) => x.recipient.localeCompare(y.recipient)))
  assert.equal(t.retention.deletedOnTime, 1)
  assert.equal(t.retention.deletedLate, 1)
  const months = Object.values(t.months)
  assert.equal(months.reduce((n, m) => n + m.requests, 0), requests.length)
  assert.equal(months.reduce((n, m) => n + m.deletions, 0), 2)
  assert.equal(months.reduce((n, m) => n + m.shares, 0), 2)
  assert.equal(Object.values(mine.activity).reduce((n, d) => n + d.deletions, 0), 2)
  assert.equal(report.registry, fx.domain.verifyingContract)
})

test('a pass reports its progress: agencies and entries done, then the result', () => {
  assert.equal(progress[0]?.running, true)
  assert.ok(progress.some((p) => p.running && p.entriesTotal === 305 && p.entriesDone === 256), 'a step after the first bundle')
  const last = progress.at(-1)!
  assert.equal(last.running, false)
  assert.deepEqual([last.agencies, last.agenciesDone, last.entriesVerified], [1, 1, 305])
  assert.equal(last.newFindings, 1)
  assert.deepEqual(auditor.progress, last)
})

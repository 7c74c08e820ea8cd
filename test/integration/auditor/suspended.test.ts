// The auditor against the embedded chain (issue 15, item 2): a `delivery` entry logged while the council had
// the agency suspended is a violation, and the interval rules run on the later of the chain head's time and
// the wall clock, so a chain that mines nothing does not stop the audit's time.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Auditor, type AuditReport, type Finding } from '../../../node/auditor/index.js'
import { decodeLogEntry, encodeLogEntry } from '../../../protocol/messages/index.js'
import { clipOf } from '../../helpers/audit-log.js'
import { startAuditChain, type AuditChainFixture, type TestAgency } from '../../helpers/audit-chain.js'

let fx: AuditChainFixture

before(async () => { fx = await startAuditChain(4) })
after(async () => { await fx.stop() })

function of (report: AuditReport, agency: TestAgency): Finding[] {
  return report.findings.filter((f) => f.agency === agency.address)
}

test('a delivery entry logged while the agency was suspended is DELIVERY_AGENCY_INACTIVE', async () => {
  const a = await fx.agencyWith(8)
  await a.anchor(8)
  // Every entry so far is dated before the suspension's block.
  await fx.advance(60)
  await fx.council.suspendAgency(a.address, 'test')
  const suspendedAt = await fx.now()
  const first = decodeLogEntry(a.log.view.entries[0]!)
  assert.equal(first.kind, 'request')
  const live = (decodeLogEntry(a.log.view.entries[1]!) as Extract<ReturnType<typeof decodeLogEntry>, { kind: 'delivery' }>).request
  a.log.view = {
    entries: [...a.log.view.entries, encodeLogEntry({ kind: 'delivery', request: live, consent: live, clips: [{ cid: clipOf(777), size: 10 }], at: suspendedAt + 1 })]
  }
  const found = of(await new Auditor({ chain: fx.reader, logs: { [a.address]: a.url } }).audit({ agency: a.address }), a)
  const inactive = found.filter((f) => f.rule === 'DELIVERY_AGENCY_INACTIVE')
  assert.equal(inactive.length, 1, JSON.stringify(found))
  assert.equal(inactive[0]!.entryIndex, 8)
  assert.equal(inactive[0]!.severity, 'violation')
  assert.equal(inactive[0]!.evidence.status, 'suspended')
  // The request was live: nothing else is wrong with that delivery.
  assert.ok(!found.some((f) => f.entryIndex === 8 && f.rule !== 'DELIVERY_AGENCY_INACTIVE'), JSON.stringify(found))
})

test('LOG_NOT_ANCHORING appears once the wall clock passes the interval, with no new block mined', async () => {
  const a = await fx.agencyWith(10)
  await a.anchor(10)
  let wall = await fx.now()
  const auditor = new Auditor({ chain: fx.reader, logs: { [a.address]: a.url }, clock: () => wall })
  assert.deepEqual(of(await auditor.audit({ agency: a.address }), a), [])
  await a.grow(5)
  const head = await fx.provider.getBlockNumber()
  wall = (await fx.now()) + 2 * 3600 // the promised interval (600 s) passes many times over by the auditor's clock
  const found = of(await auditor.audit({ agency: a.address }), a)
  assert.equal(await fx.provider.getBlockNumber(), head, 'no block was mined')
  const stopped = found.find((f) => f.rule === 'LOG_NOT_ANCHORING')
  assert.ok(stopped, JSON.stringify(found))
  assert.equal(stopped.entryIndex, 10)
  assert.equal(stopped.evidence.now, wall)
})

test('a wall clock behind the chain head does not hold the audit back', async () => {
  const a = await fx.agencyWith(6)
  await a.anchor(6)
  const auditor = new Auditor({ chain: fx.reader, logs: { [a.address]: a.url }, clock: () => 0 })
  await auditor.audit({ agency: a.address })
  await a.grow(3)
  await fx.advance(2 * 3600)
  const found = of(await auditor.audit({ agency: a.address }), a)
  assert.ok(found.some((f) => f.rule === 'LOG_NOT_ANCHORING' && f.entryIndex === 6), JSON.stringify(found))
})

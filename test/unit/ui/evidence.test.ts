import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkEvidence } from '../../../ui/src/verify/evidence.js'
import { encodeLogEntry, toHex, type ReceiptFile } from '../../../protocol/index.js'
import { DOMAIN, FixtureLog, logDelivery, logRequest } from '../../helpers/ui-world.js'
import { CONSENT_ID } from '../../helpers/messages.js'

function world () {
  const log = new FixtureLog()
  const req = logRequest(log)
  const { entry, receipt } = logDelivery(log, req.id, CONSENT_ID)
  return { log, req, entry, receipt }
}

test('a receipt with its delivery entry verifies in full: checkpoint, receipt signature, inclusion', () => {
  const { entry, receipt } = world()
  const r = checkEvidence(JSON.stringify({ receipt, entry }), DOMAIN)
  assert.equal(r.ok, true, JSON.stringify(r.steps))
  assert.equal(r.kind, 'receipt')
  assert.equal(r.steps.length, 3)
})

test('an entry with its proof verifies; a tampered entry or receipt does not', () => {
  const { log, req, entry, receipt } = world()
  const ev = log.evidence(req.logIndex)
  assert.equal(checkEvidence(JSON.stringify({ entry: { kind: 'request', request: req.signed }, ...ev })).ok, true)
  const tampered = { ...entry, at: (entry as { at: number }).at + 1 }
  assert.equal(checkEvidence(JSON.stringify({ receipt, entry: tampered }), DOMAIN).ok, false)
  const badReceipt = { ...receipt, message: { ...receipt.message, consent: req.id } }
  const steps = checkEvidence(JSON.stringify({ receipt: badReceipt, entry }), DOMAIN).steps
  assert.equal(steps.find((s) => s.label.startsWith('Receipt'))?.ok, false)
})

test('a bare receipt cannot prove inclusion without its entry; garbage is a format error', () => {
  const { receipt } = world()
  assert.equal(checkEvidence(JSON.stringify(receipt), DOMAIN).ok, false)
  assert.throws(() => checkEvidence('not json'), { name: 'EvidenceFormatError' })
  assert.throws(() => checkEvidence('{"entry":{}}'), { name: 'EvidenceFormatError' })
})

test("a receipt file is checked against the auditor's own chain and registry, and says so when it names others", () => {
  const { entry, receipt } = world()
  const file = (over: Partial<ReceiptFile> = {}): string => JSON.stringify({
    format: 'porchlight-receipt/1', receipt, entry: toHex(encodeLogEntry(entry)), chainId: DOMAIN.chainId, registry: DOMAIN.verifyingContract, ...over
  })
  const ok = checkEvidence(file(), DOMAIN)
  assert.equal(ok.ok, true, JSON.stringify(ok.steps))
  assert.equal(ok.steps.length, 4)
  const otherChain = checkEvidence(file({ chainId: Number(DOMAIN.chainId) + 1 }), DOMAIN)
  assert.equal(otherChain.ok, false)
  assert.equal(otherChain.steps.find((s) => s.label.startsWith('The file names'))?.ok, false)
  const otherRegistry = checkEvidence(file({ registry: '0x' + '11'.repeat(20) }), DOMAIN)
  assert.equal(otherRegistry.steps.find((s) => s.label.startsWith('The file names'))?.ok, false)
  assert.throws(() => checkEvidence(JSON.stringify({ format: 'porchlight-receipt/9', receipt }), DOMAIN), { name: 'EvidenceFormatError' })
  assert.throws(() => checkEvidence(JSON.stringify({ format: 'porchlight-receipt/1', receipt }), DOMAIN), { name: 'EvidenceFormatError' })
})

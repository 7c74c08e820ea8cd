// The shares node/footage sends ({ shares: ShareView[] }) as the resident's Shares page reads them (ShareRow).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { consentId, encodeLogEntry, type ShareView } from '../../../protocol/index.js'
import { sharesOf, toShareRow } from '../../../ui/src/api/share-view.js'
import { checkEvidenceValue } from '../../../ui/src/verify/evidence.js'
import { signedConsent } from '../../helpers/messages.js'
import { FixtureLog, logDelivery, logRequest, toHex } from '../../helpers/ui-world.js'

function nodeShare (over: Partial<ShareView> = {}): ShareView {
  const log = new FixtureLog()
  const req = logRequest(log)
  const consent = signedConsent({ request: req.id })
  const id = consentId(consent)
  const { entry, receipt } = logDelivery(log, req.id, id, consent.message.clips.map((c) => ({ cid: c.cid, size: c.size })))
  return {
    id, request: req.signed, consent, state: 'delivered', createdAt: 100, updatedAt: 200, progress: { sent: 10, total: 10 },
    receipt, entry: toHex(encodeLogEntry(entry)), status: 'logged', ...over
  }
}

test('a delivered share: request id, consent id, agency, clips, and a receipt the browser checks against the entry', () => {
  const raw = nodeShare()
  const [view] = sharesOf({ shares: [raw] })
  assert.equal(view!.request, raw.consent.message.request)
  assert.equal(view!.consent, raw.id)
  assert.equal(view!.agency, raw.request.message.agency)
  assert.deepEqual(view!.clips, raw.consent.message.clips.map((c) => ({ cid: c.cid, size: c.size })))
  assert.equal(view!.status, 'logged')
  assert.equal(view!.anchored, false)
  assert.equal(view!.progress, undefined, 'no progress bar once delivered')
  assert.equal(view!.at, 100)
  assert.equal(checkEvidenceValue({ receipt: view!.receipt!, entry: view!.entry! }).ok, true)
  assert.equal(toShareRow(nodeShare({ status: 'publicly-anchored' })).anchored, true)
})

test('while sending: progress and "delivering"; a failure keeps its error; unreadable entry bytes are left out', () => {
  const { receipt: _r, entry: _e, status: _s, ...bare } = nodeShare()
  const sending = toShareRow({ ...bare, state: 'sending', progress: { sent: 3, total: 10 } })
  assert.equal(sending.status, 'delivering')
  assert.deepEqual(sending.progress, { sent: 3, total: 10 })
  const failed = toShareRow({ ...bare, state: 'failed', error: { code: 'DIAL_FAILED', message: 'x' } })
  assert.equal(failed.status, 'failed')
  assert.equal(failed.error?.code, 'DIAL_FAILED')
  assert.equal(toShareRow({ ...bare, entry: '0x00' }).entry, undefined)
})

test('a share just consented to: pending, nothing sent yet, a progress bar and no receipt', () => {
  const { receipt: _r, entry: _e, status: _s, ...bare } = nodeShare()
  const pending = toShareRow({ ...bare, state: 'pending', progress: { sent: 0, total: 0 } })
  assert.equal(pending.status, 'pending')
  assert.deepEqual(pending.progress, { sent: 0, total: 0 })
  assert.equal(pending.receipt, undefined)
  assert.deepEqual(sharesOf({ shares: [] }), [])
})

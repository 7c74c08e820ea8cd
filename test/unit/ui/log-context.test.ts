// The agency's Log tab: each row's time and case code, read from the log's own entries.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { consentId, requestId, type LogEntry } from '../../../protocol/index.js'
import { entryContexts } from '../../../ui/src/agency/log-context.js'
import { CLIP_CIDS, NOW, signedConsent, signedRequest, signedWithdrawal } from '../../helpers/messages.js'

const first = signedRequest({ caseCode: 'SPD-1' })
const second = signedRequest({ caseCode: 'SPD-2', nonce: '0x' + '22'.repeat(32) })
const entries: LogEntry[] = [
  { kind: 'request', request: first },
  { kind: 'request', request: second },
  { kind: 'delivery', request: requestId(first), consent: consentId(signedConsent()), clips: [{ cid: CLIP_CIDS[0]!, size: 1000 }], at: NOW + 10 },
  // The same bytes delivered for the second request too: an access to them concerns both cases.
  { kind: 'delivery', request: requestId(second), consent: consentId(signedConsent({ issuedAt: NOW + 1 })), clips: [{ cid: CLIP_CIDS[0]!, size: 1000 }, { cid: CLIP_CIDS[1]!, size: 2000 }], at: NOW + 20 },
  { kind: 'access', clip: CLIP_CIDS[0]!, actor: 'badge-7', purpose: 'review', at: NOW + 30 },
  { kind: 'share', clip: CLIP_CIDS[1]!, recipient: 'county DA', legalBasis: 'subpoena 12', actor: 'badge-7', approvedBy: 'sgt-2', at: NOW + 40 },
  { kind: 'delete', clip: CLIP_CIDS[2]!, reason: 'agency', actor: 'sgt-2', at: NOW + 50 },
  { kind: 'withdraw', withdrawal: signedWithdrawal() }
]

test('each row has its time and the case codes of the requests it concerns', () => {
  // Given out of order (the tab shows newest first): the context is built in log order all the same.
  const rows = entryContexts(entries.map((entry, index) => ({ index, entry })).reverse())
  assert.deepEqual(rows.map((r) => r.index), [0, 1, 2, 3, 4, 5, 6, 7])
  assert.deepEqual(rows.map((r) => r.caseCodes), [['SPD-1'], ['SPD-2'], ['SPD-1'], ['SPD-2'], ['SPD-1', 'SPD-2'], ['SPD-2'], [], []])
  assert.deepEqual(rows.map((r) => r.at), [first.message.issuedAt, second.message.issuedAt, NOW + 10, NOW + 20, NOW + 30, NOW + 40, NOW + 50, signedWithdrawal().message.issuedAt])
})

test('a clip is tied to a case only by a delivery logged before the entry', () => {
  const rows = entryContexts([{ index: 0, entry: { kind: 'request', request: first } }, { index: 1, entry: entries[4]! }, { index: 2, entry: entries[2]! }])
  assert.deepEqual(rows[1]!.caseCodes, [])
})

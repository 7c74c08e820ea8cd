import { test } from 'node:test'
import assert from 'node:assert/strict'
import { latLngToCell } from 'h3-js'
import { draftArea, requestAddrs, requestFromDraft, type RequestDraft } from '../../../node/agency/index.js'

const cell = latLngToCell(37.7749, -122.4194, 9)
const base: RequestDraft = {
  caseCode: 'C-1', title: 't', details: '', category: 'burglary', cells: [cell],
  windowStart: '2026-11-26T10:00:00Z', windowEnd: '2026-11-26T11:00:00.900Z', lifetimeHours: 1.5, retentionDays: 30
}
const origin = { agency: '0x' + '11'.repeat(20), peerId: 'p', addrs: ['/ip4/127.0.0.1/tcp/1'], recipient: 'age1x', issuedAt: 1_800_000_000 }

test('a draft becomes a request: times in unix seconds, lifetime from hours, a fresh 32-byte nonce', () => {
  const a = requestFromDraft(base, origin)
  assert.equal(a.windowStart, Date.UTC(2026, 10, 26, 10) / 1000)
  assert.equal(a.windowEnd, Date.UTC(2026, 10, 26, 11) / 1000)
  assert.equal(a.expiresAt, origin.issuedAt + 5400)
  assert.match(a.nonce, /^0x[0-9a-f]{64}$/)
  assert.notEqual(requestFromDraft(base, origin).nonce, a.nonce)
  assert.deepEqual(a.cells, [cell])
})

test('the area is cells or a circle, never both or neither', () => {
  assert.ok(draftArea({ center: { lat: 37.7749, lng: -122.4194 }, radiusMeters: 200 }).includes(cell))
  assert.throws(() => draftArea({ cells: [cell], center: { lat: 1, lng: 2 }, radiusMeters: 3 }), { code: 'INVALID_AREA' })
  assert.throws(() => draftArea({ radiusMeters: 3 }), { code: 'INVALID_AREA' })
  assert.throws(() => draftArea({}), { code: 'INVALID_AREA' })
  assert.throws(() => draftArea({ cells: [latLngToCell(37.7749, -122.4194, 7)] }), { code: 'INVALID_CELL' })
})

test('a time that does not parse is INVALID_TIME', () => {
  assert.throws(() => requestFromDraft({ ...base, windowEnd: 'yesterday' }, origin), { code: 'INVALID_TIME', details: { field: 'windowEnd', value: 'yesterday' } })
})

test('a request names at most eight distinct addresses', () => {
  const many = Array.from({ length: 12 }, (_, i) => `/ip4/127.0.0.1/tcp/${i % 10}`)
  assert.deepEqual(requestAddrs(many), many.slice(0, 8))
})

test('a request keeps room for the agency\'s relayed addresses, however many of its own it has', () => {
  const mine = Array.from({ length: 12 }, (_, i) => `/ip4/127.0.0.1/tcp/${i + 1}`)
  const relayed = Array.from({ length: 5 }, (_, i) => `/ip4/127.0.0.2/tcp/${i + 1}/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo/p2p-circuit`)
  assert.deepEqual(requestAddrs([...mine, ...relayed]), [...mine.slice(0, 4), ...relayed.slice(0, 4)])
  assert.deepEqual(requestAddrs([relayed[0]!, mine[0]!]), [mine[0], relayed[0]])
})

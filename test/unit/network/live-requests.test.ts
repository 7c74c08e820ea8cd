import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cellToParent } from 'h3-js'
import { topicCells } from '../../../protocol/index.js'
import { openStore } from '../../../node/storage/index.js'
import { AnnouncementValidator, LiveRequests, checkCatchUpRequest, type ValidatedAnnouncement } from '../../../node/network/index.js'
import { TEST_WITNESS_SET, TestAgency } from '../../helpers/announcements.js'
import { AGENCY_KEY, DOMAIN, NOW, sampleRequest } from '../../helpers/messages.js'

const agency = new TestAgency(AGENCY_KEY, DOMAIN)
const area = sampleRequest().cells
const cells7 = topicCells(area)

async function accepted (live: LiveRequests, bytes: Uint8Array): Promise<ValidatedAnnouncement> {
  const validator = new AnnouncementValidator({
    registry: { agencyInfo: async (a) => ({ address: a, name: 'PD', cells: [...new Set(area.map((c) => cellToParent(c, 5)))], validUntil: NOW + 86400, status: 'active' }), witnessSet: async () => TEST_WITNESS_SET },
    domain: DOMAIN,
    state: live,
    now: () => NOW + 60
  })
  const outcome = await validator.validate(bytes, { cells: cells7 })
  assert.equal(outcome.result, 'accept')
  return (outcome as { announcement: ValidatedAnnouncement }).announcement
}

test('live requests survive a restart, answer by cell, retire on withdrawal and are pruned at expiry', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'live-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  let store = await openStore(dir)
  let live = await LiveRequests.open(store.sublevel('live-requests', { valueEncoding: 'json' }))
  const a = agency.request()
  const b = agency.request({ expiresAt: NOW + 3600 })
  const events: string[] = []
  live.on('request:live', (v) => events.push(`live ${v.id}`))
  live.on('request:withdrawn', (v) => events.push(`withdrawn ${v.requestId}`))
  assert.equal(await live.add(await accepted(live, a.bytes)), true)
  const first = await accepted(live, b.bytes)
  assert.equal(await live.add(first), true)
  assert.equal(await live.add(first), false)
  assert.deepEqual(events, [`live ${a.id}`, `live ${b.id}`])
  assert.equal((await live.liveAnnouncements(cells7, NOW)).length, 2)
  assert.equal((await live.liveAnnouncements(['872830828ffffff'], NOW)).length, 0)
  await store.close()

  store = await openStore(dir)
  t.after(async () => { await store.close() })
  live = await LiveRequests.open(store.sublevel('live-requests', { valueEncoding: 'json' }))
  assert.equal(live.has(a.id), true)
  assert.deepEqual(live.requests().map((r) => r.id).sort(), [a.id, b.id].sort())
  const w = await accepted(live, agency.withdraw(a.id, NOW + 30).bytes)
  assert.equal(await live.add(w), true)
  assert.equal(await live.add(w), false)
  assert.equal(live.isWithdrawn(a.id), true)
  assert.equal(live.request(a.id), undefined)
  // The answer now carries the withdrawal (so a late node learns it) and the other request.
  assert.deepEqual((await live.liveAnnouncements(cells7, NOW)).map((x) => Buffer.from(x).toString('hex')).sort(), [w.bytes, b.bytes].map((x) => Buffer.from(x).toString('hex')).sort())
  assert.equal(await live.prune(NOW + 7200), 1)
  assert.equal(live.has(b.id), false)
  assert.equal(await live.prune(NOW + 49 * 3600), 1)
  assert.equal(live.isWithdrawn(a.id), false)
})

test('catch-up questions must be 1 to 64 res-7 cells', () => {
  assert.deepEqual(checkCatchUpRequest({ cells: cells7 }), { cells: cells7 })
  for (const bad of [null, {}, { cells: [] }, { cells: area }, { cells: cells7, more: 1 }, { cells: Array(65).fill(cells7[0]) }]) {
    assert.throws(() => checkCatchUpRequest(bad), { name: 'InvalidCatchUpRequestError' })
  }
})

// Issue 14: three real witness nodes, quorum 2, a real agency and a real resident over TCP. With one
// witness down a request is still published and shown, witnessed by the two left; with two down the agency's
// API refuses it with WITNESS_QUORUM_UNREACHED, naming who failed, and nothing is announced or shown.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { witnessClient } from '../../../node/witness/index.js'
import { call, draft, issueRequest, startFootageWorld, type FootageWorld, type ResidentNode } from '../../helpers/footage-world.js'

let world: FootageWorld
let resident: ResidentNode

before(async () => {
  world = await startFootageWorld({ witnesses: { count: 3, quorum: 2 } })
  resident = await world.resident('ada')
})

after(async () => { await world?.stop() })

test('all three up: the request is shown, witnessed by at least 2 of 3 registered witnesses', { timeout: 60_000 }, async () => {
  const { id } = await issueRequest(world, draft({ caseCode: 'OUTAGE-0' }))
  const item = await resident.services.inbox.get(id)
  assert.equal(item.verification.witnesses?.quorum, 2)
  assert.equal(item.verification.witnesses?.total, 3)
  assert.ok(item.verification.witnesses.cosigned.length >= 2)
})

test('one witness down: published and shown, cosigned by the two that are up', { timeout: 60_000 }, async () => {
  await world.witnesses.stop(0)
  const { id } = await issueRequest(world, draft({ caseCode: 'OUTAGE-1' }))
  const item = await resident.services.inbox.get(id)
  const names = item.verification.witnesses!.cosigned.map((c) => c.name).sort()
  assert.deepEqual(names, [world.witnesses.set[1]!.name, world.witnesses.set[2]!.name].sort())
})

test('two witnesses down: the API answers 503 WITNESS_QUORUM_UNREACHED, nothing is stored, announced or shown', { timeout: 60_000 }, async () => {
  await world.witnesses.stop(1)
  const before = (await call(world.agency, 'GET', '/api/requests')).json.length as number
  const inboxBefore = (await resident.services.inbox.list()).length
  let accepted = 0
  const count = (e: { outcome: { result: string } }): void => { if (e.outcome.result === 'accept') accepted++ }
  resident.services.network.on('announcement:validated', count)
  const refused = await call(world.agency, 'POST', '/api/requests', draft({ caseCode: 'OUTAGE-2' }))
  assert.equal(refused.status, 503)
  assert.equal(refused.json.error.code, 'WITNESS_QUORUM_UNREACHED')
  // The message names the witnesses that failed, so the operator knows whom to call.
  assert.match(refused.json.error.message, new RegExp(world.witnesses.set[0]!.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
  assert.equal((await call(world.agency, 'GET', '/api/requests')).json.length, before)
  // Had the desk announced it, the resident would validate it by the end of a catch-up from the agency.
  await resident.services.network.catchUp()
  resident.services.network.off('announcement:validated', count)
  assert.equal((await resident.services.inbox.list()).length, inboxBefore)
  // Catch-up re-sends the live requests the resident holds; those are duplicates (ignored), so none is accepted.
  assert.equal(accepted, 0)
})

test('a witness that is down is WITNESS_UNREACHABLE to the client, over libp2p and over HTTP', { timeout: 30_000 }, async () => {
  const down = world.witnesses.set[0]!
  const checkpoint = world.agency.services.log.log!.latestCheckpoint.note
  const req = { oldSize: 0, proof: [], checkpoint }
  await assert.rejects(witnessClient(down, world.agency.libp2p).addCheckpoint(req), { name: 'WitnessUnreachableError', code: 'WITNESS_UNREACHABLE' })
  await assert.rejects(witnessClient({ ...down, multiaddr: '' }).addCheckpoint(req), { name: 'WitnessUnreachableError', code: 'WITNESS_UNREACHABLE' })
})

// The agency's requests as the network sees them: real resident nodes (their validator, their inbox) accept
// what the desk announces by gossip, and a resident that joins later gets it from the agency by catch-up.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { topicName } from '../../../protocol/index.js'
import { waitForTopicPeer } from '../../../node/p2p/index.js'
import { inboxAdded, startResident, type Resident } from '../../helpers/resident-network.js'
import { corner, draft, startAgencyFixture, type AgencyFixture } from '../../helpers/agency-fixture.js'
import { witnessDoubles } from '../../helpers/witness-doubles.js'
import { latLngToCell } from 'h3-js'

let f: AgencyFixture
const residents: Resident[] = []
// Residents accept only witnessed checkpoints (issue 14): the desk is cosigned by in-test witnesses, which the
// council registers on the chain the residents read.
const { set, client } = witnessDoubles(3, 2)
before(async () => {
  f = await startAgencyFixture({ witnesses: { set: async () => set, client } })
  for (const w of set.witnesses) await f.council.addWitness(w)
  await f.council.setWitnessQuorum(set.quorum)
})
after(async () => {
  await Promise.all(residents.map(async (r) => { await r.stop() }))
  await f.stop()
})

async function resident (name: string, beforeDial?: (r: Resident) => void): Promise<Resident> {
  const r = await startResident(name, [corner], f.endpoint)
  residents.push(r)
  beforeDial?.(r)
  await r.libp2p.dial(f.node.libp2p.getMultiaddrs())
  return r
}

test('a resident whose camera is in the area gets the request in its inbox by gossip', { timeout: 30_000 }, async () => {
  const r = await resident('gossip')
  const topic = topicName(latLngToCell(corner.lat, corner.lng, 7))
  await waitForTopicPeer(f.node.libp2p, topic, { signal: AbortSignal.timeout(15_000) })
  const created = await f.api('POST', '/api/requests', draft({ caseCode: 'NET-1' }))
  assert.equal(created.status, 201, JSON.stringify(created.json))
  const item = await inboxAdded(r, created.json.id, AbortSignal.timeout(15_000))
  assert.equal(item.id, created.json.id)
})

test('a resident that joins after the request was made gets it from the agency by catch-up', { timeout: 30_000 }, async () => {
  // The agency is the only peer that knows the request, and nothing is left to re-publish: catch-up it is.
  await Promise.all(residents.splice(0).map(async (r) => { await r.stop() }))
  const created = await f.api('POST', '/api/requests', draft({ caseCode: 'NET-2' }))
  assert.equal(created.status, 201, JSON.stringify(created.json))
  f.node.services.requests.publisher.forget(created.json.id)
  const accepted: Array<{ id: string, from?: string, topic?: string }> = []
  const late = await resident('late', (r) => {
    r.services.network.on('announcement:validated', ({ outcome, from, topic }) => {
      if (outcome.result === 'accept') accepted.push({ id: outcome.announcement.id, ...(from === undefined ? {} : { from }), ...(topic === undefined ? {} : { topic }) })
    })
  })
  const item = await inboxAdded(late, created.json.id, AbortSignal.timeout(15_000))
  assert.equal(item.id, created.json.id)
  assert.deepEqual(accepted.filter((a) => a.id === created.json.id), [{ id: created.json.id, from: f.node.peerId.toString() }])
})

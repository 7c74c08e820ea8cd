// Issue 15, item 3, on real role nodes (the embedded chain, a witness, an agency node and resident nodes over
// TCP on 127.0.0.1): the agency's config `footage` limits reach its receiver. Two households on one address
// share for one request under a per-sender quota of one: the second is refused with its code, the
// resident's share says so, and the agency's /metrics counts it. A disk at its free-space floor refuses the
// next offer before any footage.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { defaults } from '../../../node/config/index.js'
import { randomClip } from '../../support/byte-streams.js'
import { addClip, call, draft, issueRequest, shareWhere, startFootageWorld, type FootageWorld, type ResidentNode } from '../../helpers/footage-world.js'

let world: FootageWorld
let ann: ResidentNode
let bob: ResidentNode
const GiB = 1024 ** 3
/** What the agency's footage disk has free, bytes. */
let free = 100 * GiB

before(async () => {
  world = await startFootageWorld({
    footage: { ...defaults.footage, perSender: { ...defaults.footage.perSender, deliveries: 1 } },
    agency: { footage: { statfs: async () => ({ bavail: free, bsize: 1 }) } }
  })
  ann = await world.resident('ann')
  bob = await world.resident('bob')
})
after(async () => { await world.stop() })

async function share (r: ResidentNode, request: string): Promise<{ state: string, error?: { code: string } }> {
  const cid = await addClip(r, randomClip(20_000), Math.floor(Date.now() / 1000) - 1800)
  const consent = await call(r, 'POST', `/api/inbox/${request}/consent`, { clips: [cid] })
  assert.equal(consent.status, 202, JSON.stringify(consent.json))
  return await shareWhere(r, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
}

async function refusals (code: string): Promise<number> {
  const text = (await call(world.agency, 'GET', '/metrics')).body
  const line = new TextDecoder().decode(text).split('\n').find((l) => l.startsWith(`porchlight_footage_refusals_total{code="${code}"}`))
  return line === undefined ? 0 : Number(line.split(' ').at(-1))
}

test('a second household on the same address is over the per-sender quota of one: refused (DELIVERY_QUOTA_EXCEEDED), counted, nothing delivered', { timeout: 90_000 }, async () => {
  const { id } = await issueRequest(world, draft({ caseCode: 'QUOTA-1' }))
  const first = await share(ann, id)
  assert.equal(first.state, 'delivered', JSON.stringify(first.error))
  const second = await share(bob, id)
  assert.equal(second.state, 'failed')
  assert.equal(second.error?.code, 'DELIVERY_QUOTA_EXCEEDED')
  assert.equal((await world.agency.services.footage.deliveries()).filter((d) => d.request === id).length, 1)
  assert.equal(await refusals('DELIVERY_QUOTA_EXCEEDED'), 1)
})

test('a disk at its free-space floor refuses the offer before any footage (INSUFFICIENT_STORAGE)', { timeout: 90_000 }, async () => {
  const { id } = await issueRequest(world, draft({ caseCode: 'DISK-1' }))
  free = defaults.footage.minFreeBytes + 1000
  const refused = await share(ann, id)
  assert.equal(refused.state, 'failed')
  assert.equal(refused.error?.code, 'INSUFFICIENT_STORAGE')
  assert.equal((await world.agency.services.footage.deliveries()).filter((d) => d.request === id).length, 0)
  assert.equal(await refusals('INSUFFICIENT_STORAGE'), 1)
})

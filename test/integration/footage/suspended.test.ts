// Issue 15, item 2, on real nodes over TCP against the embedded chain: once the council suspends an agency,
// the residents' inboxes say so, a consent and a retry are refused (AGENCY_NOT_ACTIVE, counted in /metrics,
// nothing stored), a transfer that was under way is not logged, and the agency's own receiver refuses any
// offer, however it was made. Reinstated, the same share is delivered on retry.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeLogEntry, encodeSignedConsent, type InboxSummary } from '../../../protocol/index.js'
import { createPorchlightLibp2p, type PorchlightLibp2p } from '../../../node/p2p/index.js'
import { FOOTAGE_PROTOCOL, createConsent } from '../../../node/footage/index.js'
import { agencyAddrs, declaredClips } from '../../../node/shares/index.js'
import { footageStream } from '../../../node/footage/footage-stream.js'
import { MAX_FOOTAGE_FRAME } from '../../../node/footage/wire.js'
import type { FootageReceiverEvents } from '../../../node/deliveries/index.js'
import type { ResidentInboxEvents } from '../../../node/resident/index.js'
import { randomClip } from '../../support/byte-streams.js'
import {
  addClip, call, draft, holdClip, issueRequest, shareWhere, startFootageWorld, type FootageWorld, type ResidentNode
} from '../../helpers/footage-world.js'

let world: FootageWorld
let ann: ResidentNode
let bob: ResidentNode
let raw: PorchlightLibp2p | undefined
const now = Math.floor(Date.now() / 1000)

before(async () => {
  world = await startFootageWorld()
  ann = await world.resident('ann')
  bob = await world.resident('bob')
})
after(async () => {
  await raw?.stop()
  await world.stop()
})

async function deliveryEntries (): Promise<number> {
  const log = world.agency.services.log.log!
  return (await log.entries(0, log.size)).map((e) => decodeLogEntry(e)).filter((e) => e.kind === 'delivery').length
}

/** A counter's value in a node's /metrics text (0 when absent). */
async function metric (node: ResidentNode | FootageWorld['agency'], name: string, labels: string): Promise<number> {
  const text = new TextDecoder().decode((await call(node, 'GET', '/metrics')).body)
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`))
  return line === undefined ? 0 : Number(line.split(' ').at(-1))
}

async function listed (r: ResidentNode, id: string): Promise<InboxSummary> {
  return ((await call(r, 'GET', '/api/inbox')).json.items as InboxSummary[]).find((i) => i.id === id)!
}

/**
 * Resolves once the agency's own chain client and `residents`' inboxes have seen a registry change of the
 * agency. Each client has synced once first: its first sync only marks where following starts.
 */
async function registryChangeSeen (residents: ResidentNode[]): Promise<() => Promise<Array<ResidentInboxEvents['agency:changed'][0]>>> {
  for (const node of [world.agency, ...residents]) await node.services.chain.client!.sync()
  const agency = once(world.agency.services.chain.client!, 'agency:changed', { signal: AbortSignal.timeout(15_000) })
  const inboxes = residents.map(async (r) => (await once(r.services.inbox, 'agency:changed', { signal: AbortSignal.timeout(15_000) }))[0] as ResidentInboxEvents['agency:changed'][0])
  return async () => (await Promise.all([agency, ...inboxes])).slice(1) as Array<ResidentInboxEvents['agency:changed'][0]>
}

test('a suspended agency gets nothing: the inbox says so, consent and retry are refused, a transfer under way is not logged, the receiver refuses', { timeout: 120_000 }, async () => {
  const { id } = await issueRequest(world, draft({ caseCode: 'SUSPEND-1' }))
  const annClip = await addClip(ann, randomClip(1_500_000), now - 1800)
  const bobClip = await addClip(bob, randomClip(5000), now - 1700)
  const before = await listed(ann, id)
  assert.equal(before.agencyStatus?.status, 'active')
  assert.equal(before.agencyStatus?.active, true)
  const refusedAtAgency = await metric(world.agency, 'porchlight_footage_deliveries_total', 'result="refused"')

  // Ann's delivery is accepted and under way (held mid-clip) when the council suspends the agency.
  const held = holdClip(ann, annClip, 500_000)
  const consent = await call(ann, 'POST', `/api/inbox/${id}/consent`, { clips: [annClip] })
  assert.equal(consent.status, 202)
  await held.reached
  const seen = await registryChangeSeen([ann, bob])
  await world.council.suspendAgency(world.address, 'issue 15')
  for (const change of await seen()) {
    assert.equal(change.agency, world.address)
    assert.equal(change.status?.status, 'suspended')
    assert.equal(change.status?.active, false)
  }
  held.release()
  const failed = await shareWhere(ann, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(failed.state, 'failed')
  assert.equal(failed.error?.code, 'AGENCY_NOT_ACTIVE')
  assert.equal(await deliveryEntries(), 0, 'nothing was logged as delivered')
  assert.deepEqual((await call(world.agency, 'GET', `/api/requests/${id}/deliveries`)).json.items, [])
  assert.deepEqual(await readdir(join(world.agency.services.footage.vault.root, '.incoming')), [], 'the temporary file is gone')

  // The inbox shows the status as it is now, beside what was verified when the request arrived.
  for (const r of [ann, bob]) {
    const row = await listed(r, id)
    assert.equal(row.agencyStatus?.status, 'suspended')
    assert.equal(row.agencyStatus?.active, false)
    const item = (await call(r, 'GET', `/api/inbox/${id}`)).json
    assert.equal(item.agencyStatus.status, 'suspended')
    assert.equal(item.verification.agency.status, 'active', 'the verification stays what was checked at arrival')
  }

  // A new consent and a retry: refused, nothing stored or changed, counted.
  const refusedConsent = await call(bob, 'POST', `/api/inbox/${id}/consent`, { clips: [bobClip] })
  assert.equal(refusedConsent.status, 403)
  assert.equal(refusedConsent.json.error.code, 'AGENCY_NOT_ACTIVE')
  assert.deepEqual((await call(bob, 'GET', '/api/shares')).json.shares, [])
  const refusedRetry = await call(ann, 'POST', `/api/shares/${consent.json.id}/retry`, {})
  assert.equal(refusedRetry.status, 403)
  assert.equal(refusedRetry.json.error.code, 'AGENCY_NOT_ACTIVE')
  assert.equal((await call(ann, 'GET', `/api/shares/${consent.json.id}`)).json.state, 'failed')
  assert.equal(await metric(bob, 'porchlight_shares_refused_total', 'code="AGENCY_NOT_ACTIVE"'), 1)
  // Ann's: the delivery attempt's own check did not see it yet (the agency refused that one), the retry's did.
  assert.ok(await metric(ann, 'porchlight_shares_refused_total', 'code="AGENCY_NOT_ACTIVE"') >= 1)

  // An offer made by hand, past every resident-side check: the agency's receiver refuses it itself.
  const signed = (await ann.services.inbox.get(id)).request
  const direct = createConsent({ request: id, clips: [{ cid: annClip, size: 1_500_000, start: now - 1800, end: now - 1740, mediaType: 'video/mp4', durationMs: 60_000, camera: '' }], domain: world.agency.services.chain.domain! }).signed
  raw = await createPorchlightLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const refusal = once(world.agency.services.footage.receiver, 'footage:refused') as Promise<[FootageReceiverEvents['footage:refused'][0]]>
  const frames = footageStream(await raw.dialProtocol(agencyAddrs(signed), FOOTAGE_PROTOCOL), { maxFrameBytes: MAX_FOOTAGE_FRAME, protocol: FOOTAGE_PROTOCOL })
  await frames.write({ consent: encodeSignedConsent(direct), clips: declaredClips(direct) })
  const answer = await frames.read<{ error?: { code: string } }>()
  assert.equal(answer.error?.code, 'AGENCY_NOT_ACTIVE')
  assert.equal((await refusal)[0].error.name, 'AgencyNotActiveError')
  assert.equal(await metric(world.agency, 'porchlight_footage_deliveries_total', 'result="refused"'), refusedAtAgency + 2)
  assert.equal(await metric(world.agency, 'porchlight_footage_refusals_total', 'code="AGENCY_NOT_ACTIVE"'), 2)
  assert.equal(await deliveryEntries(), 0)

  // Reinstated: the inbox follows, and the same share is delivered on retry.
  const back = await registryChangeSeen([ann])
  await world.council.reinstateAgency(world.address)
  const [again] = await back()
  assert.equal(again!.status?.active, true)
  assert.equal((await call(ann, 'POST', `/api/shares/${consent.json.id}/retry`, {})).status, 200)
  const delivered = await shareWhere(ann, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(delivered.state, 'delivered', JSON.stringify(delivered.error))
  assert.equal(await deliveryEntries(), 1)
})

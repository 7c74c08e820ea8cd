// Issue 5's network tests: eight residents inside, near and far from an incident on real TCP, one agency
// registered on the embedded chain, a late joiner that catches up, the inbox API, and a rogue peer.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { ChainClient, devCouncil } from '../../../node/chain/index.js'
import type { ChainEndpoint } from '../../../node/config/index.js'
import { areaFromCircle, encodeAnnouncement, topicName, type RequestAnnouncement } from '../../../protocol/index.js'
import { joinTopic, peerScore, porchlightScoreThresholds, waitForMeshPeer } from '../../../node/p2p/index.js'
import type { ValidatedEvent } from '../../../node/network/index.js'
import type { InboxItem } from '../../../node/resident/index.js'
import type { ChainFixture } from '../../helpers/chain.js'
import { TestAgency } from '../../helpers/announcements.js'
import {
  AREA, AREA_TOPIC_CELLS, INCIDENT, JURISDICTION, connect, connectRing, inboxAdded, liveFields, placements, publish, startPublisher, startResident,
  waitForSubscribers, startRegisteredAgency, type Resident
} from '../../helpers/resident-network.js'

let fixture: ChainFixture
let endpoint: ChainEndpoint
let agency: TestAgency

before(async () => { ({ fixture, endpoint, agency } = await startRegisteredAgency()) })

after(async () => { await fixture.stop() })

async function stopAll (nodes: Array<{ stop: () => Promise<void> | void }>): Promise<void> {
  await Promise.all(nodes.map(async (n) => { await n.stop() }))
}

test('eight residents: exactly those with a camera in the area get the request; other cells never see its bytes; a late node catches up', async (t) => {
  const signal = AbortSignal.timeout(60_000)
  const where = placements()
  const inside = await Promise.all(where.inside.map(async (pos, i) => await startResident(`inside-${i}`, [pos], endpoint, {
    listenApi: i === 0,
    ...(i === 2 ? { inboxPolicy: { ignoreCategories: ['burglary'], ignoreAgencies: [] } } : {})
  })))
  const near = await Promise.all(where.near.map(async (pos, i) => await startResident(`near-${i}`, [pos], endpoint)))
  const far = await Promise.all(where.far.map(async (pos, i) => await startResident(`far-${i}`, [pos], endpoint)))
  const residents: Resident[] = [...inside, ...near, ...far]
  assert.equal(residents.length, 8)
  const publisher = await startPublisher()
  const late: Resident[] = []
  t.after(async () => { await stopAll([...residents, ...late, publisher]) })

  await connectRing(residents.map((r) => r.libp2p), publisher)
  for (const cell of AREA_TOPIC_CELLS) {
    const subscribed = [...inside, ...near].filter((r) => r.services.network.cells().includes(cell))
    await waitForSubscribers(publisher, topicName(cell), subscribed.map((r) => r.libp2p), signal)
  }

  const a = agency.request(liveFields())
  const nearLive = near.map(async (r) => await once(r.services.network, 'request:live', { signal }))
  await publish(publisher, a.bytes)
  const items = await Promise.all(inside.map(async (r) => await inboxAdded(r, a.id, signal)))
  await Promise.all(nearLive)

  // Inside: in the inbox (the third by its policy, as ignored), with the cameras that matched.
  assert.deepEqual(items.map((i) => i.status), ['new', 'new', 'ignored'])
  assert.deepEqual(items[2]!.ignored, { by: 'policy', reason: 'category' })
  assert.deepEqual(items[0]!.cameras, ['inside-0-cam0'])
  // Near: same topic, validated and held live (they answer catch-up), but not in their inbox.
  for (const r of near) {
    assert.equal(r.services.network.live.has(a.id), true)
    assert.deepEqual(await r.services.inbox.list(), [])
  }
  // Far: no byte of any request topic reached them.
  for (const r of far) {
    assert.equal([...r.received.values()].reduce((x, y) => x + y, 0), 0)
    assert.equal(r.services.network.live.has(a.id), false)
    assert.deepEqual(await r.services.inbox.list(), [])
  }

  // A resident started after the publish, connected only to a near resident, gets it through catch-up.
  late.push(await startResident('late', [where.inside[1]!], endpoint))
  await connect(late[0]!.libp2p, near[0]!.libp2p)
  const caughtUp = await inboxAdded(late[0]!, a.id, signal)
  assert.equal(caughtUp.status, 'new')
  assert.equal(caughtUp.verification.signer, agency.address)

  // The inbox API (inside-0 listens): reads need the token; a refused write changes nothing.
  const api = inside[0]!.api.address()!.url
  const auth = { authorization: `Bearer ${inside[0]!.keys.apiToken}` }
  const json = { ...auth, 'content-type': 'application/json' }
  assert.equal((await fetch(`${api}/api/inbox`)).status, 401)
  const list = await (await fetch(`${api}/api/inbox`, { headers: auth })).json() as { items: Array<{ id: string, status: string }> }
  assert.deepEqual(list.items.map((i) => [i.id, i.status]), [[a.id, 'new']])
  const view = await (await fetch(`${api}/api/inbox/${a.id}`, { headers: auth })).json() as Record<string, any>
  assert.equal(view.signature, a.signed.signature)
  assert.equal(view.eip712.primaryType, 'Request')
  assert.equal(view.eip712.domain.verifyingContract, endpoint.contracts.AgencyRegistry)
  assert.equal(Number(view.eip712.domain.chainId), endpoint.chainId)
  assert.deepEqual(view.cells, AREA)
  assert.equal(view.verification.log.logIndex, a.announcement.logIndex)
  assert.equal(view.verification.insideJurisdiction, true)
  assert.equal(JSON.stringify(view).includes(String(where.inside[0]!.lat)), false, 'never a camera position')
  const refused = [
    await fetch(`${api}/api/inbox/${a.id}/ignore`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    await fetch(`${api}/api/inbox/${a.id}/ignore`, { method: 'POST', headers: json, body: '{"all":true}' }),
    await fetch(`${api}/api/inbox/${a.id}/ignore`, { method: 'POST', headers: json, body: '{' }),
    await fetch(`${api}/api/inbox/bafyreinotthere/ignore`, { method: 'POST', headers: json, body: '{}' }),
    await fetch(`${api}/api/inbox/policy`, { method: 'PUT', headers: json, body: '{"ignoreCategories":["immigration"],"ignoreAgencies":[]}' })
  ]
  assert.deepEqual(refused.map((r) => r.status), [401, 400, 400, 404, 400])
  assert.equal((await refused[3]!.json() as { error: { code: string } }).error.code, 'INBOX_ITEM_NOT_FOUND')
  assert.equal((await inside[0]!.services.inbox.get(a.id)).status, 'new')
  assert.deepEqual(inside[0]!.services.inbox.policy().effective, { ignoreCategories: [], ignoreAgencies: [] })
  const ignoredRes = await fetch(`${api}/api/inbox/${a.id}/ignore`, { method: 'POST', headers: json, body: '{}' })
  assert.equal(ignoredRes.status, 200)
  assert.equal((await ignoredRes.json() as { status: string }).status, 'ignored')

  // A withdrawal retires it everywhere it was shown.
  const withdrawn = inside.map(async (r) => await once(r.services.inbox, 'inbox:changed', { signal }))
  await publish(publisher, agency.withdraw(a.id, Math.floor(Date.now() / 1000)).bytes)
  const changed = (await Promise.all(withdrawn)).map(([item]) => (item as InboxItem).status)
  assert.deepEqual(changed, ['withdrawn', 'withdrawn', 'withdrawn'])
})

test('a rogue peer: nothing it publishes reaches an inbox or a second hop, and it ends up graylisted', async (t) => {
  const signal = AbortSignal.timeout(120_000)
  const now = Math.floor(Date.now() / 1000)
  const d = fixture.deployment
  const domain = { chainId: d.chainId, verifyingContract: d.contracts.AgencyRegistry }
  const stranger = new TestAgency(fixture.chain.accounts[3]!.privateKey, domain)
  const suspended = new TestAgency(fixture.chain.accounts[4]!.privateKey, domain)
  const elsewhere = new TestAgency(fixture.chain.accounts[5]!.privateKey, domain)
  const council = await ChainClient.connect({ deployment: d, privateKey: fixture.chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(d) })
  await council.registerAgency(suspended.address, { name: 'Suspended PD', cells: JURISDICTION, validUntil: now + 86400 })
  await council.suspendAgency(suspended.address, 'test')
  await council.registerAgency(elsewhere.address, { name: 'San Francisco PD', cells: ['85283083fffffff'], validUntil: now + 86400 })
  await council.close()

  const where = placements()
  const first = await startResident('first-hop', [where.inside[0]!], endpoint)
  const second = await startResident('second-hop', [where.inside[1]!], endpoint)
  t.after(async () => { await stopAll([first, second]) })
  await connect(first.libp2p, second.libp2p)
  const topic = topicName(first.services.network.cells()[0]!)
  await waitForMeshPeer(second.libp2p, topic, { signal })

  // Withdrawn requests that the first hop learnt through catch-up (so its gossip seen-cache does not hold them).
  const withdrawnRequests = [0, 1, 2].map(() => agency.request(liveFields(now)))
  for (const w of withdrawnRequests) {
    assert.equal((await first.services.network.ingest(w.bytes, { cells: first.services.network.cells() })).result, 'accept')
    assert.equal((await first.services.network.ingest(agency.withdraw(w.id, now).bytes, { cells: first.services.network.cells() })).result, 'accept')
    await inboxAdded(first, w.id, signal)
  }

  const three = <T>(make: (i: number) => T): T[] => [0, 1, 2].map(make)
  const forged = (i: number): Uint8Array => {
    const a = agency.request(liveFields(now))
    return encodeAnnouncement({ ...a.announcement as RequestAnnouncement, request: { ...a.signed, message: { ...a.signed.message, title: `Forged ${i}` } } })
  }
  const cases: Array<[string, string, Uint8Array[]]> = [
    ['forged signature', 'InvalidSignatureError', three(forged)],
    ['unregistered agency', 'AgencyNotActiveError', three(() => stranger.request(liveFields(now)).bytes)],
    ['suspended agency', 'AgencyNotActiveError', three(() => suspended.request(liveFields(now)).bytes)],
    ['area outside the jurisdiction', 'OutsideJurisdictionError', three(() => elsewhere.request(liveFields(now)).bytes)],
    ['area over the limit', 'AreaTooLargeError', three(() => agency.request({ ...liveFields(now), cells: areaFromCircle(INCIDENT.lat, INCIDENT.lng, 900) }).bytes)],
    ['window over the limit', 'WindowTooLongError', three(() => agency.request({ ...liveFields(now), windowStart: now - 14 * 3600 }).bytes)],
    ['expired request', 'ExpiredError', three(() => agency.request({ ...liveFields(now - 3 * 86400), expiresAt: now - 86400 }).bytes)],
    ['replay of a withdrawn request', 'RequestWithdrawnError', withdrawnRequests.map((w) => w.bytes)],
    ['request missing from the agency log', 'InvalidProofError', three(() => agency.announce(agency.sign(liveFields(now)), agency.proofOf(0)).bytes)],
    ['oversized bytes', 'MessageTooLargeError', three((i) => new Uint8Array(25 * 1024).fill(i + 1))],
    ['garbage bytes', 'MalformedEncodingError', three((i) => crypto.getRandomValues(new Uint8Array(100 + i)))]
  ]

  let addedToInbox = 0
  for (const r of [first, second]) r.services.inbox.on('inbox:added', () => { addedToInbox++ })
  for (const [name, errorName, messages] of cases) {
    await t.test(name, async () => {
      const rogue = await startPublisher()
      try {
        joinTopic(rogue, topic)
        await connect(rogue, first.libp2p)
        await waitForSubscribers(rogue, topic, [first.libp2p], signal)
        const outcomes: string[] = []
        const onValidated = (e: ValidatedEvent): void => { if (e.from === rogue.peerId.toString()) outcomes.push(e.outcome.result === 'accept' ? 'accept' : e.outcome.error.name) }
        first.services.network.on('announcement:validated', onValidated)
        const secondBefore = second.received.get(topic) ?? 0
        for (const m of messages) await rogue.services.pubsub.publish(topic, m)
        const pubsub = first.libp2p.services.pubsub
        while (!(peerScore(pubsub, rogue.peerId) < porchlightScoreThresholds.graylistThreshold)) {
          await once(pubsub as unknown as EventTarget, 'gossipsub:heartbeat', { signal })
        }
        await once(pubsub as unknown as EventTarget, 'gossipsub:heartbeat', { signal })
        first.services.network.off('announcement:validated', onValidated)
        assert.deepEqual(outcomes, [errorName, errorName, errorName])
        assert.equal(second.received.get(topic) ?? 0, secondBefore, 'forwarded past the first hop')
        assert.equal(addedToInbox, 0)
        assert.equal((await first.services.inbox.list()).filter((i) => i.status !== 'withdrawn').length, 0)
      } finally {
        await rogue.stop()
      }
    })
  }
})

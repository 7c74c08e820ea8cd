// Issue 15, items 1 and 6, against real nodes: a resident on the embedded chain, raw libp2p peers over TCP
// for the honest relay and the attacker. (1) A corrupted first copy of a request can no longer censor the
// honest one, nor cost its relay its score. (6) A catch-up answer of 878 junk items costs no chain read, is
// cut after a few refused items, and costs its sender its score.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { cellToLatLng, cellToParent } from 'h3-js'
import { encodeAnnouncement, topicName, type RequestAnnouncement } from '../../../protocol/index.js'
import { getAddress } from 'ethers'
import { handleRequests, peerScore, porchlightScoreThresholds, waitForMeshPeer, type PorchlightLibp2p } from '../../../node/p2p/index.js'
import {
  CATCH_UP_PROTOCOL, MAX_CATCH_UP_BYTES, MAX_CATCH_UP_ITEMS, MAX_INVALID_CATCH_UP_ITEMS, type CatchUpRefusal, type ValidatedEvent
} from '../../../node/network/index.js'
import { TestAgency } from '../../helpers/announcements.js'
import {
  AREA, AREA_TOPIC_CELLS, connect, inboxAdded, liveFields, placements, publish, startPublisher, startResident, waitForSubscribers, type Resident
} from '../../helpers/resident-network.js'
import { registeredAgencyPerFile } from '../../helpers/registered-agency.js'

const world = registeredAgencyPerFile()

/** Resolves after the next gossipsub heartbeat of `node` (scores are cached for one). */
async function heartbeat (node: PorchlightLibp2p, signal: AbortSignal): Promise<void> {
  await once(node.services.pubsub as unknown as EventTarget, 'gossipsub:heartbeat', { signal })
}

/** Resolves with the first validation of an announcement from `peer`. */
async function validatedFrom (victim: Resident, peer: PorchlightLibp2p, signal: AbortSignal): Promise<ValidatedEvent> {
  return await new Promise((resolve, reject) => {
    const on = (e: ValidatedEvent): void => {
      if (e.from !== peer.peerId.toString()) return
      victim.services.network.off('announcement:validated', on)
      resolve(e)
    }
    victim.services.network.on('announcement:validated', on)
    signal.addEventListener('abort', () => { victim.services.network.off('announcement:validated', on); reject(signal.reason) }, { once: true })
  })
}

test('a corrupted first copy (same request id, bad bytes) neither stops the honest copy nor costs the honest relay its score', async (t) => {
  const victim = await startResident('victim', [placements().inside[0]!], world.endpoint)
  const relay = await startPublisher()
  const attacker = await startPublisher()
  t.after(async () => { await Promise.all([victim.stop(), relay.stop(), attacker.stop()]) })
  await connect(relay, victim.libp2p)
  await connect(attacker, victim.libp2p)
  // The victim's own topics; the area touches two, the victim's camera is in one.
  const topic = topicName(victim.services.network.cells()[0]!)
  const signal = AbortSignal.timeout(30_000)
  // Which wait a timeout ended (a bare AbortError says nothing); each step below names itself.
  let step = 'the victim\'s subscription seen by both publishers'
  try {
    await waitForSubscribers(relay, topic, [victim.libp2p], signal)
    await waitForSubscribers(attacker, topic, [victim.libp2p], signal)

    // Two rounds, as in the issue (after two the honest relay's score was −89.4, past the graylist).
    for (let round = 0; round < 2; round++) {
      const honest = world.agency.request(liveFields())
      // The same signed request (so the same request id) with a log index that its proof does not lead to.
      const corrupted = encodeAnnouncement({ ...honest.announcement as RequestAnnouncement, logIndex: honest.announcement.logIndex + 1 })
      step = `round ${round}: the corrupted copy validated`
      const attackerOutcome = validatedFrom(victim, attacker, signal)
      await attacker.services.pubsub.publish(topic, corrupted)
      const first = await attackerOutcome
      assert.equal(first.outcome.result, 'reject')
      assert.equal(first.outcome.result === 'reject' ? first.outcome.id : undefined, honest.id, 'the corrupted copy names the same request')

      step = `round ${round}: the honest copy in the inbox`
      const arrived = inboxAdded(victim, honest.id, signal)
      await publish(relay, honest.bytes, AREA)
      assert.equal((await arrived).id, honest.id)
    }
  } catch (err) {
    if (signal.aborted) throw new Error(`timed out waiting for ${step}`, { cause: err })
    throw err
  }

  await heartbeat(victim.libp2p, signal)
  await heartbeat(victim.libp2p, signal)
  const pubsub = victim.libp2p.services.pubsub
  assert.ok(peerScore(pubsub, relay.peerId) > 0, `honest relay's score ${peerScore(pubsub, relay.peerId)}`)
  assert.ok(peerScore(pubsub, attacker.peerId) < 0, `attacker's score ${peerScore(pubsub, attacker.peerId)}`)
})

test('a catch-up answer of 878 junk items costs no chain read, is cut after a few refused items, and lowers its sender\'s score', async (t) => {
  const victim = await startResident('victim-catch-up', [placements().inside[0]!], world.endpoint)
  const attacker = await startPublisher()
  t.after(async () => { await Promise.all([victim.stop(), attacker.stop()]) })
  const client = victim.services.chain.client!
  // The node's witness set is one cached read for every announcement; read it before counting.
  await client.sync()
  await client.witnessSet()
  let chainCalls = 0
  const send = client.provider.send.bind(client.provider)
  client.provider.send = async (method, params) => { if (method === 'eth_call') chainCalls++; return await send(method, params) }
  let registryReads = 0
  const agencyInfo = client.agencyInfo.bind(client)
  client.agencyInfo = async (a) => { registryReads++; return await agencyInfo(a) }

  // Well-formed requests for the victim's area: a few self-made agencies (own key, own log, no witness) and
  // copies of one request renamed to 870-odd other addresses (the signature no longer recovers them).
  const now = Math.floor(Date.now() / 1000)
  // Short texts and no cosignatures, so that 878 fit one answer frame as in the attack.
  const fields = { ...liveFields(now), title: 'Junk', details: '' }
  const selfMade = Array.from({ length: 8 }, (_, i) => new TestAgency('0x' + (0x70 + i).toString(16).repeat(32), world.agency.domain, { witnesses: [] }).request(fields).bytes)
  const template = new TestAgency(world.agency.key, world.agency.domain, { witnesses: [] }).request(fields)
  const renamed = Array.from({ length: 878 - selfMade.length }, (_, i) => {
    const address = getAddress('0x' + (i + 1).toString(16).padStart(40, '0'))
    const signed = { ...template.signed, message: { ...template.signed.message, agency: address } }
    return encodeAnnouncement({ ...template.announcement as RequestAnnouncement, request: signed })
  })
  // Interleaved, so both kinds are among the items read before the answer is cut.
  const junk = renamed.flatMap((r, i) => i < selfMade.length ? [selfMade[i]!, r] : [r])
  assert.equal(junk.length, 878)
  const bytes = junk.reduce((n, b) => n + b.byteLength + 8, 64)
  assert.ok(bytes <= MAX_CATCH_UP_BYTES, `the junk (${bytes} bytes) fits one answer frame`)
  // A raw answerer: an honest node's handler (handleCatchUp) never sends more than MAX_CATCH_UP_ITEMS.
  await handleRequests(attacker, CATCH_UP_PROTOCOL, async () => ({ announcements: junk }), { maxFrameBytes: MAX_CATCH_UP_BYTES })

  const refusals: CatchUpRefusal[] = []
  victim.services.network.on('catch-up:refused', (r) => { if (r.peer === attacker.peerId.toString()) refusals.push(r) })
  let validated = 0
  victim.services.network.on('announcement:validated', (e) => { if (e.from === attacker.peerId.toString()) validated++ })
  const identified = new Promise<void>((resolve) => {
    const on = (e: CustomEvent<{ peerId: { toString: () => string } }>): void => {
      if (e.detail.peerId.toString() !== attacker.peerId.toString()) return
      victim.libp2p.removeEventListener('peer:identify', on)
      resolve()
    }
    victim.libp2p.addEventListener('peer:identify', on)
  })
  await connect(attacker, victim.libp2p)
  await identified
  // Asked here once the victim knows the peer; it may also ask on its own (on identify): each answer is cut the same.
  assert.equal(await victim.services.network.catchUp(attacker.peerId), 0)
  assert.equal(chainCalls, 0, 'chain reads for junk')
  assert.equal(registryReads, 0, 'registry reads for junk')
  const cut = (name: string): CatchUpRefusal[] => refusals.filter((r) => r.error.name === name)
  assert.ok(cut('CatchUpTooManyItemsError').length >= 1)
  // Each answer: read up to the item cap, and of those only until MAX_INVALID_CATCH_UP_ITEMS were refused.
  for (const r of cut('CatchUpTooManyItemsError')) assert.equal(r.unread, 878 - MAX_CATCH_UP_ITEMS)
  assert.equal(cut('CatchUpTooManyInvalidError').length, cut('CatchUpTooManyItemsError').length)
  for (const r of cut('CatchUpTooManyInvalidError')) assert.equal(r.unread, MAX_CATCH_UP_ITEMS - MAX_INVALID_CATCH_UP_ITEMS)

  const signal = AbortSignal.timeout(15_000)
  await heartbeat(victim.libp2p, signal)
  await heartbeat(victim.libp2p, signal)
  const score = peerScore(victim.libp2p.services.pubsub, attacker.peerId)
  assert.ok(score < 0, `attacker's score ${score}`)

  // Two more such answers and it is graylisted: it is not asked again.
  for (let i = 0; i < 2; i++) await victim.services.network.catchUp(attacker.peerId)
  await heartbeat(victim.libp2p, signal)
  await heartbeat(victim.libp2p, signal)
  assert.ok(peerScore(victim.libp2p.services.pubsub, attacker.peerId) < porchlightScoreThresholds.graylistThreshold)
  const before = validated
  await victim.services.network.catchUp(attacker.peerId)
  assert.equal(validated, before, 'a graylisted peer is not read')
  assert.equal(refusals.at(-1)!.error.name, 'CatchUpPeerGraylistedError')
  assert.equal(chainCalls, 0)

  // Counted in /metrics: every refusal by its code, and the items left unread.
  const metrics = await victim.services.metrics.registry.metrics()
  const sample = (name: string): number => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1] ?? NaN)
  for (const code of ['CATCH_UP_TOO_MANY_ITEMS', 'CATCH_UP_TOO_MANY_INVALID', 'CATCH_UP_PEER_GRAYLISTED']) {
    assert.equal(sample(`porchlight_network_catch_up_refused_total\\{reason="${code}"\\}`), refusals.filter((r) => r.error.code === code).length, code)
  }
  assert.equal(sample('porchlight_network_catch_up_unread_items_total'), refusals.reduce((n, r) => n + r.unread, 0))
})

test('a relay in two of a request\'s topics forwards it on both (the second copy is not an application duplicate)', async (t) => {
  // A camera in an area cell under each of the area's two res-7 topics.
  const [topicA, topicB] = AREA_TOPIC_CELLS as [string, string]
  const at = (topic: string): { lat: number, lng: number } => {
    const [lat, lng] = cellToLatLng(AREA.find((c) => cellToParent(c, 7) === topic)!)
    return { lat, lng }
  }
  const relay = await startResident('two-topics', [at(topicA), at(topicB)], world.endpoint)
  const onlyB = await startResident('only-b', [at(topicB)], world.endpoint)
  const publisher = await startPublisher()
  t.after(async () => { await Promise.all([relay.stop(), onlyB.stop(), publisher.stop()]) })
  assert.deepEqual(relay.services.network.cells(), [topicA, topicB].sort())
  assert.deepEqual(onlyB.services.network.cells(), [topicB])
  // The publisher reaches only the relay; the resident in B only through it.
  await connect(publisher, relay.libp2p)
  await connect(onlyB.libp2p, relay.libp2p)
  const signal = AbortSignal.timeout(30_000)
  for (const topic of [topicA, topicB]) await waitForSubscribers(publisher, topicName(topic), [relay.libp2p], signal)
  await waitForMeshPeer(onlyB.libp2p, topicName(topicB), { signal })

  const a = world.agency.request(liveFields())
  const arrived = inboxAdded(onlyB, a.id, signal)
  const held = once(relay.services.network, 'request:live', { signal })
  // Topic A first, so the relay holds the request when topic B's copy comes.
  await publisher.services.pubsub.publish(topicName(topicA), a.bytes)
  await held
  await publisher.services.pubsub.publish(topicName(topicB), a.bytes)
  assert.equal((await arrived).id, a.id)
  assert.equal(onlyB.received.get(topicName(topicB)), 1)
})

// Issue 14's attack at the first hop, on real libp2p: the agency's key signs a request and "logs" it in a
// private tree of size 1 that was never published, so no quorum of witnesses ever cosigned that tree. The
// first relay must refuse it with the witness code, forward it nowhere, show it in no inbox, and graylist
// whoever sent it; the same agency's public, witnessed request still goes through.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { cellToLatLng, cellToParent } from 'h3-js'
import { createNode, residentRole, type ResidentServices } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { joinTopic, peerScore, porchlightScoreThresholds, waitForMeshPeer } from '../../../node/p2p/index.js'
import { announcementMessageId, type ValidatedEvent } from '../../../node/network/index.js'
import { openCheckpoint, topicName } from '../../../protocol/index.js'
import { TEST_WITNESSES, TestAgency, testWitness } from '../../helpers/announcements.js'
import { stubChain } from '../../helpers/stub-chain.js'
import { AGENCY_KEY, DOMAIN } from '../../helpers/messages.js'
import { AREA, JURISDICTION, connect, countReceived, inboxAdded, liveFields, startPublisher, waitForSubscribers, type Resident } from '../../helpers/resident-network.js'

const chain = stubChain(async (address) => ({ address, name: 'North PD', cells: JURISDICTION, validUntil: Math.floor(Date.now() / 1000) + 86400, status: 'active' }), DOMAIN)

async function resident (name: string, cell: string): Promise<Resident> {
  const [lat, lng] = cellToLatLng(cell)
  const node = await createNode<ResidentServices>({
    config: parseConfig({ version: 1, role: 'resident', name, cameras: [{ name: `${name}-porch`, lat, lng }] }),
    services: residentRole({ chain }),
    libp2p: { messageId: announcementMessageId, heartbeatIntervalMs: 200 },
    listenApi: false,
    staticDir: false
  })
  const received = countReceived(node.libp2p)
  await node.start()
  return Object.assign(node, { received })
}

test('a request from a private fork of the agency\'s log is refused at the first hop, never forwarded, never shown, and its sender graylisted', async (t) => {
  const signal = AbortSignal.timeout(60_000)
  const first = await resident('first-hop', AREA[0]!)
  const second = await resident('second-hop', AREA[0]!)
  t.after(async () => { await Promise.all([first.stop(), second.stop()]) })
  await connect(first.libp2p, second.libp2p)
  const topic = topicName(cellToParent(AREA[0]!, 7))
  assert.ok(first.services.network.cells().includes(cellToParent(AREA[0]!, 7)))
  await waitForMeshPeer(second.libp2p, topic, { signal })

  const now = Math.floor(Date.now() / 1000)
  const publicLog = new TestAgency(AGENCY_KEY, DOMAIN)
  const honest = publicLog.request(liveFields(now))
  // The same key, another tree of size 1: what the attack run of issue 14 announced. Variants: no cosignature
  // at all, one colluding registered witness, and witnesses the council never registered.
  const fork = new TestAgency(AGENCY_KEY, DOMAIN, { witnesses: [] })
  const forks = [fork.request({ ...liveFields(now), title: 'Never in the public log' })]
  const origin = `porchlight.${DOMAIN.chainId}/${publicLog.address.toLowerCase()}`
  const rootAtOne = (log: TestAgency): Uint8Array => openCheckpoint(log.proofOf(0).checkpoint, origin).checkpoint.root
  assert.notDeepEqual(rootAtOne(fork), rootAtOne(publicLog), 'the fork differs from the public log at size 1')
  forks.push(
    fork.request(liveFields(now), { witnesses: TEST_WITNESSES.slice(0, 1) }),
    fork.request(liveFields(now), { witnesses: [testWitness('sock-puppet-1.test', 1), testWitness('sock-puppet-2.test', 2)] })
  )

  let addedToInbox = 0
  for (const r of [first, second]) r.services.inbox.on('inbox:added', () => { addedToInbox++ })
  const rogue = await startPublisher()
  t.after(async () => { await rogue.stop() })
  joinTopic(rogue, topic)
  await connect(rogue, first.libp2p)
  await waitForSubscribers(rogue, topic, [first.libp2p], signal)
  const outcomes: string[] = []
  first.services.network.on('announcement:validated', (e: ValidatedEvent) => {
    if (e.from === rogue.peerId.toString()) outcomes.push(e.outcome.result === 'accept' ? 'accept' : `${e.outcome.result} ${e.outcome.error.code}`)
  })
  const secondBefore = second.received.get(topic) ?? 0
  for (const f of forks) await rogue.services.pubsub.publish(topic, f.bytes)
  const pubsub = first.libp2p.services.pubsub
  while (!(peerScore(pubsub, rogue.peerId) < porchlightScoreThresholds.graylistThreshold)) {
    await once(pubsub as unknown as EventTarget, 'gossipsub:heartbeat', { signal })
  }
  // One more heartbeat: anything first were to forward would have gone out by now.
  await once(pubsub as unknown as EventTarget, 'gossipsub:heartbeat', { signal })
  assert.deepEqual(outcomes, forks.map(() => 'reject WITNESS_QUORUM_NOT_MET'))
  assert.equal(second.received.get(topic) ?? 0, secondBefore, 'forwarded past the first hop')
  assert.equal(addedToInbox, 0)
  for (const f of forks) await assert.rejects(first.services.inbox.get(f.id))
  const metrics = await first.services.metrics.registry.metrics()
  assert.match(metrics, /porchlight_gossip_messages_total\{result="reject",reason="WITNESS_QUORUM_NOT_MET",via="gossip"\} 3/)

  // The public, witnessed request of the same agency still reaches both residents, through the first hop.
  const publisher = await startPublisher()
  t.after(async () => { await publisher.stop() })
  joinTopic(publisher, topic)
  await connect(publisher, first.libp2p)
  await waitForSubscribers(publisher, topic, [first.libp2p], signal)
  const shown = Promise.all([inboxAdded(first, honest.id, signal), inboxAdded(second, honest.id, signal)])
  await publisher.services.pubsub.publish(topic, honest.bytes)
  const [item] = await shown
  assert.deepEqual(item.verification.witnesses?.cosigned.map((c) => c.name), TEST_WITNESSES.map((w) => w.name))
})

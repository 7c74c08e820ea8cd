import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import {
  createPorchlightLibp2p, joinTopic, waitForMeshPeer, waitForTopicPeer, peerScore, porchlightScoreThresholds,
  TopicValidatorResult, type PorchlightLibp2p
} from '../../../node/p2p/index.js'
import type { Message } from '@libp2p/gossipsub'

const topic = 'porchlight/1/req/872830828ffffff'

async function startTrio (): Promise<PorchlightLibp2p[]> {
  const hub = await createPorchlightLibp2p()
  const boot = hub.getMultiaddrs().map((a) => a.toString())
  const a = await createPorchlightLibp2p({ bootstrap: boot })
  const b = await createPorchlightLibp2p({ bootstrap: boot })
  return [hub, a, b]
}

function nextMessage (node: PorchlightLibp2p, wanted: string): Promise<Message> {
  return new Promise((resolve) => {
    const on = (evt: CustomEvent<Message>): void => {
      if (evt.detail.topic === wanted) { node.services.pubsub.removeEventListener('message', on); resolve(evt.detail) }
    }
    node.services.pubsub.addEventListener('message', on)
  })
}

test('three nodes meet through a bootstrap peer and a gossip message crosses the mesh', async (t) => {
  const nodes = await startTrio()
  t.after(async () => { await Promise.all(nodes.map(async (n) => { await n.stop() })) })
  const [hub, a, b] = nodes as [PorchlightLibp2p, PorchlightLibp2p, PorchlightLibp2p]
  for (const n of nodes) joinTopic(n, topic, { validator: () => TopicValidatorResult.Accept })
  const signal = AbortSignal.timeout(15_000)
  await waitForMeshPeer(a, topic, { signal })
  await waitForMeshPeer(b, topic, { signal })
  await waitForMeshPeer(hub, topic, { signal })
  const arrivedAtA = nextMessage(a, topic)
  const data = new TextEncoder().encode('hello neighbors')
  await b.services.pubsub.publish(topic, data)
  const msg = await arrivedAtA
  assert.deepEqual(new Uint8Array(msg.data), data)
  // StrictNoSign: nothing in the message names its publisher.
  assert.equal(msg.type, 'unsigned')
})

test('a publisher outside the topic waits for a subscribed peer, not a mesh', async (t) => {
  const hub = await createPorchlightLibp2p()
  const pub = await createPorchlightLibp2p({ bootstrap: hub.getMultiaddrs().map(String) })
  t.after(async () => { await Promise.all([hub.stop(), pub.stop()]) })
  joinTopic(hub, topic)
  await waitForTopicPeer(pub, topic, { signal: AbortSignal.timeout(15_000) })
  const arrived = nextMessage(hub, topic)
  const result = await pub.services.pubsub.publish(topic, new Uint8Array([1, 2, 3]))
  assert.equal(result.recipients.length, 1)
  assert.deepEqual(new Uint8Array((await arrived).data), new Uint8Array([1, 2, 3]))
})

test('after waitForTopicPeer a publish reaches the peer, even while many new connections open their streams', async (t) => {
  // Gossipsub opens its outbound streams one peer at a time; a peer's subscription (which comes on the peer's
  // own stream) can be known well before ours to it is open, and a publish then reaches no one.
  const opts = { transport: 'memory' as const, memoryLatencyMs: 20 }
  const pub = await createPorchlightLibp2p(opts)
  const peers = await Promise.all(Array.from({ length: 24 }, async () => await createPorchlightLibp2p(opts)))
  t.after(async () => { await Promise.all([pub, ...peers].map(async (n) => { await n.stop() })) })
  const topics = peers.map((_, i) => `porchlight/1/req/test-${i}`)
  peers.forEach((p, i) => { joinTopic(p, topics[i]!) })
  await Promise.all(peers.map(async (p) => await pub.dial(p.getMultiaddrs())))
  const signal = AbortSignal.timeout(30_000)
  for (const i of peers.keys()) {
    const topic = topics[peers.length - 1 - i]!
    await waitForTopicPeer(pub, topic, { signal })
    const result = await pub.services.pubsub.publish(topic, new Uint8Array([i]))
    assert.equal(result.recipients.length, 1, `publish on ${topic} reached no one`)
  }
})

test('waitForMeshPeer stops when its signal aborts', async (t) => {
  const lonely = await createPorchlightLibp2p()
  t.after(async () => { await lonely.stop() })
  joinTopic(lonely, topic)
  const controller = new AbortController()
  const waiting = waitForMeshPeer(lonely, topic, { signal: controller.signal })
  controller.abort(new Error('gave up'))
  await assert.rejects(waiting, { message: 'gave up' })
  await assert.rejects(waitForMeshPeer(lonely, 'not-joined'), { name: 'TopicNotJoinedError' })
})

test('a peer whose messages the validator rejects is pruned, then graylisted', async (t) => {
  const honest = await createPorchlightLibp2p()
  const rogue = await createPorchlightLibp2p({ bootstrap: honest.getMultiaddrs().map(String) })
  t.after(async () => { await Promise.all([honest.stop(), rogue.stop()]) })
  const rejected: string[] = []
  joinTopic(honest, topic, {
    validator: (from, msg) => {
      rejected.push(from.toString())
      return new TextDecoder().decode(msg.data).startsWith('forged') ? TopicValidatorResult.Reject : TopicValidatorResult.Accept
    }
  })
  joinTopic(rogue, topic)
  const signal = AbortSignal.timeout(15_000)
  await waitForMeshPeer(rogue, topic, { signal })
  const pubsub = honest.services.pubsub
  assert.equal(peerScore(pubsub, rogue.peerId) >= 0, true)
  for (let i = 0; i < 3; i++) await rogue.services.pubsub.publish(topic, new TextEncoder().encode(`forged ${i}`))
  // Scores are cached for one heartbeat: read them again after each heartbeat until the third rejection shows.
  while (!(peerScore(pubsub, rogue.peerId) < porchlightScoreThresholds.graylistThreshold)) {
    await once(pubsub as unknown as EventTarget, 'gossipsub:heartbeat', { signal })
  }
  assert.equal(rejected.length, 3)
  assert.equal(rejected.every((p) => p === rogue.peerId.toString()), true)
  // Pruned from the mesh: the next heartbeat leaves it out.
  await once(pubsub as unknown as EventTarget, 'gossipsub:heartbeat', { signal })
  const router = pubsub as unknown as { getMeshPeers: (t: string) => string[] }
  assert.equal(router.getMeshPeers(topic).includes(rogue.peerId.toString()), false)
  // Graylisted: a further message is not even validated.
  await rogue.services.pubsub.publish(topic, new TextEncoder().encode('forged again'))
  await once(pubsub as unknown as EventTarget, 'gossipsub:heartbeat', { signal })
  assert.equal(rejected.length, 3)
})

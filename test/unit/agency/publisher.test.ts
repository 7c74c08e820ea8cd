import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AnnouncementPublisher } from '../../../node/agency/index.js'
import type { PorchlightLibp2p } from '../../../node/p2p/index.js'

/** A gossipsub stand-in: subscribers per topic, a seen cache that refuses duplicates, like the real router. */
class StubPubsub extends EventTarget {
  subscribers = new Map<string, string[]>()
  published: Array<{ topic: string, data: Uint8Array }> = []
  seenCache = { entries: new Map<string, number>() }
  reachable = true
  /** Subscribers it cannot send to (no outbound stream yet). */
  unreachable = new Set<string>()
  msgIdFn = (msg: { data: Uint8Array }): Uint8Array => msg.data
  msgIdToStrFn = (id: Uint8Array): string => Buffer.from(id).toString('hex')
  getSubscribers (topic: string): string[] { return this.subscribers.get(topic) ?? [] }
  async publish (topic: string, data: Uint8Array): Promise<{ recipients: string[] }> {
    const key = this.msgIdToStrFn(data)
    if (this.seenCache.entries.has(key)) throw new Error('PublishError.Duplicate')
    this.seenCache.entries.set(key, 0)
    const recipients = this.reachable ? this.getSubscribers(topic).filter((p) => !this.unreachable.has(p)) : []
    if (recipients.length > 0) this.published.push({ topic, data })
    return { recipients }
  }

  subscribe (topic: string, peer: string): void {
    this.subscribers.set(topic, [...this.getSubscribers(topic), peer])
    this.dispatchEvent(new CustomEvent('subscription-change', { detail: { peerId: peer, subscriptions: [{ topic, subscribe: true }] } }))
  }
}

function setup (init: ConstructorParameters<typeof AnnouncementPublisher>[1] = {}): { pubsub: StubPubsub, publisher: AnnouncementPublisher } {
  const pubsub = new StubPubsub()
  const publisher = new AnnouncementPublisher({ services: { pubsub } } as unknown as PorchlightLibp2p, { now: () => 1000, ...init })
  publisher.start()
  return { pubsub, publisher }
}

const bytes = new Uint8Array([1, 2, 3])
const published = (publisher: AnnouncementPublisher): Promise<{ id: string, topic: string }> =>
  new Promise((resolve) => { publisher.once('announcement:published', resolve) })

test('one announcement goes out on each topic with a peer, despite one message id for all', async () => {
  const { pubsub, publisher } = setup()
  pubsub.subscribers.set('a', ['p1'])
  pubsub.subscribers.set('b', ['p2'])
  const report = await publisher.publish('id1', bytes, ['a', 'b', 'c'], 2000)
  assert.deepEqual(report, { sent: ['a', 'b'], pending: ['c'] })
  assert.deepEqual(pubsub.published.map((p) => p.topic), ['a', 'b'])
  assert.deepEqual(publisher.pending(), [{ id: 'id1', topic: 'c' }])
})

test('a pending announcement is published when a peer subscribes to its topic', async () => {
  const { pubsub, publisher } = setup()
  await publisher.publish('id1', bytes, ['c'], 2000)
  const done = published(publisher)
  pubsub.subscribe('c', 'p3')
  assert.deepEqual(await done, { id: 'id1', topic: 'c', recipients: 1 })
  assert.deepEqual(publisher.pending(), [])
  assert.deepEqual(pubsub.published.map((p) => p.topic), ['c'])
})

test('a subscriber a publish missed (subscribed late, or no stream yet) gets it at the next change, a bounded number of times', { timeout: 5000 }, async () => {
  let clock = 1000
  const { pubsub, publisher } = setup({ now: () => clock, maxAttempts: 3 })
  pubsub.subscribers.set('a', ['auditor'])
  await publisher.publish('id1', bytes, ['a'], 2000)
  assert.equal(pubsub.published.length, 1)
  // The resident's subscription arrives after the publish: it is sent again, and reaches it.
  const done = published(publisher)
  pubsub.subscribe('a', 'resident')
  assert.deepEqual(await done, { id: 'id1', topic: 'a', recipients: 2 })
  assert.equal(pubsub.published.length, 2)
  // Nobody missing: a change on another topic, or a heartbeat, sends nothing more.
  pubsub.subscribe('b', 'other')
  pubsub.dispatchEvent(new CustomEvent('gossipsub:heartbeat'))
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(pubsub.published.length, 2)
  // A subscriber the router cannot send to: retried at each heartbeat, at most maxAttempts times in all.
  pubsub.unreachable.add('stuck')
  pubsub.subscribe('a', 'stuck')
  for (let i = 0; i < 5; i++) {
    pubsub.dispatchEvent(new CustomEvent('gossipsub:heartbeat'))
    await new Promise((resolve) => setImmediate(resolve))
  }
  assert.equal(pubsub.published.length, 2 + 2, 'two attempts left of three (the first went to the resident)')
  // Past its expiry it is forgotten.
  clock = 2000
  pubsub.unreachable.clear()
  pubsub.subscribe('a', 'late')
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(pubsub.published.length, 4)
})

test('re-publishing is bounded: attempts that reach nobody stop after maxAttempts', async () => {
  const { pubsub, publisher } = setup({ maxAttempts: 3 })
  await publisher.publish('id1', bytes, ['c'], 2000)
  pubsub.reachable = false
  pubsub.subscribers.set('c', ['p3'])
  for (let i = 0; i < 3; i++) {
    assert.equal(publisher.pending().length, 1)
    pubsub.dispatchEvent(new CustomEvent('gossipsub:heartbeat'))
    await new Promise((resolve) => { setImmediate(resolve) })
  }
  assert.deepEqual(publisher.pending(), [])
})

test('expired and withdrawn announcements are dropped; the pending list is capped, oldest first', async () => {
  const { pubsub, publisher } = setup({ maxPending: 2 })
  await publisher.publish('old', bytes, ['c'], 500)
  await publisher.publish('id2', new Uint8Array([2]), ['c'], 2000)
  await publisher.publish('id3', new Uint8Array([3]), ['d'], 2000)
  assert.deepEqual(publisher.pending().map((p) => p.id), ['id2', 'id3'])
  publisher.forget('id3')
  assert.deepEqual(publisher.pending().map((p) => p.id), ['id2'])
  await publisher.publish('gone', new Uint8Array([4]), ['c'], 900)
  const done = published(publisher)
  pubsub.subscribe('c', 'p')
  assert.equal((await done).id, 'id2')
  await new Promise((resolve) => { setImmediate(resolve) })
  assert.deepEqual(pubsub.published.map((p) => p.data[0]), [2])
  assert.deepEqual(publisher.pending(), [])
})

test('a gossipsub without the seen cache fails loudly at start', () => {
  const pubsub = new StubPubsub() as unknown as Record<string, unknown>
  delete pubsub.seenCache
  const publisher = new AnnouncementPublisher({ services: { pubsub } } as unknown as PorchlightLibp2p)
  assert.throws(() => { publisher.start() }, { name: 'GossipsubInternalsError' })
})

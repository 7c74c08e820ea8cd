// GET /api/events on the node's real API server (fastify, TCP, the token check), fed by LiveEvents over stub
// services: the token, the `ready` event, the stream limit, the heartbeat, a client that does not read, the
// progress rate, and streams closed when the server stops. Read as a browser reads it: fetch and
// eventsource-parser.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter, once } from 'node:events'
import { connect } from 'node:net'
import { Registry } from 'prom-client'
import { createApiServer, type ApiServer } from '../../../node/api/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { LiveEvents, liveRoutes, type LiveEventsInit } from '../../../node/live/index.js'
import { liveMetrics } from '../../../node/metrics/live.js'
import { ResidentFootage } from '../../../node/shares/resident-shares.js'
import type { ResidentInbox } from '../../../node/resident/index.js'
import type { Store } from '../../../node/storage/index.js'
import { DOMAIN } from '../../helpers/messages.js'
import { openEventStream } from '../../helpers/event-stream.js'

const TOKEN = 'test-token'
const logger = createLogger({ level: 'silent' })

/** An inbox as LiveEvents reads it: its two events and the unread count. */
class StubInbox extends EventEmitter {
  unreadCount = 3
  /** An unread item that stops counting at `expiresAt` (unix seconds). */
  expiring: { id: string, expiresAt: number } | undefined
  async unread (): Promise<number> { return (await this.unreadState()).count }
  async unreadState (): Promise<{ count: number, next?: { id: string, expiresAt: number } }> {
    const e = this.expiring
    if (e === undefined || e.expiresAt <= Math.floor(Date.now() / 1000)) return { count: this.unreadCount }
    return { count: this.unreadCount + 1, next: e }
  }
}

interface World { api: ApiServer, live: LiveEvents, inbox: StubInbox, footage: ResidentFootage, registry: Registry, url: string }

async function world (t: { after: (fn: () => Promise<void>) => void }, init: LiveEventsInit = {}): Promise<World> {
  const inbox = new StubInbox()
  // A real ResidentFootage, never started: only its events are used.
  const footage = new ResidentFootage({ config: parseConfig({ version: 1, role: 'resident', name: 'test', cameras: [] }), store: {} as Store }, {
    inbox: { get: async () => undefined }, clips: { get: async () => undefined, open: async () => { throw new Error('no clips') } }, domain: DOMAIN
  })
  const live = new LiveEvents({ logger, inbox: inbox as unknown as ResidentInbox, footage }, init)
  const registry = new Registry()
  const stopMetrics = liveMetrics(registry, live.streams)
  const api = createApiServer({ token: TOKEN, staticDir: false })
  api.addRoutes(liveRoutes(live))
  live.start()
  await api.start()
  t.after(async () => { await api.stop(); live.stop(); stopMetrics() })
  return { api, live, inbox, footage, registry, url: `${api.address()!.url}/api/events` }
}

const counter = async (registry: Registry, name: string): Promise<number> =>
  (await registry.getSingleMetric(name)!.get()).values.reduce((n, v) => n + v.value, 0)

test('the stream needs the token; it answers text/event-stream and starts with `ready`, carrying the unread count', async (t) => {
  const w = await world(t)
  for (const token of [null, 'wrong']) {
    const refused = await openEventStream(w.url, token)
    assert.equal(refused.res.status, 401)
    assert.equal((await refused.res.json() as { error: { code: string } }).error.code, 'UNAUTHORIZED')
  }
  const s = await openEventStream(w.url, TOKEN)
  t.after(() => { s.close() })
  assert.equal(s.res.status, 200)
  assert.match(s.res.headers.get('content-type') ?? '', /^text\/event-stream/)
  assert.equal(s.res.headers.get('cache-control'), 'no-store')
  const ready = await s.next()
  assert.equal(ready.event, 'ready')
  assert.deepEqual(JSON.parse(ready.data), { unread: 3 })

  w.inbox.unreadCount = 4
  w.inbox.emit('inbox:added', { id: 'bafyitem', status: 'new' })
  assert.deepEqual(JSON.parse((await s.next('inbox')).data), { id: 'bafyitem', status: 'new', unread: 4 })
})

test('an unread item that expires stops counting: an `inbox` event says so when it does, with nothing else happening', async (t) => {
  const w = await world(t)
  const s = await openEventStream(w.url, TOKEN)
  t.after(() => { s.close() })
  assert.deepEqual(JSON.parse((await s.next('ready')).data), { unread: 3 })
  // Counted from the next change on (an item arriving), and its expiry timed from then.
  w.inbox.expiring = { id: 'bafyexpiring', expiresAt: Math.floor(Date.now() / 1000) + 1 }
  w.inbox.emit('inbox:added', { id: 'bafyexpiring', status: 'new' })
  assert.deepEqual(JSON.parse((await s.next('inbox')).data), { id: 'bafyexpiring', status: 'new', unread: 4 })
  assert.deepEqual(JSON.parse((await s.next('inbox')).data), { id: 'bafyexpiring', status: 'new', unread: 3 })
  assert.ok(Date.now() >= w.inbox.expiring.expiresAt * 1000, 'not before it expired')
})

test('a stream beyond the limit is refused with TOO_MANY_EVENT_STREAMS (503), counted; a closed one frees its place', async (t) => {
  const w = await world(t, { maxStreams: 2 })
  const a = await openEventStream(w.url, TOKEN)
  const b = await openEventStream(w.url, TOKEN)
  t.after(() => { a.close(); b.close() })
  await a.next('ready'); await b.next('ready')
  const third = await openEventStream(w.url, TOKEN)
  assert.equal(third.res.status, 503)
  assert.equal((await third.res.json() as { error: { code: string } }).error.code, 'TOO_MANY_EVENT_STREAMS')
  assert.equal(await counter(w.registry, 'porchlight_live_streams_refused_total'), 1)
  assert.equal(await counter(w.registry, 'porchlight_live_streams'), 2)

  const closed = once(w.live.streams, 'stream:closed')
  a.close()
  await closed
  const again = await openEventStream(w.url, TOKEN)
  t.after(() => { again.close() })
  assert.equal(again.res.status, 200)
  await again.next('ready')
})

test('an idle stream gets a heartbeat comment every heartbeatMs', async (t) => {
  const w = await world(t, { heartbeatMs: 20 })
  const s = await openEventStream(w.url, TOKEN)
  t.after(() => { s.close() })
  await s.next('ready')
  assert.equal(await s.comment(), 'heartbeat')
  assert.equal(await s.comment(), 'heartbeat')
})

test('a client that does not read is dropped once its socket holds maxBufferedBytes: the node\'s memory does not grow with it', async (t) => {
  const w = await world(t, { maxBufferedBytes: 64 * 1024 })
  const { port } = w.api.address()!
  // A raw socket that sends the request and never reads: its kernel buffers fill, then the server's.
  const socket = connect(port, '127.0.0.1')
  t.after(() => { socket.destroy() })
  await once(socket, 'connect')
  const opened = once(w.live.streams, 'stream:opened')
  socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`)
  socket.pause()
  await opened
  // A reading client alongside keeps its stream: only the one that does not read goes.
  const reader = await openEventStream(w.url, TOKEN)
  t.after(() => { reader.close() })
  await reader.next('ready')

  let dropped = false
  void once(w.live.streams, 'stream:dropped').then(() => { dropped = true })
  const big = 'x'.repeat(4096)
  let sent = 0
  while (!dropped) {
    // Well under the bound per batch, so a client that reads between batches never holds it.
    for (let i = 0; i < 4; i++) w.live.emit('live:event', { type: 'receipt', data: { id: big } })
    sent += 4
    // Lets the sockets move bytes (and the reader read) between batches.
    await new Promise((resolve) => setImmediate(resolve))
    assert.ok(sent < 100_000, 'never dropped')
  }
  t.diagnostic(`dropped after ${sent} events of 4 KiB (${Math.round(sent * 4 / 1024)} MiB written)`)
  assert.equal(await counter(w.registry, 'porchlight_live_streams_dropped_total'), 1)
  assert.equal(w.live.streams.size, 1, 'the slow stream is gone, the reading one is not')
  assert.equal(w.live.listenerCount('live:event'), 1)
  w.live.emit('live:event', { type: 'receipt', data: { id: 'after' } })
  for (;;) if (JSON.parse((await reader.next('receipt')).data).id === 'after') break
})

test('progress is sent at most once per progressIntervalMs per share, and the last value before a state change is never lost', async (t) => {
  const w = await world(t, { progressIntervalMs: 200 })
  const s = await openEventStream(w.url, TOKEN)
  t.after(() => { s.close() })
  await s.next('ready')
  const started = performance.now()
  for (let sent = 1; sent <= 100; sent++) w.footage.emit('share:progress', { id: 'share-a', sent, total: 100 })
  const first = JSON.parse((await s.next('progress')).data)
  assert.deepEqual(first, { id: 'share-a', sent: 1, total: 100 })
  const second = JSON.parse((await s.next('progress')).data)
  assert.deepEqual(second, { id: 'share-a', sent: 100, total: 100 }, 'the latest value, in the next slot')
  assert.ok(performance.now() - started >= 190, 'not before the interval')

  // A value still waiting when the share changes state goes out first, then the change.
  for (let sent = 1; sent <= 50; sent++) w.footage.emit('share:progress', { id: 'share-b', sent, total: 50 })
  w.footage.emit('share:changed', { id: 'share-b', state: 'delivered', consent: { message: { request: 'req-b' } } } as never)
  assert.equal(JSON.parse((await s.next('progress')).data).sent, 1)
  const last = await s.next()
  assert.equal(last.event, 'progress')
  assert.equal(JSON.parse(last.data).sent, 50)
  const changed = await s.next()
  assert.equal(changed.event, 'share')
  assert.deepEqual(JSON.parse(changed.data), { id: 'share-b', request: 'req-b', state: 'delivered' })
  assert.equal(await counter(w.registry, 'porchlight_live_events_sent_total'), 6, 'ready, two for share-a, two for share-b, the change')
})

test('stopping the server ends every open stream', async (t) => {
  const w = await world(t)
  const s = await openEventStream(w.url, TOKEN)
  await s.next('ready')
  await w.api.stop()
  await s.ended
  assert.equal(w.live.streams.size, 0)
})

// The UI's event-stream client (ui/src/api/live-stream.ts) on a stub fetch: the token in a header (never the URL),
// events parsed across chunk boundaries, a reconnect when a stream ends (with `ready` again, so pages read
// again), and no retry on a refusal that asking again would not change.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter, once } from 'node:events'
import { connectLive, type LiveState } from '../../../ui/src/api/live-stream.js'
import type { LiveEvent } from '../../../protocol/index.js'

/** A fetch whose n-th call answers `answers[n]`: a status, or the chunks of an event stream that then ends. */
function stubFetch (answers: Array<number | string[]>) {
  const calls: Array<{ url: string, headers: Record<string, string> }> = []
  const fetch = async (url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    calls.push({ url: url instanceof Request ? url.url : url.toString(), headers: init.headers as Record<string, string> })
    const a = answers[calls.length - 1] ?? 404
    if (typeof a === 'number') return new Response(JSON.stringify({ error: { code: 'X', message: 'x' } }), { status: a })
    const encoder = new TextEncoder()
    return new Response(new ReadableStream({ start (c) { for (const chunk of a) c.enqueue(encoder.encode(chunk)); c.close() } }), { status: 200, headers: { 'content-type': 'text/event-stream' } })
  }
  return { calls, fetch }
}

function recorder () {
  const events: LiveEvent[] = []
  const states: LiveState[] = []
  const wake = new EventEmitter()
  const until = async (done: () => boolean): Promise<void> => {
    while (!done()) await once(wake, 'x', { signal: AbortSignal.timeout(5000) })
  }
  return {
    events, states, until,
    onEvent: (e: LiveEvent) => { events.push(e); wake.emit('x') },
    onState: (s: LiveState) => { states.push(s); wake.emit('x') }
  }
}

test('events are parsed across chunks; the token goes in the Authorization header; an ended stream is opened again and starts with `ready`', async () => {
  const { calls, fetch } = stubFetch([
    ['retry: 1\n\nevent: ready\ndata: {"unread":2}\n\n: heartbeat\n\nevent: in', 'box\ndata: {"id":"b1","status":"new",', '"unread":3}\n\n'],
    ['event: ready\ndata: {"unread":0}\n\n']
  ])
  const r = recorder()
  const live = connectLive({ token: 'secret', base: 'http://n', fetch, onEvent: r.onEvent, onState: r.onState, delayMs: 1 })
  try {
    await r.until(() => r.events.length >= 3)
  } finally { live.close() }
  assert.deepEqual(r.events, [
    { type: 'ready', data: { unread: 2 } },
    { type: 'inbox', data: { id: 'b1', status: 'new', unread: 3 } },
    { type: 'ready', data: { unread: 0 } }
  ])
  assert.deepEqual(calls.slice(0, 2).map((c) => c.url), ['http://n/api/events', 'http://n/api/events'])
  assert.ok(calls.every((c) => c.headers.authorization === 'Bearer secret' && !c.url.includes('secret')))
  assert.deepEqual(r.states.slice(0, 4), ['connecting', 'open', 'reconnecting', 'open'])
})

test('a 503 (the node\'s stream limit) is retried; a 401 or a 404 stops for good', async () => {
  const busy = stubFetch([503, ['event: ready\ndata: {}\n\n']])
  const r = recorder()
  const live = connectLive({ token: 't', fetch: busy.fetch, onEvent: r.onEvent, onState: r.onState, delayMs: 1 })
  try { await r.until(() => r.events.length >= 1) } finally { live.close() }
  assert.deepEqual(r.states.slice(0, 3), ['connecting', 'reconnecting', 'open'])

  for (const [status, state] of [[401, 'refused'], [404, 'unsupported']] as const) {
    const stub = stubFetch([status, ['event: ready\ndata: {}\n\n']])
    const s = recorder()
    const l = connectLive({ token: 't', fetch: stub.fetch, onEvent: s.onEvent, onState: s.onState, delayMs: 1 })
    try { await s.until(() => s.states.includes(state)) } finally { l.close() }
    assert.equal(stub.calls.length, 1)
    assert.deepEqual(s.events, [])
  }
})

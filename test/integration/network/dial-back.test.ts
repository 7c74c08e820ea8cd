// /porchlight/dial-back/1.0.0 between real TCP nodes on 127.0.0.1: a server dials back only the IP the
// request came from, proves each dial with the request's nonce, and refuses what is malformed, too large or
// too often. Everything here is loopback, which libp2p counts as private, so only the protocol shows; the
// decisions drawn from it are test/unit/p2p/reachability.test.ts, and real NAT is the netns test's.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { once } from 'node:events'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '@libp2p/interface'
import { getNetConfig } from '@libp2p/utils'
import { createPorchlightLibp2p, type PorchlightLibp2p } from '../../../node/p2p/index.js'
import { sendRequest } from '../../../node/p2p/request-response.js'
import type { Reachability, ReachabilityInit } from '../../../node/p2p/reachability.js'
import { DIAL_BACK_PROOF_PROTOCOL, DIAL_BACK_PROTOCOL, dialBack } from '../../../node/p2p/dial-back.js'

const nonce = (): Uint8Array => crypto.getRandomValues(new Uint8Array(16))

interface Pair {
  server: PorchlightLibp2p
  client: PorchlightLibp2p
  /** The client's connection to the server, over 127.0.0.1. */
  connection: Connection
  /** Every address the server dialled back. */
  dialled: Multiaddr[]
  /** The client's own TCP listen address on 127.0.0.1, without /p2p/. */
  own: string
  port: number
}

function reach (node: PorchlightLibp2p): Reachability {
  const r = node.services.reachability
  assert.ok(r !== undefined, 'a tcp node runs the reachability service')
  return r
}

/** A server and a client (listening on every interface, so 127.0.0.2 would reach it too), connected. */
async function pair (t: { after: (fn: () => Promise<void>) => void }, server: ReachabilityInit = {}, client: ReachabilityInit = {}): Promise<Pair> {
  const dialled: Multiaddr[] = []
  const dial = server.dial ?? dialBack
  const s = await createPorchlightLibp2p({ reachability: { settleMs: 60_000, ...server, dial: async (target, ...rest) => { dialled.push(target); await dial(target, ...rest) } } })
  t.after(async () => { await s.stop() })
  const c = await createPorchlightLibp2p({ listen: ['/ip4/0.0.0.0/tcp/0'], reachability: { settleMs: 60_000, ...client } })
  t.after(async () => { await c.stop() })
  const connection = await c.dial(s.getMultiaddrs()[0]!)
  const port = Number(c.getMultiaddrs().map((a) => getNetConfig(a)).find((o) => o.host === '127.0.0.1')?.port)
  return { server: s, client: c, connection, dialled, own: `/ip4/127.0.0.1/tcp/${port}`, port }
}

test('the server dials the requester back from a fresh node and the requester holds the proof', async (t) => {
  const { server, client, connection, dialled, own } = await pair(t)
  const inbound: string[] = []
  client.addEventListener('connection:open', (e) => { if (e.detail.direction === 'inbound') inbound.push(e.detail.remotePeer.toString()) })
  const answered = once(reach(server), 'dial-back:answered')
  assert.deepEqual(await reach(client).askDialBack(connection, [own]), ['ok'])
  assert.deepEqual((await answered)[0], { results: ['ok'] })
  assert.deepEqual(dialled.map(String), [own])
  // Neither the server's own peer id nor a reused connection: a node made for that one dial.
  assert.equal(inbound.length, 1)
  assert.notEqual(inbound[0], server.peerId.toString())
})

test('only the IP the request came from is dialled: another IP, a circuit or WebSockets address is refused', async (t) => {
  const { client, connection, dialled, own, port, server } = await pair(t)
  const other = `/ip4/127.0.0.2/tcp/${port}` // the client listens there too: dialling it would have worked
  const circuit = `/ip4/127.0.0.1/tcp/${port}/p2p/${server.peerId.toString()}/p2p-circuit`
  const ws = `/ip4/127.0.0.1/tcp/${port}/ws`
  assert.deepEqual(await reach(client).askDialBack(connection, [other, own, circuit, ws]), ['refused', 'ok', 'refused', 'refused'])
  assert.deepEqual(dialled.map(String), [own])
})

test('the dials of one request are paced under the requester\'s limit of new connections per host', async (t) => {
  const { client, connection, own } = await pair(t)
  // libp2p takes 5 new connections a second from one host: back to back, the sixth dial would be refused.
  assert.deepEqual(await reach(client).askDialBack(connection, Array.from({ length: 6 }, () => own)), Array.from({ length: 6 }, () => 'ok'))
})

test('an address nobody listens on is unreachable', async (t) => {
  const { client, connection } = await pair(t)
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as { port: number }
  probe.close()
  await once(probe, 'close')
  assert.deepEqual(await reach(client).askDialBack(connection, [`/ip4/127.0.0.1/tcp/${port}`]), ['unreachable'])
})

test('a server that says ok without dialling is not believed', async (t) => {
  const { client, connection, own } = await pair(t, { dial: async () => {} })
  assert.deepEqual(await reach(client).askDialBack(connection, [own]), ['unproven'])
})

test('a server that never answers times the request out', async (t) => {
  const { server, client, connection, own } = await pair(t, {}, { dialTimeoutMs: 200 })
  await server.unhandle(DIAL_BACK_PROTOCOL)
  await server.handle(DIAL_BACK_PROTOCOL, () => {}) // reads nothing, answers nothing
  await assert.rejects(reach(client).askDialBack(connection, [own]), { name: 'StreamTimeoutError' })
})

test('a server that answers something else than one result per address is a malformed frame', async (t) => {
  const { server, client, connection, own } = await pair(t)
  await server.unhandle(DIAL_BACK_PROTOCOL)
  const { handleRequests } = await import('../../../node/p2p/request-response.js')
  await handleRequests(server, DIAL_BACK_PROTOCOL, async () => ({ results: ['ok', 'ok'] }))
  await assert.rejects(reach(client).askDialBack(connection, [own]), { name: 'MalformedFrameError' })
})

test('malformed, oversize and too frequent requests are refused with typed errors and counted', async (t) => {
  const { server, client, own } = await pair(t, { perMinute: { peer: 2, host: 100 } })
  const refused: string[] = []
  reach(server).on('dial-back:refused', ({ code }) => { refused.push(code) })
  const ask = async (request: unknown): Promise<unknown> => await sendRequest(client, server.peerId, DIAL_BACK_PROTOCOL, request, { maxFrameBytes: 1 << 20 })
  await assert.rejects(ask({ addrs: Array.from({ length: 9 }, () => own), nonce: nonce() }), (err: { name: string, details: { code: string } }) => err.name === 'RemoteError' && err.details.code === 'MALFORMED_DIAL_BACK_REQUEST')
  await assert.rejects(ask({ addrs: ['not a multiaddr'], nonce: nonce() }), (err: { details: { code: string } }) => err.details.code === 'MALFORMED_DIAL_BACK_REQUEST')
  // Over the rate (two a minute from this peer): refused before anything is read or dialled.
  await assert.rejects(ask({ addrs: [own], nonce: nonce() }), (err: { details: { code: string } }) => err.details.code === 'DIAL_BACK_RATE_LIMITED')
  // 5,000 bytes of addresses: larger than any request may be, never read.
  await assert.rejects(ask({ addrs: ['/ip4/127.0.0.1/tcp/1' + '0'.repeat(5000)], nonce: nonce() }))
  await until(() => refused.length === 4)
  assert.deepEqual(refused, ['MALFORMED_DIAL_BACK_REQUEST', 'MALFORMED_DIAL_BACK_REQUEST', 'DIAL_BACK_RATE_LIMITED', 'FRAME_TOO_LARGE'])
})

test('a server already dialling as many requests as it allows refuses the next one', async (t) => {
  let release: () => void = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  let entered: () => void = () => {}
  const dialling = new Promise<void>((resolve) => { entered = resolve })
  const { server, client, connection, own } = await pair(t, { maxInFlight: 1, dial: async () => { entered(); await held } })
  const first = reach(client).askDialBack(connection, [own])
  await dialling
  const other = await createPorchlightLibp2p({ reachability: { settleMs: 60_000 } })
  t.after(async () => { await other.stop() })
  const second = await other.dial(server.getMultiaddrs()[0]!)
  await assert.rejects(reach(other).askDialBack(second, [own]), (err: { name: string, details: { code: string } }) => err.name === 'RemoteError' && err.details.code === 'DIAL_BACK_BUSY')
  release()
  // The held dial resolved without dialling: an ok with no proof.
  assert.deepEqual(await first, ['unproven'])
})

test('a proof of a nonce the node is not waiting for is refused', async (t) => {
  const { server, client, own } = await pair(t)
  const to = multiaddr(`${own}/p2p/${client.peerId.toString()}`)
  await assert.rejects(sendRequest(server, to, DIAL_BACK_PROOF_PROTOCOL, { nonce: nonce(), index: 0 }),
    (err: { name: string, details: { code: string } }) => err.name === 'RemoteError' && err.details.code === 'UNKNOWN_DIAL_BACK_NONCE')
  await assert.rejects(sendRequest(server, to, DIAL_BACK_PROOF_PROTOCOL, { nonce: 'x', index: 0 }),
    (err: { details: { code: string } }) => err.details.code === 'MALFORMED_DIAL_BACK_REQUEST')
})

test('the handler does not run on a relayed connection (it has no IP to match)', async (t) => {
  // A relay, a server holding a reservation on it, and a client that reaches the server only through it.
  const relay = await createPorchlightLibp2p({ relayServer: { maxReservations: 4, gossip: { durationSeconds: 120, dataBytes: 1 << 20 } } })
  t.after(async () => { await relay.stop() })
  const server = await createPorchlightLibp2p({ reservations: 1, bootstrap: [relay.getMultiaddrs()[0]!.toString()], reachability: { settleMs: 60_000 } })
  t.after(async () => { await server.stop() })
  await until(() => server.getMultiaddrs().some((a) => a.toString().includes('/p2p-circuit')))
  const client = await createPorchlightLibp2p({ reachability: { settleMs: 60_000 } })
  t.after(async () => { await client.stop() })
  const circuit = server.getMultiaddrs().find((a) => a.toString().includes('/p2p-circuit'))!
  const connection = await client.dial(multiaddr(circuit.toString()))
  assert.ok(connection.limits !== undefined, 'a relayed connection')
  await assert.rejects(reach(client).askDialBack(connection, ['/ip4/127.0.0.1/tcp/1']), { name: 'LimitedConnectionError' })
})

async function until (done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not met in 10 s')
    await new Promise((resolve) => setImmediate(resolve))
  }
}

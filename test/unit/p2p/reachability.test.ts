// The reachability service's decisions on stubs of libp2p's address manager, connections and peer store:
// which addresses it tests, whom it asks, when an address is confirmed or refuted, and the status it
// reports. The protocol itself runs between real nodes in test/integration/network/dial-back.test.ts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Connection, PeerId } from '@libp2p/interface'
import {
  Reachability, candidatesOf, isPublicHost, statusOf, verdictOf,
  type NodeAddress, type ReachabilityComponents, type ReachabilityEvents, type ReachabilityInit
} from '../../../node/p2p/reachability.js'
import { DIAL_BACK_PROTOCOL, type DialBackOutcome } from '../../../node/p2p/dial-back.js'

const silent = { debug: () => {}, info: () => {} } as unknown as NonNullable<ReachabilityInit['log']>
const HOP = '/libp2p/circuit/relay/0.2.0/hop'
const PUBLIC = '/ip4/203.0.113.7/tcp/4001'
// 203.0.113.0/24 is a documentation range, which libp2p counts as private; these tests say what is public.
const publicHost = (ma: ReturnType<typeof multiaddr>): boolean => ma.toString().startsWith('/ip4/203.0.113.') || isPublicHost(ma)

const addr = (ma: string, over: Partial<NodeAddress> = {}): NodeAddress => ({ multiaddr: multiaddr(ma), verified: false, expires: 0, type: 'transport', ...over })

async function newPeerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

interface Server {
  peer: PeerId
  relays?: boolean
  answer: (addrs: string[], signal: AbortSignal) => Promise<DialBackOutcome[]>
}

interface World {
  reachability: Reachability
  addresses: NodeAddress[]
  confirmed: string[]
  removed: string[]
  /** The peers asked, in order. */
  asked: string[]
  events: EventTarget
  servers: Server[]
  seen: Array<ReachabilityEvents['reachability:change'][0]>
}

async function world (addresses: NodeAddress[], servers: Server[], init: Partial<ReachabilityInit> = {}): Promise<World> {
  const confirmed: string[] = []
  const removed: string[] = []
  const asked: string[] = []
  const events = new EventTarget()
  const find = (ma: ReturnType<typeof multiaddr>): NodeAddress | undefined => addresses.find((a) => a.multiaddr.equals(ma))
  const components: ReachabilityComponents = {
    // As libp2p's: a confirmed address is verified for 10 minutes; a removed transport address unverified for 5.
    addressManager: {
      getAddressesWithMetadata: () => addresses,
      confirmObservedAddr: (ma) => { confirmed.push(ma.toString()); Object.assign(find(ma)!, { verified: true, expires: Date.now() + 600_000 }) },
      removeObservedAddr: (ma) => { removed.push(ma.toString()); Object.assign(find(ma)!, { verified: false, expires: Date.now() + 300_000 }) }
    },
    connectionManager: {
      getConnections: () => servers.map((s) => ({ remotePeer: s.peer, status: 'open', limits: undefined }) as unknown as Connection)
    },
    peerStore: {
      get: async (peer: PeerId) => ({ protocols: [DIAL_BACK_PROTOCOL, ...(servers.find((s) => s.peer.equals(peer))?.relays === true ? [HOP] : [])] }) as never
    },
    registrar: { handle: async () => {}, unhandle: async () => {} },
    events,
    logger: undefined as never
  }
  const reachability = new Reachability(components, {
    isPublicHost: publicHost,
    settleMs: 60_000,
    log: silent,
    ask: async (connection, addrs, signal) => {
      asked.push(connection.remotePeer.toString())
      return await servers.find((s) => s.peer.equals(connection.remotePeer))!.answer(addrs, signal)
    },
    ...init
  })
  const seen: World['seen'] = []
  reachability.on('reachability:change', (c) => { seen.push(c) })
  await reachability.start()
  return { reachability, addresses, confirmed, removed, asked, events, servers, seen }
}

const says = (outcome: DialBackOutcome) => async (addrs: string[]) => addrs.map(() => outcome)

async function server (answer: Server['answer'], relays = false): Promise<Server> {
  return { peer: await newPeerId(), relays, answer }
}

test('a verdict needs two agreeing servers, or every one there is when there are fewer', () => {
  assert.equal(verdictOf({ ok: 2, unreachable: 0 }, 3), 'confirmed')
  assert.equal(verdictOf({ ok: 2, unreachable: 1 }, 3), 'confirmed', 'an ok is proven; an unreachable may be the server\'s own firewall')
  assert.equal(verdictOf({ ok: 1, unreachable: 0 }, 1), 'confirmed')
  assert.equal(verdictOf({ ok: 1, unreachable: 0 }, 2), undefined)
  assert.equal(verdictOf({ ok: 0, unreachable: 2 }, 3), 'refuted')
  assert.equal(verdictOf({ ok: 0, unreachable: 1 }, 1), 'refuted')
  assert.equal(verdictOf({ ok: 1, unreachable: 2 }, 3), undefined)
  assert.equal(verdictOf({ ok: 0, unreachable: 1 }, 3), undefined)
})

test('the addresses tested are public TCP ones libp2p found, never checked or due again', () => {
  const now = Date.now()
  const candidates = candidatesOf([
    addr(PUBLIC),
    addr(PUBLIC), // listed twice (two listeners): tested once
    addr('/ip4/192.168.1.5/tcp/4001'),
    addr('/ip4/127.0.0.1/tcp/4001', { verified: true, expires: now + 1000 }),
    addr('/ip4/203.0.113.8/tcp/4001', { type: 'announce', verified: true }),
    addr('/ip4/203.0.113.9/tcp/4001/ws'),
    addr(`/ip4/203.0.113.10/tcp/4001/p2p/12D3KooWAUbPYhucqgPfaK7UAU5ufrqT5yfdSMTooRr9BBZGJmkR/p2p-circuit`),
    addr('/ip4/203.0.113.11/tcp/4001', { verified: true, expires: now + 1000 }),
    addr('/ip4/203.0.113.12/tcp/4001', { verified: true, expires: now - 1, type: 'ip-mapping' })
  ], publicHost, now)
  assert.deepEqual(candidates.map(String), [PUBLIC, '/ip4/203.0.113.12/tcp/4001'])
})

test('the status: public with a verified public address, private behind relays with nothing to test, else unknown', () => {
  const circuit = addr('/ip4/203.0.113.1/tcp/4001/p2p/12D3KooWAUbPYhucqgPfaK7UAU5ufrqT5yfdSMTooRr9BBZGJmkR/p2p-circuit', { verified: true })
  const lan = addr('/ip4/192.168.1.5/tcp/4001', { verified: true })
  assert.equal(statusOf([lan], publicHost, false), 'unknown', 'a node on a LAN alone knows nothing')
  assert.equal(statusOf([lan, circuit], publicHost, false), 'private', 'behind a NAT: reached through a relay, nothing of its own')
  assert.equal(statusOf([lan, circuit, addr(PUBLIC)], publicHost, false), 'unknown', 'a UPnP mapping not yet tested')
  assert.equal(statusOf([lan, addr(PUBLIC)], publicHost, true), 'private', 'refuted lately')
  assert.equal(statusOf([lan, circuit, addr(PUBLIC, { verified: true })], publicHost, true), 'public')
  assert.equal(statusOf([addr('/dns4/relay.example.org/tcp/443/tls/ws', { type: 'announce', verified: true })], isPublicHost, false), 'public', 'announced by its operator')
})

test('two servers that dialled back confirm the address, and the node says it is public', async (t) => {
  const w = await world([addr('/ip4/192.168.1.5/tcp/4001', { verified: true }), addr(PUBLIC)], [await server(says('ok')), await server(says('ok')), await server(says('ok'))])
  t.after(async () => { await w.reachability.stop() })
  assert.equal(await w.reachability.check(), 'public')
  assert.deepEqual(w.confirmed, [PUBLIC])
  assert.equal(w.asked.length, 3)
  assert.deepEqual(w.seen, [{ status: 'public', previous: 'unknown' }])
})

test('an unproven ok is no evidence; the answers add up across rounds until a verdict', async (t) => {
  const w = await world([addr(PUBLIC)], [await server(says('ok')), await server(says('unproven'))])
  t.after(async () => { await w.reachability.stop() })
  assert.equal(await w.reachability.check(), 'unknown')
  assert.deepEqual(w.confirmed, [])
  // A second honest server connects: only it is asked (the others were, lately), and it decides.
  w.servers.push(await server(says('ok')))
  assert.equal(await w.reachability.check(), 'public')
  assert.equal(w.asked.length, 3)
  assert.deepEqual(w.confirmed, [PUBLIC])
})

test('with one server, its answer decides', async (t) => {
  const w = await world([addr(PUBLIC)], [await server(says('ok'))])
  t.after(async () => { await w.reachability.stop() })
  assert.equal(await w.reachability.check(), 'public')
  assert.deepEqual(w.confirmed, [PUBLIC])
})

test('two servers that could not reach it, and none that could, refute the address: private', async (t) => {
  const w = await world([addr(PUBLIC)], [await server(says('unreachable')), await server(says('unreachable'))])
  t.after(async () => { await w.reachability.stop() })
  const refuted: string[] = []
  w.reachability.on('address:refuted', ({ addr }) => { refuted.push(addr) })
  assert.equal(await w.reachability.check(), 'private')
  assert.deepEqual(w.removed, [PUBLIC])
  assert.deepEqual(refuted, [PUBLIC])
  assert.deepEqual(w.confirmed, [])
})

test('a server that refused the address or failed is no evidence', async (t) => {
  const failing = await server(async () => { throw Object.assign(new Error('timeout'), { name: 'StreamTimeoutError' }) })
  const w = await world([addr(PUBLIC)], [await server(says('refused')), failing])
  t.after(async () => { await w.reachability.stop() })
  const failed: string[] = []
  w.reachability.on('check:failed', ({ peer }) => { failed.push(peer) })
  assert.equal(await w.reachability.check(), 'unknown')
  assert.deepEqual([w.confirmed, w.removed], [[], []])
  assert.deepEqual(failed, [failing.peer.toString()])
})

test('behind a NAT with a relay reservation and nothing to test, the node is private as soon as its addresses change', async (t) => {
  const addresses = [addr('/ip4/192.168.1.5/tcp/4001', { verified: true })]
  const w = await world(addresses, [])
  t.after(async () => { await w.reachability.stop() })
  assert.equal(w.reachability.status, 'unknown')
  addresses.push(addr('/ip4/203.0.113.1/tcp/4001/p2p/12D3KooWAUbPYhucqgPfaK7UAU5ufrqT5yfdSMTooRr9BBZGJmkR/p2p-circuit', { verified: true }))
  w.events.dispatchEvent(new CustomEvent('self:peer:update', { detail: {} }))
  assert.equal(w.reachability.status, 'private')
  assert.deepEqual(w.seen, [{ status: 'private', previous: 'unknown' }])
  assert.deepEqual(w.asked, [], 'nothing to ask about')
})

test('at most three servers are asked, relays and agencies first', async (t) => {
  const plain = await Promise.all([1, 2, 3].map(async () => await server(says('ok'))))
  const relay = await server(says('ok'), true)
  const w = await world([addr(PUBLIC)], [...plain, relay])
  t.after(async () => { await w.reachability.stop() })
  await w.reachability.check()
  assert.equal(w.asked.length, 3)
  assert.equal(w.asked[0], relay.peer.toString())
})

test('stop ends a pending request and leaves no timer behind', async (t) => {
  let signalled: AbortSignal | undefined
  const hanging = await server(async (_addrs, signal) => await new Promise((_resolve, reject) => {
    signalled = signal
    signal.addEventListener('abort', () => { reject(signal.reason) }, { once: true })
  }))
  const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  const w = await world([addr(PUBLIC)], [hanging])
  const round = w.reachability.check()
  await new Promise((resolve) => setImmediate(resolve))
  assert.ok(signalled !== undefined && !signalled.aborted)
  await w.reachability.stop()
  await round
  assert.equal(signalled.aborted, true)
  assert.deepEqual(w.confirmed, [])
  assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, timers)
  void t
})

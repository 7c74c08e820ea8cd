// Finding cell-mates (issue 16): a relay and three residents on 127.0.0.1 over real TCP, each resident's
// bootstrap list naming only the relay and each holding one reservation there. The two residents of one cell
// find each other through the relay's cell-peers answers and connect (through the relay); the third, in
// another cell, is never named to them nor they to it. Bad questions are refused with typed errors, counted
// in the relay's /metrics, and change nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { cellToLatLng, cellToParent, gridDisk } from 'h3-js'
import * as dagCbor from '@ipld/dag-cbor'
import { createNode, relayRole, residentRole, type PorchlightNode, type RelayServices, type ResidentServices } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { announcementMessageId } from '../../../node/network/index.js'
import {
  askCellPeers, CELL_PEERS_PROTOCOL, createPorchlightLibp2p, framed, joinTopic, MAX_CELL_PEERS_FRAME_BYTES, RemoteError, type PorchlightLibp2p
} from '../../../node/p2p/index.js'
import type { CellMatesInit, MatesFound } from '../../../node/network/cell-mates.js'
import { topicName } from '../../../protocol/index.js'
import { stubChain } from '../../helpers/stub-chain.js'
import { NOW, sampleRequest } from '../../helpers/messages.js'

const area = sampleRequest().cells
const home = cellToParent(area[0]!, 7)
// A res-7 cell two rings away: another topic, so its resident is no cell-mate of the others.
const elsewhere = gridDisk(home, 2).find((c) => c !== home && !gridDisk(home, 1).includes(c))!
const chain = stubChain(async (a) => ({ address: a, name: 'Seattle PD', cells: [cellToParent(area[0]!, 5)], validUntil: NOW + 86400, status: 'active' }))

const at = (cell: string): { lat: number, lng: number } => { const [lat, lng] = cellToLatLng(cell); return { lat, lng } }

async function relay (): Promise<PorchlightNode<RelayServices>> {
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'relay', name: 'community relay' }),
    services: relayRole({ chain, cellPeers: { subscriptionWaitMs: 300, ratePoints: 20 } }),
    libp2p: { messageId: announcementMessageId, heartbeatIntervalMs: 200 },
    listenApi: false,
    staticDir: false
  })
  await node.start()
  return node
}

/**
 * A resident holding one reservation on the relay. Its timer's first delay is ten minutes unless the test
 * says otherwise: what this file shows happens on events (a relay identified, a reservation gained).
 */
async function resident (name: string, cell: string, bootstrap: string[], opts: { cellMates?: CellMatesInit, reservations?: number } = {}): Promise<PorchlightNode<ResidentServices>> {
  return await createNode({
    config: parseConfig({ version: 1, role: 'resident', name, bootstrap, network: { reservations: opts.reservations ?? 1 }, cameras: [{ name: 'porch', ...at(cell) }] }),
    services: residentRole({ chain, network: { now: () => NOW + 60 }, cellMates: opts.cellMates ?? { minIntervalMs: 600_000 } }),
    libp2p: { messageId: announcementMessageId, heartbeatIntervalMs: 200 },
    listenApi: false,
    staticDir: false
  })
}

async function counted (node: PorchlightNode<{ metrics: ResidentServices['metrics'] }>, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = node.services.metrics.registry.getSingleMetric(name)
  assert.ok(metric !== undefined, name)
  return (await metric.get()).values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0)
}

/** Resolves once `a` has a connection to `b`, at once if it has one. */
async function connectedTo (a: PorchlightLibp2p, b: PorchlightLibp2p, signal: AbortSignal): Promise<void> {
  while (a.getConnections(b.peerId).length === 0) await once(a, 'connection:open', { signal })
}

test('two residents of one cell find each other through the relay; the third, in another cell, is named to neither', async (t) => {
  const hub = await relay()
  t.after(async () => { await hub.stop() })
  const bootstrap = hub.libp2p.getMultiaddrs().map(String)
  const birch = await resident('birch', home, bootstrap)
  const pearl = await resident('pearl', home, bootstrap)
  const cedar = await resident('cedar', elsewhere, bootstrap)
  const homes = [birch, pearl, cedar]
  t.after(async () => { await Promise.all(homes.map(async (h) => { await h.stop() })) })
  const found = new Map(homes.map((h) => [h, [] as MatesFound[]]))
  for (const h of homes) h.services.cellMates.on('mates:found', (f) => found.get(h)!.push(f))

  const signal = AbortSignal.timeout(20_000)
  const started = performance.now()
  await Promise.all(homes.map(async (h) => { await h.start() }))
  await Promise.all([connectedTo(birch.libp2p, pearl.libp2p, signal), connectedTo(pearl.libp2p, birch.libp2p, signal)])
  const ms = performance.now() - started
  t.diagnostic(`cell-mates connected ${ms.toFixed(0)} ms after start`)

  // Nobody named the other in a bootstrap list: the link came from a cell-peers answer, on the home topic.
  const named = [...found.get(birch)!, ...found.get(pearl)!]
  assert.ok(named.length >= 1)
  assert.ok(named.every((f) => f.topic === topicName(home) && f.relay === hub.libp2p.peerId.toString()))
  assert.ok(named.some((f) => f.peers.includes(birch.libp2p.peerId.toString()) || f.peers.includes(pearl.libp2p.peerId.toString())))
  // The relay names a household by its circuit address through itself (loopback addresses are no use
  // elsewhere, the relay's own included: the hop is its peer id alone, dialled over the asker's connection).
  const answer = await askCellPeers(birch.libp2p, hub.libp2p.peerId, topicName(home), { signal })
  assert.deepEqual(answer.map((p) => p.id.toString()), [pearl.libp2p.peerId.toString()])
  assert.deepEqual(answer[0]!.addrs.map(String), [`/p2p/${hub.libp2p.peerId.toString()}/p2p-circuit/p2p/${pearl.libp2p.peerId.toString()}`])

  // The other cell's resident: never named, never connected; its own answer names nobody.
  const cedarId = cedar.libp2p.peerId.toString()
  assert.ok(named.every((f) => !f.peers.includes(cedarId)))
  assert.deepEqual(found.get(cedar), [])
  assert.deepEqual(await askCellPeers(cedar.libp2p, hub.libp2p.peerId, topicName(elsewhere), { signal }), [])
  for (const h of [birch, pearl]) assert.equal(h.libp2p.getConnections(cedar.libp2p.peerId).length, 0)
  assert.ok(await counted(birch, 'porchlight_cell_mates_dials_total') + await counted(pearl, 'porchlight_cell_mates_dials_total') >= 1)
  assert.ok(await counted(hub, 'porchlight_cell_peers_answered_total') >= 3)
  assert.equal(await counted(hub, 'porchlight_cell_peers_refused_total'), 0)
})

/** Resolves once `p` has identified `relay` as serving cell-peers (its protocol list, from identify or a push). */
async function identified (p: PorchlightLibp2p, relay: PorchlightLibp2p, signal: AbortSignal): Promise<void> {
  const serves = async (): Promise<boolean> => await p.peerStore.get(relay.peerId).then((i) => i.protocols.includes(CELL_PEERS_PROTOCOL), () => false)
  while (!(await serves())) await once(p, 'peer:identify', { signal })
}

/** Sends raw bytes as one question and returns the answer frame, or the error that ended the stream. */
async function rawQuestion (from: PorchlightLibp2p, to: PorchlightLibp2p, bytes: Uint8Array): Promise<unknown> {
  const stream = await from.dialProtocol(to.peerId, CELL_PEERS_PROTOCOL)
  const frames = framed(stream, { maxFrameBytes: 2 * MAX_CELL_PEERS_FRAME_BYTES, timeoutMs: 5000 })
  await frames.writeBytes(bytes)
  return await frames.read().catch((err: unknown) => err)
}

test('the relay refuses a malformed, an oversize and a non-topic question, a question about a topic the asker is not on, and a flood: typed, counted, and nothing changes', async (t) => {
  const hub = await relay()
  t.after(async () => { await hub.stop() })
  const asker = await createPorchlightLibp2p({ bootstrap: hub.libp2p.getMultiaddrs().map(String), messageId: announcementMessageId, heartbeatIntervalMs: 200 })
  t.after(async () => { await asker.stop() })
  const signal = AbortSignal.timeout(20_000)
  // Identified, so the relay's protocol is known and its subscription to `home` reaches the relay.
  await identified(asker, hub.libp2p, signal)
  joinTopic(asker, topicName(home))
  const refused = async (code: string): Promise<number> => await counted(hub, 'porchlight_cell_peers_refused_total', { code })
  const remoteCode = (err: unknown): string | undefined => err instanceof RemoteError ? String(err.details.code) : undefined

  // Not dag-cbor, and a frame over the limit: the stream is cut without an answer.
  assert.ok((await rawQuestion(asker, hub.libp2p, new Uint8Array([0xff, 0x00, 0x13]))) instanceof Error)
  assert.ok((await rawQuestion(asker, hub.libp2p, new Uint8Array(MAX_CELL_PEERS_FRAME_BYTES + 1))) instanceof Error)
  // Well-formed, but not a question about a request topic.
  for (const question of [{ topic: 'porchlight/1/req/not-a-cell' }, { topic: topicName(home), more: 1 }, { topic: `porchlight/1/req/${area[0]!}` }, [topicName(home)]]) {
    const answer = await rawQuestion(asker, hub.libp2p, dagCbor.encode(question)) as { error?: { code: string } }
    assert.equal(answer.error?.code, 'INVALID_CELL_PEERS_REQUEST', JSON.stringify(question))
  }
  // A topic it has not joined: who is there is told only to a peer that is there itself.
  assert.equal(remoteCode(await askCellPeers(asker, hub.libp2p.peerId, topicName(elsewhere)).catch((err: unknown) => err)), 'CELL_PEERS_NOT_SUBSCRIBED')
  // Its own topic is answered (nobody else is on it).
  assert.deepEqual(await askCellPeers(asker, hub.libp2p.peerId, topicName(home)), [])

  assert.equal(await refused('MALFORMED_FRAME'), 1)
  assert.equal(await refused('FRAME_TOO_LARGE'), 1)
  assert.equal(await refused('INVALID_CELL_PEERS_REQUEST'), 4)
  assert.equal(await refused('CELL_PEERS_NOT_SUBSCRIBED'), 1)
  assert.equal(await counted(hub, 'porchlight_cell_peers_answered_total'), 1)

  // A flood: the relay allows 20 questions a minute per peer (this test's setting), and the refused ones
  // above counted too, so a burst of 20 more is cut short with CELL_PEERS_RATE_LIMITED.
  const burst = await Promise.all(Array.from({ length: 20 }, async () => await askCellPeers(asker, hub.libp2p.peerId, topicName(home)).then(() => 'answered', (err: unknown) => remoteCode(err) ?? String(err))))
  const limited = burst.filter((r) => r === 'CELL_PEERS_RATE_LIMITED').length
  assert.ok(limited >= 1, burst.join(','))
  assert.equal(await refused('CELL_PEERS_RATE_LIMITED'), limited)
  assert.equal(await counted(hub, 'porchlight_cell_peers_answered_total'), 1 + burst.filter((r) => r === 'answered').length)
  // The relay still answers another peer, and relays as before.
  const other = await createPorchlightLibp2p({ bootstrap: hub.libp2p.getMultiaddrs().map(String), messageId: announcementMessageId })
  t.after(async () => { await other.stop() })
  await identified(other, hub.libp2p, signal)
  joinTopic(other, topicName(home))
  assert.deepEqual((await askCellPeers(other, hub.libp2p.peerId, topicName(home))).map((p) => p.id.toString()), [])
})

test('a resident alone in its cell asks again with a doubling delay; one on 127.0.0.1 without reservations does not look at all', async (t) => {
  const hub = await relay()
  t.after(async () => { await hub.stop() })
  const bootstrap = hub.libp2p.getMultiaddrs().map(String)
  const alone = await resident('alone', home, bootstrap, { cellMates: { minIntervalMs: 50, maxIntervalMs: 400 } })
  const local = await resident('local', elsewhere, bootstrap, { reservations: 0 })
  t.after(async () => { await Promise.all([alone.stop(), local.stop()]) })
  assert.equal(alone.services.cellMates.enabled, true)
  assert.equal(local.services.cellMates.enabled, false)

  const rounds: number[] = []
  const sixRounds = new Promise<void>((resolve) => {
    alone.services.cellMates.on('round:completed', ({ asked }) => { if (asked > 0 && rounds.push(performance.now()) === 6) resolve() })
  })
  await Promise.all([alone.start(), local.start()])
  await sixRounds
  // Without backoff five gaps of 50 ms would take 250 ms; doubling to the cap, 50+100+200+400+400 = 1150 ms
  // at the least (events may add rounds between, never remove the waits, so the bound is on the 5 gaps).
  const gaps = rounds.slice(1).map((r, i) => r - rounds[i]!)
  t.diagnostic(`gaps between rounds that asked: ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`)
  assert.ok(rounds[5]! - rounds[0]! >= 600, gaps.join(','))
  assert.ok(gaps.every((g) => g < 2000), gaps.join(','))
  assert.deepEqual(alone.services.cellMates.lonelyTopics(), [topicName(home)])
  assert.equal(await counted(local, 'porchlight_cell_mates_questions_total'), 0)
})

test('a subscriber without a reservation is named by the addresses it told the relay, when they are public, and is dialled directly', async (t) => {
  // The netns test sees real public addresses; on 127.0.0.1 the relay is told that loopback counts as public.
  const hub = await createNode({
    config: parseConfig({ version: 1, role: 'relay', name: 'community relay' }),
    services: relayRole({ chain, cellPeers: { isPublic: (a) => a.toString().startsWith('/ip4/127.0.0.1/') } }),
    libp2p: { messageId: announcementMessageId },
    listenApi: false,
    staticDir: false
  })
  t.after(async () => { await hub.stop() })
  await hub.start()
  const bootstrap = hub.libp2p.getMultiaddrs().map(String)
  const [asker, mate] = await Promise.all([0, 1].map(async () => await createPorchlightLibp2p({ bootstrap, messageId: announcementMessageId })))
  t.after(async () => { await Promise.all([asker!.stop(), mate!.stop()]) })
  const signal = AbortSignal.timeout(20_000)
  for (const p of [asker!, mate!]) {
    await identified(p, hub.libp2p, signal)
    joinTopic(p, topicName(home))
  }
  // Once the relay has the mate's SUBSCRIBE (the asker's own it waits for itself).
  const pubsub = hub.libp2p.services.pubsub
  while (!pubsub.getSubscribers(topicName(home)).some((p) => p.equals(mate!.peerId))) await once(pubsub, 'subscription-change', { signal })
  const answer = await askCellPeers(asker!, hub.libp2p.peerId, topicName(home), { signal })
  assert.deepEqual(answer.map((p) => p.id.toString()), [mate!.peerId.toString()])
  assert.deepEqual(answer[0]!.addrs.map(String), mate!.getMultiaddrs().map(String).filter((a) => !a.includes('/p2p-circuit')))
  const connection = await asker!.dial(answer[0]!.addrs, { signal })
  assert.equal(connection.limits, undefined)
})

test('a reservation gained later starts a round at once (the timer is ten minutes away)', async (t) => {
  const hub = await relay()
  t.after(async () => { await hub.stop() })
  // A second relay that serves no cell-peers: connecting to it is no trigger, only the reservation it gives.
  const plain = await createPorchlightLibp2p({ relayServer: { maxReservations: 16, gossip: { durationSeconds: 600, dataBytes: 1 << 22 } } })
  t.after(async () => { await plain.stop() })
  const home1 = await resident('birch', home, hub.libp2p.getMultiaddrs().map(String), { reservations: 2 })
  t.after(async () => { await home1.stop() })
  const signal = AbortSignal.timeout(20_000)
  const circuits = (): string[] => home1.libp2p.getMultiaddrs().map(String).filter((a) => a.includes('/p2p-circuit'))
  const rounds: Array<{ asked: number, why: string[], circuits: string[] }> = []
  const reservationRound = new Promise<void>((resolve) => {
    home1.services.cellMates.on('round:completed', ({ asked, why }) => {
      rounds.push({ asked, why, circuits: circuits() })
      if (why.includes('reservation') && circuits().some((a) => a.includes(`/p2p/${plain.peerId.toString()}/p2p-circuit`))) resolve()
    })
  })
  await home1.start()
  await home1.libp2p.dial(plain.getMultiaddrs(), { signal })
  await Promise.race([reservationRound, once(signal, 'abort').then(() => { throw new Error(`no round for the reservation: ${JSON.stringify(rounds)}`) })])
  const round = rounds.find((r) => r.why.includes('reservation') && r.circuits.length === 2)!
  // It asked the one relay that serves cell-peers (the plain relay is not asked).
  assert.equal(round.asked, 1)
  assert.ok(rounds.every((r) => !r.why.includes('timer')), JSON.stringify(rounds))
})

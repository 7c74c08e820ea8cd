// Real resident nodes over TCP on 127.0.0.1 against the embedded chain, an agency that publishes like the
// real one (TestAgency), and counters of the gossip each node receives per topic.
import { once } from 'node:events'
import { cellToLatLng, cellToParent, gridDisk } from 'h3-js'
import { createNode, residentRole, type PorchlightNode, type ResidentServices } from '../../node/index.js'
import { parseConfig, type ChainEndpoint } from '../../node/config/index.js'
import { createPorchlightLibp2p, type PorchlightLibp2p } from '../../node/p2p/index.js'
import { announcementMessageId } from '../../node/network/index.js'
import type { InboxItem } from '../../node/resident/index.js'
import { areaFromCircle, topicCells, topicName } from '../../protocol/index.js'
import { ChainClient, devCouncil } from '../../node/chain/index.js'
import { startChainFixture, type ChainFixture } from './chain.js'
import { TEST_WITNESS_SET, TestAgency } from './announcements.js'

export type Resident = PorchlightNode<ResidentServices> & { received: Map<string, number> }

export const INCIDENT = { lat: 47.6062, lng: -122.3321, radius: 350 }
export const AREA = areaFromCircle(INCIDENT.lat, INCIDENT.lng, INCIDENT.radius)
export const AREA_TOPIC_CELLS = topicCells(AREA)
/** res-5 cells covering the area: the registered agency's jurisdiction. */
export const JURISDICTION = [...new Set(AREA.map((c) => cellToParent(c, 5)))].sort()

const at = (cell: string): { lat: number, lng: number } => { const [lat, lng] = cellToLatLng(cell); return { lat, lng } }

/** Camera positions: inside the area; near (same res-7 topic, outside the area); far (other res-7 cells). */
export function placements (): { inside: Array<{ lat: number, lng: number }>, near: Array<{ lat: number, lng: number }>, far: Array<{ lat: number, lng: number }> } {
  const area = new Set(AREA)
  const ring = gridDisk(AREA[0]!, 6).filter((c) => !area.has(c) && AREA_TOPIC_CELLS.includes(cellToParent(c, 7)))
  const far = gridDisk(cellToParent(AREA[0]!, 7), 3).filter((c) => !AREA_TOPIC_CELLS.includes(c) && gridDisk(c, 1).every((n) => !AREA_TOPIC_CELLS.includes(n)))
  return {
    inside: [AREA[0]!, AREA[Math.floor(AREA.length / 2)]!, AREA[AREA.length - 1]!].map(at),
    near: [ring[0]!, ring[ring.length - 1]!].map(at),
    far: [far[0]!, far[5]!, far[10]!].map(at)
  }
}

/** Counts every gossip message a node receives per topic, before validation (test-only internals hook). */
export function countReceived (libp2p: PorchlightLibp2p): Map<string, number> {
  const received = new Map<string, number>()
  const pubsub = libp2p.services.pubsub as unknown as { handleReceivedRpc: (from: unknown, rpc: { messages?: Array<{ topic: string }> }) => Promise<void> }
  const original = pubsub.handleReceivedRpc.bind(pubsub)
  pubsub.handleReceivedRpc = async (from, rpc) => {
    for (const m of rpc.messages ?? []) received.set(m.topic, (received.get(m.topic) ?? 0) + 1)
    return await original(from, rpc)
  }
  return received
}

export async function startResident (name: string, cameras: Array<{ lat: number, lng: number }>, chain: ChainEndpoint, opts: { listenApi?: boolean, inboxPolicy?: { ignoreCategories: string[], ignoreAgencies: string[] } } = {}): Promise<Resident> {
  const config = parseConfig({ version: 1, role: 'resident', name, chain, cameras: cameras.map((c, i) => ({ name: `${name}-cam${i}`, ...c })), ...(opts.inboxPolicy === undefined ? {} : { inboxPolicy: opts.inboxPolicy }) })
  const node = await createNode({
    config,
    services: residentRole(),
    libp2p: { messageId: announcementMessageId, heartbeatIntervalMs: 200 },
    listenApi: opts.listenApi ?? false,
    staticDir: false
  })
  const received = countReceived(node.libp2p)
  await node.start()
  return Object.assign(node, { received })
}

export async function startPublisher (): Promise<PorchlightLibp2p> {
  return await createPorchlightLibp2p({ messageId: announcementMessageId, heartbeatIntervalMs: 200 })
}

export async function connect (a: PorchlightLibp2p, b: PorchlightLibp2p): Promise<void> {
  await a.dial(b.getMultiaddrs())
}

/**
 * Connects residents in a ring (each dials the next two) and the publisher to every one of them. libp2p
 * refuses more than 5 inbound connections per second from one host, and here every node is 127.0.0.1, so a
 * full mesh dialled at once would be refused; the ring keeps each node's inbound dials at three.
 */
export async function connectRing (nodes: PorchlightLibp2p[], publisher: PorchlightLibp2p): Promise<void> {
  for (const [i, node] of nodes.entries()) {
    for (const k of [1, 2]) if (nodes.length > k) await connect(node, nodes[(i + k) % nodes.length]!)
    await connect(publisher, node)
  }
}

/** Resolves once `node` sees every one of `peers` subscribed to `topic`. */
export async function waitForSubscribers (node: PorchlightLibp2p, topic: string, peers: PorchlightLibp2p[], signal: AbortSignal): Promise<void> {
  const pubsub = node.services.pubsub
  const all = (): boolean => { const subs = new Set(pubsub.getSubscribers(topic).map(String)); return peers.every((p) => subs.has(p.peerId.toString())) }
  while (!all()) await once(pubsub as unknown as EventTarget, 'subscription-change', { signal })
}

/** Resolves with the inbox item for `id` once it is in the inbox (listening first, so no event is missed). */
export async function inboxAdded (node: Resident, id: string, signal: AbortSignal): Promise<InboxItem> {
  return await new Promise<InboxItem>((resolve, reject) => {
    const inbox = node.services.inbox
    const done = (item: InboxItem): void => { inbox.off('inbox:added', on); signal.removeEventListener('abort', onAbort); resolve(item) }
    const on = (item: InboxItem): void => { if (item.id === id) done(item) }
    const onAbort = (): void => { inbox.off('inbox:added', on); reject(signal.reason) }
    inbox.on('inbox:added', on)
    signal.addEventListener('abort', onAbort, { once: true })
    inbox.get(id).then(done, () => {})
  })
}

/** Request fields that make a request live now, in AREA. */
export function liveFields (now = Math.floor(Date.now() / 1000)): { cells: string[], issuedAt: number, windowStart: number, windowEnd: number, expiresAt: number } {
  return { cells: AREA, issuedAt: now, windowStart: now - 3 * 3600, windowEnd: now - 3600, expiresAt: now + 48 * 3600 }
}

/** Publishes an announcement on each topic of the area. */
export async function publish (publisher: PorchlightLibp2p, bytes: Uint8Array, cells = AREA): Promise<void> {
  for (const cell of topicCells(cells)) await publisher.services.pubsub.publish(topicName(cell), bytes)
}

/**
 * The embedded chain with one agency (TestAgency, account 1) registered by the council over JURISDICTION, and
 * TestAgency's witnesses (TEST_WITNESS_SET: three, quorum 2) registered, so what it announces is witnessed.
 */
export async function startRegisteredAgency (): Promise<{ fixture: ChainFixture, endpoint: ChainEndpoint, agency: TestAgency }> {
  const fixture = await startChainFixture()
  const d = fixture.deployment
  const endpoint = { rpc: d.rpc, chainId: d.chainId, contracts: d.contracts }
  const agency = new TestAgency(fixture.chain.accounts[1]!.privateKey, { chainId: d.chainId, verifyingContract: d.contracts.AgencyRegistry })
  const council = await ChainClient.connect({ deployment: d, privateKey: fixture.chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(d) })
  await council.registerAgency(agency.address, { name: 'Seattle PD', cells: JURISDICTION, validUntil: Math.floor(Date.now() / 1000) + 365 * 86400 })
  for (const w of TEST_WITNESS_SET.witnesses) await council.addWitness(w)
  await council.setWitnessQuorum(TEST_WITNESS_SET.quorum)
  await council.close()
  return { fixture, endpoint, agency }
}

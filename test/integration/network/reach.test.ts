// Issue 15, items 7 and 8: a live request reaches every in-area resident that a peer holding it can reach,
// whatever the order in which connections, identify, subscriptions and the publish happen.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cellToLatLng, cellToParent } from 'h3-js'
import type { PeerId } from '@libp2p/interface'
import { createNode, defineService, residentRole, type PorchlightNode, type ResidentServices } from '../../../node/index.js'
import { generateKeys, parseConfig, type NodeKeys } from '../../../node/config/index.js'
import { announcementMessageId, requestNetwork, type RequestNetwork, type RequestNetworkInit } from '../../../node/network/index.js'
import { stubChain } from '../../helpers/stub-chain.js'
import { TestAgency } from '../../helpers/announcements.js'
import { inboxAdded } from '../../helpers/resident-network.js'
import { AGENCY_KEY, DOMAIN, NOW, sampleRequest } from '../../helpers/messages.js'

const agency = new TestAgency(AGENCY_KEY, DOMAIN)
const area = sampleRequest().cells
// The registry and the clock are stubs: these tests are about who asks whom, not the chain.
const network: RequestNetworkInit = { now: () => NOW + 60 }
const chain = stubChain(async (a) => ({ address: a, name: 'Seattle PD', cells: [...new Set(area.map((c) => cellToParent(c, 5)))], validUntil: NOW + 86400, status: 'active' }), DOMAIN)

/**
 * A resident node, built but not started (so a test can connect its libp2p before its services start). With
 * `home` (its folder and keys) it keeps its database there, so a second node made from it is the same
 * resident after a reboot.
 */
async function resident (name: string, home?: { dir: string, keys: NodeKeys }): Promise<PorchlightNode<ResidentServices>> {
  const [lat, lng] = cellToLatLng(area[0]!)
  return await createNode({
    ...home,
    config: parseConfig({ version: 1, role: 'resident', name, cameras: [{ name: 'porch', lat, lng }] }),
    services: residentRole({ chain, network }),
    libp2p: { messageId: announcementMessageId, heartbeatIntervalMs: 200 },
    listenApi: false,
    staticDir: false
  })
}

/** An agency's node as the catch-up side sees it: the request network with the desk's live requests as a source. */
async function desk (live: Uint8Array[]): Promise<PorchlightNode<{ network: RequestNetwork }>> {
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'agency', name: 'desk' }),
    services: { chain: defineService(chain, { needs: [] }), network: defineService(requestNetwork({ ...network, sources: [{ liveAnnouncements: async () => live }] }), { needs: ['chain'] }) },
    libp2p: { messageId: announcementMessageId },
    listenApi: false,
    staticDir: false
  }) as PorchlightNode<{ network: RequestNetwork }>
  await node.start()
  return node
}

async function identified (node: PorchlightNode<any>, peer: PeerId, signal: AbortSignal): Promise<void> {
  while (true) {
    const [evt] = await once(node.libp2p, 'peer:identify', { signal }) as [CustomEvent<{ peerId: PeerId }>]
    if (evt.detail.peerId.equals(peer)) return
  }
}

/**
 * What a reboot does: `node`'s libp2p starts and connects to `peer` (its bootstrap peer dials as libp2p
 * starts), both identify each other, and only then do `node`'s services start.
 */
async function startConnectedTo (node: PorchlightNode<any>, peer: PorchlightNode<any>): Promise<void> {
  await node.libp2p.start()
  const signal = AbortSignal.timeout(15_000)
  const seen = Promise.all([identified(node, peer.peerId, signal), identified(peer, node.peerId, signal)])
  await node.libp2p.dial(peer.libp2p.getMultiaddrs())
  await seen
  await node.start()
}

test('item 7: a resident whose bootstrap agency was connected and identified before its services started gets the agency\'s live request', async (t) => {
  const a = agency.request()
  const agencyNode = await desk([a.bytes])
  const home = await resident('rebooted home')
  t.after(async () => { await Promise.all([agencyNode.stop(), home.stop()]) })

  await startConnectedTo(home, agencyNode)

  const item = await inboxAdded(home as never, a.id, AbortSignal.timeout(15_000))
  assert.equal(item.id, a.id)
})

test('item 8: a cell-mate that reboots holding a live request is asked for it when it subscribes, by a neighbour that connected to it before its network started', async (t) => {
  const a = agency.request()
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-reach-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const home = { dir, keys: await generateKeys('resident') }
  // Its last run: it learnt the request (from whoever; here a catch-up answer) and kept it in its database.
  const before = await resident('cell-mate', home)
  await before.start()
  assert.equal((await before.services.network.ingest(a.bytes, { cells: before.services.network.cells() })).result, 'accept')
  await before.stop()

  // Pearl St in the demo: in the area, but its dial to the agency was refused, so only cell-mates can tell it.
  const neighbour = await resident('neighbour')
  await neighbour.start()
  const mate = await resident('cell-mate', home)
  t.after(async () => { await Promise.all([neighbour.stop(), mate.stop()]) })
  // The cell-mate is identified while its request network is not running, so its identify lists no
  // catch-up protocol and the neighbour does not ask it then.
  await startConnectedTo(mate, neighbour)

  const item = await inboxAdded(neighbour as never, a.id, AbortSignal.timeout(15_000))
  assert.equal(item.id, a.id)
})

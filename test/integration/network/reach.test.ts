// Issue 15, items 7 and 8: a live request reaches every in-area resident that a peer holding it can reach,
// whatever the order in which connections, identify, subscriptions and the publish happen.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { cellToLatLng, cellToParent } from 'h3-js'
import type { PeerId } from '@libp2p/interface'
import { createNode, defineService, residentRole, type PorchlightNode, type ResidentServices } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
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

/** A resident node, built but not started (so a test can connect its libp2p before its services start). */
async function resident (name: string): Promise<PorchlightNode<ResidentServices>> {
  const [lat, lng] = cellToLatLng(area[0]!)
  return await createNode({
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

test('item 7: a resident whose bootstrap agency was connected and identified before its services started gets the agency\'s live request', async (t) => {
  const a = agency.request()
  const agencyNode = await desk([a.bytes])
  const home = await resident('rebooted home')
  t.after(async () => { await Promise.all([agencyNode.stop(), home.stop()]) })

  // What a reboot does: libp2p starts (and dials its bootstrap peer) before the node's services start.
  await home.libp2p.start()
  const seen = identified(home, agencyNode.peerId, AbortSignal.timeout(15_000))
  await home.libp2p.dial(agencyNode.libp2p.getMultiaddrs())
  await seen
  await home.start()

  const item = await inboxAdded(home as never, a.id, AbortSignal.timeout(15_000))
  assert.equal(item.id, a.id)
})

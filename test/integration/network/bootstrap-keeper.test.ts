// Issue 15, item 8: a node keeps dialling its bootstrap peers. In the demo an in-area resident's one dial to
// the publishing agency was refused (libp2p accepts `inboundConnectionThreshold` inbound connections a second
// from one host) and nothing dialled it again, so no peer on its topic could tell it the request. Here the
// agency accepts one a second and two residents on 127.0.0.1 bootstrap from it at once: one first dial is
// refused, the keeper dials again, and the new connection's catch-up (item 7) brings the live request.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToLatLng, cellToParent } from 'h3-js'
import { createNode, defineService, residentRole, type PorchlightNode, type ResidentServices } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { announcementMessageId, requestNetwork, type RequestNetwork, type RequestNetworkInit } from '../../../node/network/index.js'
import { stubChain } from '../../helpers/stub-chain.js'
import { TestAgency } from '../../helpers/announcements.js'
import { inboxAdded } from '../../helpers/resident-network.js'
import { AGENCY_KEY, DOMAIN, NOW, sampleRequest } from '../../helpers/messages.js'

const agency = new TestAgency(AGENCY_KEY, DOMAIN)
const area = sampleRequest().cells
// The registry and the clock are stubs: this test is about who dials whom, not the chain.
const network: RequestNetworkInit = { now: () => NOW + 60 }
const chain = stubChain(async (a) => ({ address: a, name: 'Seattle PD', cells: [...new Set(area.map((c) => cellToParent(c, 5)))], validUntil: NOW + 86400, status: 'active' }), DOMAIN)

/** The agency's node as catch-up sees it: its desk's live requests, and one inbound connection a second per host. */
async function agencyNode (live: Uint8Array[]): Promise<PorchlightNode<{ network: RequestNetwork }>> {
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'agency', name: 'desk' }),
    services: { chain: defineService(chain, { needs: [] }), network: defineService(requestNetwork({ ...network, sources: [{ liveAnnouncements: async () => live }] }), { needs: ['chain'] }) },
    libp2p: { messageId: announcementMessageId, inboundConnectionThreshold: 1 },
    listenApi: false,
    staticDir: false
  }) as PorchlightNode<{ network: RequestNetwork }>
  await node.start()
  return node
}

async function resident (name: string, bootstrap: string[]): Promise<PorchlightNode<ResidentServices>> {
  const [lat, lng] = cellToLatLng(area[0]!)
  return await createNode({
    config: parseConfig({ version: 1, role: 'resident', name, bootstrap, cameras: [{ name: 'porch', lat, lng }] }),
    services: residentRole({ chain, network }),
    libp2p: { messageId: announcementMessageId, heartbeatIntervalMs: 200 },
    listenApi: false,
    staticDir: false
  })
}

async function counted (node: PorchlightNode<ResidentServices>, name: string): Promise<number> {
  const metric = node.services.metrics.registry.getSingleMetric(name)
  assert.ok(metric !== undefined, name)
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0)
}

test('two residents that bootstrap from one agency at once, one first dial refused by its rate limit, both get its live request', async (t) => {
  const a = agency.request()
  const desk = await agencyNode([a.bytes])
  const bootstrap = desk.libp2p.getMultiaddrs().map(String)
  const homes = [await resident('birch', bootstrap), await resident('pearl', bootstrap)]
  t.after(async () => { await Promise.all([desk.stop(), ...homes.map(async (h) => { await h.stop() })]) })

  const signal = AbortSignal.timeout(20_000)
  const arrived = homes.map(async (h) => await inboxAdded(h as never, a.id, signal))
  await Promise.all(homes.map(async (h) => { await h.start() }))

  const items = await Promise.all(arrived)
  assert.deepEqual(items.map((i) => i.id), [a.id, a.id])
  // The case this is about happened: a first dial was refused and dialled again.
  const failures = await Promise.all(homes.map(async (h) => await counted(h, 'porchlight_p2p_bootstrap_dial_failures_total')))
  assert.ok(failures.some((n) => n >= 1), `failures ${failures.join(',')}`)
  for (const h of homes) {
    assert.ok(await counted(h, 'porchlight_p2p_bootstrap_dials_total') >= 1)
    assert.equal(await counted(h, 'porchlight_p2p_bootstrap_peers_disconnected'), 0)
  }
})

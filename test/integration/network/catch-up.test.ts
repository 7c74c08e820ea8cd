import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToLatLng, cellToParent } from 'h3-js'
import { createNode, defineService, residentRole, type PorchlightNode, type ResidentServices } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { announcementMessageId, askForLive, requestNetwork, type RequestNetwork, type RequestNetworkInit, type ValidatedEvent } from '../../../node/network/index.js'
import { stubChain } from '../../helpers/stub-chain.js'
import { topicCells } from '../../../protocol/index.js'
import { TestAgency } from '../../helpers/announcements.js'
import { inboxAdded } from '../../helpers/resident-network.js'
import { AGENCY_KEY, DOMAIN, NOW, sampleRequest } from '../../helpers/messages.js'

const agency = new TestAgency(AGENCY_KEY, DOMAIN)
const area = sampleRequest().cells
const cells7 = topicCells(area)
// The registry and the clock are stubs: these tests are about the catch-up protocol, not the chain.
const network: RequestNetworkInit = { now: () => NOW + 60 }
const chain = stubChain(async (a) => ({ address: a, name: 'Seattle PD', cells: [...new Set(area.map((c) => cellToParent(c, 5)))], validUntil: NOW + 86400, status: 'active' }), DOMAIN)

async function resident (name: string): Promise<PorchlightNode<ResidentServices>> {
  const [lat, lng] = cellToLatLng(area[0]!)
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'resident', name, cameras: [{ name: 'porch', lat, lng }] }),
    services: residentRole({ chain, network }),
    libp2p: { messageId: announcementMessageId },
    listenApi: false,
    staticDir: false
  })
  await node.start()
  return node
}

test('a late node catches up from a peer\'s extra source (an agency desk) and validates every answer like gossip', async (t) => {
  const desk = await createNode({
    config: parseConfig({ version: 1, role: 'agency', name: 'desk' }),
    services: { chain: defineService(chain, { needs: [] }), network: defineService(requestNetwork(network), { needs: ['chain'] }) },
    libp2p: { messageId: announcementMessageId },
    listenApi: false,
    staticDir: false
  }) as PorchlightNode<{ network: RequestNetwork }>
  await desk.start()
  const late = await resident('late')
  t.after(async () => { await Promise.all([desk.stop(), late.stop()]) })

  const a = agency.request()
  const elsewhere = agency.request({ cells: ['89283082803ffff'] }) // San Francisco: no cell asked for
  // What an agency's request desk answers: its live announcements (here with a bad one and an off-area one).
  desk.services.network.addSource({ liveAnnouncements: async () => [new Uint8Array([0xff, 0x00]), elsewhere.bytes, a.bytes] })
  const outcomes: string[] = []
  late.services.network.on('announcement:validated', (e: ValidatedEvent) => { outcomes.push(e.outcome.result === 'accept' ? 'accept' : e.outcome.error.name) })

  await late.libp2p.dial(desk.libp2p.getMultiaddrs())
  const item = await inboxAdded(late as never, a.id, AbortSignal.timeout(15_000))
  assert.equal(item.status, 'new')
  assert.deepEqual(outcomes.sort(), ['MalformedEncodingError', 'WrongTopicError', 'accept'])
})

test('a resident answers catch-up for every live request of its cells, whether it ignored it or not', async (t) => {
  const a = await resident('a')
  const b = await resident('b')
  t.after(async () => { await Promise.all([a.stop(), b.stop()]) })
  const announced = agency.request()
  assert.equal((await a.services.network.ingest(announced.bytes, { cells: cells7 })).result, 'accept')
  await inboxAdded(a as never, announced.id, AbortSignal.timeout(15_000))
  await a.services.inbox.ignore(announced.id)
  await b.libp2p.dial(a.libp2p.getMultiaddrs())
  const answer = await askForLive(b.libp2p, a.peerId, cells7)
  assert.deepEqual(answer.map((x) => Buffer.from(x).toString('hex')), [Buffer.from(announced.bytes).toString('hex')])
  assert.deepEqual(await askForLive(b.libp2p, a.peerId, ['872830828ffffff']), [])
  await assert.rejects(askForLive(b.libp2p, a.peerId, area), (e: any) => e.name === 'RemoteError' && e.details.code === 'INVALID_CATCH_UP_REQUEST')
})

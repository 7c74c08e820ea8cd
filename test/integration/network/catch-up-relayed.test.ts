// Catch-up over a relayed connection (issue 16): two households behind routers may only ever meet through a
// relay (DCUtR cannot upgrade two NATed TCP nodes, docs/network.md), so the catch-up question and its answer
// must run on the relay's limited connection. Real TCP nodes on 127.0.0.1: a relay, B holding a reservation
// there and answering catch-up, A dialling B's relayed address and asking.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cellToParent } from 'h3-js'
import { multiaddr } from '@multiformats/multiaddr'
import { createPorchlightLibp2p, type PorchlightLibp2p } from '../../../node/p2p/index.js'
import { askForLive, handleCatchUp } from '../../../node/network/catch-up.js'
import { sampleRequest } from '../../helpers/messages.js'

const cell = cellToParent(sampleRequest().cells[0]!, 7)
const announcement = new Uint8Array([1, 2, 3, 4])

async function relayedAddress (node: PorchlightLibp2p): Promise<string> {
  const find = (): string | undefined => node.getMultiaddrs().map(String).find((a) => a.includes('/p2p-circuit'))
  while (find() === undefined) await new Promise((resolve) => { node.addEventListener('self:peer:update', resolve, { once: true }) })
  return find()!
}

test('a catch-up question and its answer run over a relayed connection', async (t) => {
  const nodes: PorchlightLibp2p[] = []
  t.after(async () => { for (const n of nodes.reverse()) await n.stop() })
  const relay = await createPorchlightLibp2p({ relayServer: { maxReservations: 8, gossip: { durationSeconds: 60, dataBytes: 1 << 20 } } })
  nodes.push(relay)
  const relayAddr = relay.getMultiaddrs()[0]!.toString()
  const b = await createPorchlightLibp2p({ bootstrap: [relayAddr], reservations: 1 })
  nodes.push(b)
  await handleCatchUp(b, [{ liveAnnouncements: async (cells) => cells.includes(cell) ? [announcement] : [] }], () => Date.now())
  const a = await createPorchlightLibp2p({ bootstrap: [relayAddr] })
  nodes.push(a)

  const connection = await a.dial(multiaddr(await relayedAddress(b)))
  assert.match(connection.remoteAddr.toString(), /\/p2p-circuit\//)
  assert.ok(connection.limits !== undefined, 'a relayed connection is limited')

  const answer = await askForLive(a, b.peerId, [cell])
  assert.deepEqual(answer, [announcement])
  // It went over the relayed connection: A has no other to B.
  assert.deepEqual(a.getConnections(b.peerId).map((c) => c.remoteAddr.toString().includes('/p2p-circuit')), [true])
})

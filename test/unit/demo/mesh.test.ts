import { test } from 'node:test'
import assert from 'node:assert/strict'
import { missingLinks, type MeshNode } from '../../../node/demo/index.js'

const hub = { peerId: 'north', addr: '/ip4/127.0.0.1/tcp/1/p2p/north' }
const at = (peerId: string): { peerId: string, addr: string } => ({ peerId, addr: `/ip4/127.0.0.1/tcp/1/p2p/${peerId}` })
const node = (peerId: string, ...bootstrap: string[]): MeshNode => ({ peerId, bootstrap: bootstrap.map(at) })

test('an in-area resident whose dial to the publishing agency was refused is a missing link, though the graph is connected', () => {
  // The demo's miss (issue 15, item 8): Pearl St (r3) reached the mesh only through the south agency and an
  // out-of-area neighbour, so no peer on its topic could send it the request.
  const nodes = [node('north'), node('south', 'north'), node('r1', 'north', 'south'), node('r2', 'north', 'south'), node('r3', 'north', 'south', 'r2')]
  const edges = [['south', 'north'], ['r1', 'north'], ['r1', 'south'], ['r2', 'north'], ['r2', 'south'], ['r3', 'south'], ['r3', 'r2']] as const
  assert.deepEqual(missingLinks(nodes, edges, hub), [{ from: 'r3', to: 'north', addr: at('north').addr }])
  assert.deepEqual(missingLinks(nodes, [...edges, ['north', 'r3']], hub), [], 'a link counts in either direction')
})

test('a node with no bootstrap list outside the hub\'s component dials the hub; links to peers that are not running are not asked for', () => {
  const nodes = [node('north'), node('auditor'), node('r1', 'north', 'gone')]
  assert.deepEqual(missingLinks(nodes, [['r1', 'north']], hub), [{ from: 'auditor', to: 'north', addr: hub.addr }])
})

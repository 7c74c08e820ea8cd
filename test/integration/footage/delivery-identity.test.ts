// Issue 15, item 4: a resident's deliveries must not reveal its node's long-term identity. Real nodes over
// TCP: an agency (its footage receiver) and one resident (the shares service on a stub inbox and clip
// store). The agency watches, in front of its handlers, which peer each footage, deletion and tile stream
// comes from: every attempt arrives under a peer id of its own, never the resident's gossip peer id.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import type { Connection } from '@libp2p/interface'
import { clipCid, type SignedRequest } from '../../../protocol/index.js'
import { createNode, defineService, type NodeComponents, type PorchlightNode } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { AUDIT_PROTOCOL, ResidentFootage, type ShareRecord, type StoredClip } from '../../../node/shares/index.js'
import { createDeliveryLibp2p } from '../../../node/shares/delivery-identity.js'
import { DELETION_PROTOCOL, FOOTAGE_PROTOCOL } from '../../../node/footage/index.js'
import { createPorchlightLibp2p, handleRequests } from '../../../node/p2p/index.js'
import { UnknownLogPathError } from '../../../node/log/errors.js'
import { byteStream, randomClip } from '../../support/byte-streams.js'
import { now, startAgency, type TestAgency } from '../../helpers/footage.js'
import { DOMAIN, NOW } from '../../helpers/messages.js'

const PORCH = { name: 'porch', lat: 47.6062, lng: -122.3321 }
const RELAY_STOP = '/libp2p/circuit/relay/0.2.0/stop'

let agency: TestAgency
let resident: PorchlightNode<{ footage: ResidentFootage }>
let request: SignedRequest
let id: string
const clips = new Map<string, StoredClip & { bytes: Uint8Array }>()
/** The remote peer of every stream opened to the agency, per protocol, in arrival order. */
const seen: Record<string, string[]> = { [FOOTAGE_PROTOCOL]: [], [DELETION_PROTOCOL]: [], [AUDIT_PROTOCOL]: [] }
/** The anchor the resident's stub chain reports (none until a test sets one). */
let anchor: { treeSize: number, root: string } | undefined
/** Connections the agency saw close, by remote peer. */
const closed = new Map<string, Connection>()

function addClip (bytes: Uint8Array): StoredClip {
  const clip = { cid: clipCid(bytes).toString(), size: bytes.length, camera: PORCH.name, start: NOW - 3 * 3600, end: NOW - 3 * 3600 + 60, contentType: 'video/mp4' }
  clips.set(clip.cid, { ...clip, bytes })
  return clip
}

async function settled (shareId: string): Promise<ShareRecord> {
  const footage = resident.services.footage
  const current = await footage.get(shareId)
  if (current.state === 'delivered' || current.state === 'failed') return current
  for (;;) {
    const [s] = await once(footage, 'share:changed') as [ShareRecord]
    if (s.id === shareId && (s.state === 'delivered' || s.state === 'failed')) return s
  }
}

/** Resolves once the agency saw the connection from `peer` close (the single-use node was stopped). */
async function closedFrom (peer: string): Promise<void> {
  while (!closed.has(peer)) await once(agency.libp2p, 'connection:close')
}

before(async () => {
  agency = await startAgency()
  // Only the footage receiver is real here; a deletion request and a tile read are answered just to see from whom.
  await handleRequests<unknown, { entries: number[] }>(agency.libp2p, DELETION_PROTOCOL, async () => ({ entries: [agency.log.entries.length - 1] }))
  await handleRequests<unknown, Uint8Array>(agency.libp2p, AUDIT_PROTOCOL, async (path) => { throw new UnknownLogPathError(String(path)) })
  for (const protocol of Object.keys(seen)) {
    agency.libp2p.use(protocol, (stream, connection, next) => { seen[protocol]!.push(connection.remotePeer.toString()); next(stream, connection) })
  }
  agency.libp2p.addEventListener('connection:close', (e) => { closed.set(e.detail.remotePeer.toString(), e.detail) })
  const issued = await agency.issue()
  request = issued.signed
  id = issued.id

  resident = await createNode<{ footage: ResidentFootage }>({
    config: parseConfig({ version: 1, role: 'resident', name: 'ann', cameras: [PORCH] }),
    services: {
      footage: defineService((c: NodeComponents) => new ResidentFootage(c, {
        inbox: { get: async (i) => i === id ? { request, status: 'new' } : undefined },
        clips: {
          get: async (cid) => { const c = clips.get(cid); return c === undefined ? undefined : { cid: c.cid, size: c.size, camera: c.camera, start: c.start, end: c.end, contentType: c.contentType } },
          open: async (cid) => byteStream(clips.get(cid)!.bytes, 64 * 1024)
        },
        domain: DOMAIN,
        now,
        chain: { latestAnchor: async () => anchor }
      }), { needs: [] })
    },
    listenApi: false,
    staticDir: false
  })
  await resident.start()
})

after(async () => {
  await resident?.stop()
  await agency?.stop()
})

test('two consents from one resident arrive under two peer ids, neither its gossip peer id, each node stopped after', async () => {
  const footage = resident.services.footage
  const first = await footage.consent(id, [addClip(randomClip(300_000)).cid])
  assert.equal((await settled(first.id)).state, 'delivered')
  const second = await footage.consent(id, [addClip(randomClip(5_000)).cid])
  assert.equal((await settled(second.id)).state, 'delivered')

  assert.deepEqual([...agency.deliveries.keys()].sort(), [first.id, second.id].sort())
  const peers = seen[FOOTAGE_PROTOCOL]!
  assert.equal(peers.length, 2)
  assert.notEqual(peers[0], peers[1])
  const gossipId = resident.peerId.toString()
  assert.ok(!peers.includes(gossipId))
  // The household's own node never even connected to the agency.
  assert.equal(agency.libp2p.getConnections(resident.peerId).length, 0)
  assert.equal(closed.has(gossipId), false)
  // Each single-use node was stopped once its delivery ended: the agency saw its connection go.
  for (const peer of peers) await closedFrom(peer)
})

test('a retry after a refusal comes from a fresh identity again, not the failed attempt\'s', async () => {
  const footage = resident.services.footage
  const before = seen[FOOTAGE_PROTOCOL]!.length
  const record = agency.requests.get(id)!
  record.status = 'expired'
  const share = await footage.consent(id, [addClip(randomClip(2_000)).cid])
  const failed = await settled(share.id)
  assert.equal(failed.state, 'failed')
  assert.equal(failed.error?.code, 'REQUEST_EXPIRED')
  record.status = 'live'
  await footage.retry(share.id)
  assert.equal((await settled(share.id)).state, 'delivered')

  const attempts = seen[FOOTAGE_PROTOCOL]!.slice(before)
  assert.equal(attempts.length, 2)
  assert.equal(new Set([...attempts, ...seen[FOOTAGE_PROTOCOL]!.slice(0, before), resident.peerId.toString()]).size, before + 3)
})

test('a deletion request (signed by the consent key, so it names the consent) comes from a fresh identity too', async () => {
  const footage = resident.services.footage
  const [share] = (await footage.list()).filter((s) => s.state === 'delivered')
  const asked = await footage.requestDeletion(share!.id)
  assert.equal(asked.deletion?.entries.length, 1)
  const [peer] = seen[DELETION_PROTOCOL]!
  assert.equal(seen[DELETION_PROTOCOL]!.length, 1)
  assert.ok(peer !== resident.peerId.toString() && !seen[FOOTAGE_PROTOCOL]!.includes(peer!))
  await closedFrom(peer!)
})

test('a receipt\'s status check reads the agency\'s tiles from a fresh identity, not the node\'s own', async () => {
  const footage = resident.services.footage
  const [share] = (await footage.list()).filter((s) => s.state === 'delivered')
  assert.equal((await footage.get(share!.id)).status, 'logged')
  assert.equal(seen[AUDIT_PROTOCOL]!.length, 0)
  // An anchor past the receipt's checkpoint: the status needs a consistency proof, so tiles are read.
  anchor = { treeSize: share!.checkpointSize! + 300, root: '0x' + '11'.repeat(32) }
  await assert.rejects(footage.get(share!.id), (err: Error & { details?: { code?: string } }) => err.name === 'RemoteError' && err.details?.code === 'UNKNOWN_LOG_PATH')
  anchor = undefined
  const [peer] = seen[AUDIT_PROTOCOL]!
  assert.ok(peer !== undefined && peer !== resident.peerId.toString() && !seen[FOOTAGE_PROTOCOL]!.includes(peer))
  await closedFrom(peer)
})

test('eight consents at once all arrive, each from its own identity: new identities are paced under the agency\'s limit per host', async () => {
  // libp2p refuses a sixth new connection a second from one host; unpaced, three of these eight failed.
  const footage = resident.services.footage
  const before = seen[FOOTAGE_PROTOCOL]!.length
  const shares = await Promise.all(Array.from({ length: 8 }, async () => await footage.consent(id, [addClip(randomClip(2_000)).cid])))
  const outcomes = await Promise.all(shares.map(async (s) => await settled(s.id)))
  assert.deepEqual(outcomes.map((s) => s.state), Array(8).fill('delivered'))
  assert.equal(new Set(seen[FOOTAGE_PROTOCOL]!.slice(before)).size, 8)
})

test('a single-use node listens nowhere and answers no protocol: no identify, gossip or ping to tell it by', async () => {
  const node = await createDeliveryLibp2p()
  try {
    assert.deepEqual(node.getMultiaddrs(), [])
    // The relay transport (issue 16: deliveries through a relay) names its stop protocol, and takes no stream on it (below).
    assert.deepEqual(node.getProtocols(), [RELAY_STOP])
    assert.notEqual(node.peerId.toString(), resident.peerId.toString())
  } finally { await node.stop() }
})

test('a peer the single-use node dialled cannot relay a connection to it, nor make it reserve there', async () => {
  // A relay server, as an agency is: a stop stream from it would otherwise make the node listen (reserve) on it.
  const peer = await createPorchlightLibp2p({ relayServer: { maxReservations: 8, gossip: { durationSeconds: 60, dataBytes: 1 << 20 } } })
  const node = await createDeliveryLibp2p()
  try {
    const inbound = once(peer, 'connection:open') as Promise<[CustomEvent<Connection>]>
    const connection = await node.dial(peer.getMultiaddrs())
    const back = (await inbound)[0].detail
    // The node ends the stream at once (it takes none); one it took would wait for a stop message, having
    // first started listening on the peer, i.e. reserving there.
    const stream = await back.newStream(RELAY_STOP, { runOnLimitedConnection: true })
    let bytes = 0
    try { for await (const chunk of stream) bytes += chunk.byteLength } catch { /* a reset ends it too */ }
    assert.equal(bytes, 0)
    assert.equal(connection.status, 'open')
    assert.deepEqual(node.getMultiaddrs(), [])
    assert.equal(peer.services.relay!.reservations.size, 0)
  } finally {
    await node.stop()
    await peer.stop()
  }
})

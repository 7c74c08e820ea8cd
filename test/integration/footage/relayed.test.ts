// Footage through a relay (issue 16), with real nodes over TCP on 127.0.0.1: a relay on the embedded chain, an
// agency holding a reservation on it (and proving itself there), and a resident whose config says
// `delivery.via: "relay"`. The relay's gossip limit is set low (256 KiB), so a 1.5 MiB clip passes only with
// the footage limit the agency's proof earned; a peer that is no agency is cut at the gossip limit on the
// same relay; forged proofs are refused with typed errors and counted.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { Wallet } from 'ethers'
import type { Connection } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { createPorchlightLibp2p, framed, sendRequest, type PorchlightLibp2p } from '../../../node/p2p/index.js'
import { createDeliveryLibp2p } from '../../../node/shares/delivery-identity.js'
import { RELAY_AGENCY_PROTOCOL, signRelayProof } from '../../../node/p2p/relay-limits.js'
import { randomClip } from '../../support/byte-streams.js'
import { addClip, call, draft, issueRequest, relayedAddr, shareWhere, startFootageWorld, type FootageWorld, type RelayNode } from '../../helpers/footage-world.js'

const GOSSIP_BYTES = 256 * 1024
const SINK = '/porchlight-test/sink/1.0.0'
const PROOF_SECONDS = 8

let world: FootageWorld
let relay: RelayNode
const opened: Connection[] = []
const onOpen = (evt: CustomEvent<Connection>): void => { opened.push(evt.detail) }

before(async () => {
  // Proofs of 8 s, renewed 2 s before they end: the renewal shows within the file's run.
  world = await startFootageWorld({ relay: { gossip: { durationSeconds: 600, dataBytes: GOSSIP_BYTES } }, agency: { relayProofs: { lifetimeSeconds: PROOF_SECONDS } } })
  relay = world.relay!
  world.agency.libp2p.addEventListener('connection:open', onOpen)
  // The agency proves itself once its reservation shows (the world waited for the address, not the proof).
  if (relay.services.relayLimits.proven === 0) await once(relay.services.relayLimits, 'proof:accepted', { signal: AbortSignal.timeout(15_000) })
})
after(async () => {
  world?.agency.libp2p.removeEventListener('connection:open', onOpen)
  await world?.stop()
})

test('the agency\'s relayed address is in its requests, and its reservation on the relay carries the footage limit', async () => {
  const { json } = await issueRequest(world, draft({ caseCode: 'RELAY-0' }))
  const relayed = json.request.addrs.filter((a: string) => a.includes('/p2p-circuit'))
  assert.deepEqual(relayed, [await relayedAddr(world.agency.libp2p, relay)])
  const limit = relay.libp2p.services.relay!.reservations.get(world.agency.peerId)?.limit
  assert.equal(limit?.data, BigInt(64 * 1024 ** 3))
})

test('via "relay": 1.5 MiB of footage reaches the agency through the relay, over a /p2p-circuit connection, above the gossip limit', { timeout: 60_000 }, async () => {
  const ann = await world.resident('ann', [], { delivery: { via: 'relay' } })
  const { id } = await issueRequest(world, draft({ caseCode: 'RELAY-1' }))
  const bytes = randomClip(1.5 * 1024 * 1024)
  const cid = await addClip(ann, bytes, Math.floor(Date.now() / 1000) - 1800)
  const before = opened.length
  const consent = await call(ann, 'POST', `/api/inbox/${id}/consent`, { clips: [cid] })
  assert.equal(consent.status, 202, JSON.stringify(consent.json))
  const share = await shareWhere(ann, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(share.state, 'delivered', JSON.stringify(share.error))

  const record = await world.agency.services.footage.delivery(consent.json.id)
  assert.equal(record?.via, 'relay')
  // Every connection the delivery opened to the agency came through the relay: none shows the resident's address.
  const fresh = opened.slice(before).filter((c) => c.direction === 'inbound' && c.remotePeer.toString() !== relay.peerId.toString())
  assert.ok(fresh.length >= 1)
  for (const c of fresh) {
    assert.match(c.remoteAddr.toString(), new RegExp(`/p2p/${relay.peerId.toString()}/p2p-circuit/p2p/`))
    assert.notEqual(c.remotePeer.toString(), ann.peerId.toString())
  }
  // The receipt check reads the agency's log through the relay too.
  assert.equal((await call(ann, 'GET', `/api/shares/${consent.json.id}`)).json.status, 'logged')
})

test('via "direct": the agency sees a direct connection, and the record says so', { timeout: 60_000 }, async () => {
  const bob = await world.resident('bob')
  const { id } = await issueRequest(world, draft({ caseCode: 'RELAY-2' }))
  const cid = await addClip(bob, randomClip(100_000), Math.floor(Date.now() / 1000) - 1800)
  const consent = await call(bob, 'POST', `/api/inbox/${id}/consent`, { clips: [cid] })
  const share = await shareWhere(bob, consent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(share.state, 'delivered', JSON.stringify(share.error))
  assert.equal((await world.agency.services.footage.delivery(consent.json.id))?.via, 'direct')
})

/** A libp2p node holding a reservation on the relay (no agency proof), reading SINK streams to the end. */
async function sinkBehindRelay (): Promise<{ node: PorchlightLibp2p, addr: string, received: () => number }> {
  const node = await createPorchlightLibp2p({ reservations: 1, bootstrap: relay.libp2p.getMultiaddrs().map(String) })
  let received = 0
  await node.handle(SINK, async (stream) => {
    const frames = framed(stream, { maxFrameBytes: 128 * 1024 })
    try { for (;;) received += (await frames.readBytes()).byteLength } catch { /* the relay cut the stream: what arrived is counted */ }
  }, { runOnLimitedConnection: true })
  const addr = await relayedAddr(node, relay)
  return { node, addr, received: () => received }
}

/** Writes 64 KiB frames to `addr` until `total` bytes or the stream fails; the bytes written before it failed. */
async function pour (addr: string, total: number): Promise<{ written: number, failed: boolean }> {
  const sender = await createDeliveryLibp2p()
  let written = 0
  try {
    const stream = await sender.dialProtocol(multiaddr(addr), SINK, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
    const frames = framed(stream, { maxFrameBytes: 128 * 1024, timeoutMs: 5000 })
    const chunk = randomClip(64 * 1024)
    while (written < total) { await frames.writeBytes(chunk); written += chunk.byteLength }
    await frames.close()
    return { written, failed: false }
  } catch {
    return { written, failed: true }
  } finally { await sender.stop() }
}

test('a reservation without an agency proof keeps the gossip limit: the relay cuts a stream past it', { timeout: 30_000 }, async () => {
  const sink = await sinkBehindRelay()
  try {
    assert.equal(relay.libp2p.services.relay!.reservations.get(sink.node.peerId)?.limit?.data, BigInt(GOSSIP_BYTES))
    const { written, failed } = await pour(sink.addr, 1024 * 1024)
    assert.ok(failed, `1 MiB passed a ${GOSSIP_BYTES}-byte limit`)
    assert.ok(written < 1024 * 1024)
    // Both directions count against the limit, and a frame in flight may be what crossed it.
    assert.ok(sink.received() <= GOSSIP_BYTES, `${sink.received()} bytes got through`)
  } finally { await sink.node.stop() }
})

test('forged and misdirected agency proofs are refused with typed errors, change no limit, and are counted', { timeout: 30_000 }, async () => {
  const sink = await sinkBehindRelay()
  const relayPeer = relay.peerId.toString()
  const peer = sink.node.peerId.toString()
  const expiresAt = Math.floor(Date.now() / 1000) + 600
  const code = async (proof: unknown): Promise<string | undefined> => {
    try { await sendRequest(sink.node, relay.peerId, RELAY_AGENCY_PROTOCOL, proof); return undefined } catch (err) { return (err as { details?: { code?: string } }).details?.code }
  }
  try {
    // A key the council never registered.
    assert.equal(await code(signRelayProof({ agencyPeer: peer, relayPeer, expiresAt }, Wallet.createRandom().privateKey)), 'AGENCY_NOT_ACTIVE')
    // The agency's own words replayed from another peer, or aimed at another relay, or expired, or unsigned.
    const agencyKey = world.agency.keys.agencyKey!
    assert.equal(await code(signRelayProof({ agencyPeer: world.agency.peerId.toString(), relayPeer, expiresAt }, agencyKey)), 'INVALID_RELAY_PROOF')
    assert.equal(await code(signRelayProof({ agencyPeer: peer, relayPeer: world.agency.peerId.toString(), expiresAt }, agencyKey)), 'INVALID_RELAY_PROOF')
    assert.equal(await code({ ...signRelayProof({ agencyPeer: peer, relayPeer, expiresAt }, agencyKey), expiresAt: expiresAt + 1 }), 'AGENCY_NOT_ACTIVE')
    assert.equal(await code('not a proof'), 'RELAY_PROOF_RATE_LIMITED')
    assert.equal(relay.libp2p.services.relay!.reservations.get(sink.node.peerId)?.limit?.data, BigInt(GOSSIP_BYTES))
    const text = await relay.services.metrics.registry.metrics()
    assert.match(text, /porchlight_relay_agency_proof_refusals_total\{code="AGENCY_NOT_ACTIVE"\} 2/)
    assert.match(text, /porchlight_relay_agency_proof_refusals_total\{code="INVALID_RELAY_PROOF"\} 2/)
    assert.match(text, /porchlight_relay_agency_proof_refusals_total\{code="RELAY_PROOF_RATE_LIMITED"\} 1/)
  } finally { await sink.node.stop() }
})

test('the agency renews its proof before it expires, and the relay keeps its footage limit', { timeout: 30_000 }, async () => {
  const [renewed] = await once(relay.services.relayLimits, 'proof:accepted', { signal: AbortSignal.timeout(PROOF_SECONDS * 1000 + 5000) })
  assert.equal(renewed.peer, world.agency.peerId.toString())
  assert.ok(renewed.expiresAt > Math.floor(Date.now() / 1000) + PROOF_SECONDS / 2)
  assert.equal(relay.libp2p.services.relay!.reservations.get(world.agency.peerId)?.limit?.data, BigInt(64 * 1024 ** 3))
})

test('a suspended agency\'s reservation goes back to the gossip limit at once', { timeout: 30_000 }, async () => {
  const revoked = once(relay.services.relayLimits, 'limit:revoked', { signal: AbortSignal.timeout(20_000) })
  await world.council.suspendAgency(world.address, 'test')
  const [{ reason, peer }] = await revoked
  assert.equal(reason, 'not-active')
  assert.equal(peer, world.agency.peerId.toString())
  assert.equal(relay.libp2p.services.relay!.reservations.get(world.agency.peerId)?.limit?.data, BigInt(GOSSIP_BYTES))
})

import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { verifyTypedData } from 'ethers'
import {
  decodeAnnouncement, encodeLogEntry, hashLeaf, identityToRecipient, parseIdentityFile, requestId, topicCells,
  topicName, verifyCheckpoint, verifyInclusion, type Announcement
} from '../../../protocol/index.js'
import { createPorchlightLibp2p, joinTopic, waitForTopicPeer, type PorchlightLibp2p } from '../../../node/p2p/index.js'
import { announcementMessageId, draft, startAgencyFixture, type AgencyFixture } from '../../helpers/agency-fixture.js'

let f: AgencyFixture
before(async () => { f = await startAgencyFixture() })
after(async () => { await f.stop() })

async function subscriber (topics: string[]): Promise<PorchlightLibp2p> {
  const node = await createPorchlightLibp2p({ bootstrap: f.node.libp2p.getMultiaddrs().map(String), messageId: announcementMessageId, heartbeatIntervalMs: 200 })
  for (const topic of topics) joinTopic(node, topic)
  return node
}

/** The id of the request an announcement is about (its own id, or the one it withdraws). */
function aboutRequest (a: Announcement): string {
  return a.kind === 'request' ? requestId(a.request) : a.withdrawal.message.request
}

/** Collects the announcements `node` receives on `topic`; `next` finds one by kind and request id. */
function collect (node: PorchlightLibp2p, topic: string): { next: (kind: Announcement['kind'], id: string) => Promise<Announcement> } {
  const seen: Announcement[] = []
  const waiters = new Set<() => void>()
  node.services.pubsub.addEventListener('message', (evt) => {
    if (evt.detail.topic !== topic) return
    seen.push(decodeAnnouncement(evt.detail.data))
    for (const w of waiters) w()
  })
  return {
    next: async (kind, id) => await new Promise((resolve) => {
      const check = (): void => {
        const found = seen.find((a) => a.kind === kind && aboutRequest(a) === id)
        if (found !== undefined) { waiters.delete(check); resolve(found) }
      }
      waiters.add(check)
      check()
    })
  }
}

/** What a refusal must leave untouched. */
async function snapshot (): Promise<{ logSize: number, files: number, stored: number }> {
  return { logSize: f.log.tree.size, files: (await f.identityFiles()).length, stored: (await f.api('GET', '/api/requests')).json.length }
}

test('a request is signed, logged, stored, and announced on every res-7 topic of its area', { timeout: 30_000 }, async (t) => {
  // Subscribers first, on each topic the 300 m circle on a cell corner touches.
  const probe = await f.api('POST', '/api/requests', draft({ caseCode: 'PROBE-1' }))
  assert.equal(probe.status, 201, JSON.stringify(probe.json))
  const topics: string[] = probe.json.topics
  assert.ok(topics.length >= 2, 'the corner circle touches several res-7 cells')
  assert.deepEqual(topics, topicCells(probe.json.request.cells).map(topicName))
  const subs = await Promise.all(topics.map(async (topic) => await subscriber([topic])))
  t.after(async () => { await Promise.all(subs.map(async (s) => { await s.stop() })) })
  const signal = AbortSignal.timeout(15_000)
  await Promise.all(topics.map(async (topic) => await waitForTopicPeer(f.node.libp2p, topic, { signal })))

  const inboxes = topics.map((topic, i) => collect(subs[i]!, topic))
  const created = await f.api('POST', '/api/requests', draft())
  assert.equal(created.status, 201, JSON.stringify(created.json))
  const view = created.json
  assert.equal(view.status, 'live')
  assert.equal(view.deliveries, 0)
  assert.equal(view.request.agency, f.address)
  assert.equal(view.request.peerId, f.node.peerId.toString())

  // Every subscriber, one per topic, receives the same decodable announcement.
  for (const announcement of await Promise.all(inboxes.map(async (inbox) => await inbox.next('request', view.id)))) {
    assert.equal(announcement.kind, 'request')
    if (announcement.kind !== 'request') continue
    assert.equal(requestId(announcement.request), view.id)
    assert.equal(announcement.logIndex, view.logIndex)
  }

  // The EIP-712 JSON alone verifies with ethers.
  const { domain, types, message } = view.eip712
  const { EIP712Domain: _, ...messageTypes } = types
  assert.equal(verifyTypedData(domain, messageTypes, message, view.signature), f.address)
  assert.equal(domain.verifyingContract, f.chain.deployment!.contracts.AgencyRegistry)

  // The log holds exactly this entry, and the proof leads to a checkpoint the agency signed.
  const signed = { message: view.request, signature: view.signature }
  const entry = encodeLogEntry({ kind: 'request', request: signed })
  assert.deepEqual(f.log.entries[view.logIndex], entry)
  const checkpoint = verifyCheckpoint(view.checkpoint, f.address, f.chain.chainId)
  verifyInclusion(hashLeaf(entry), view.logIndex, checkpoint.size, view.proof.map((h: string) => new Uint8Array(Buffer.from(h.slice(2), 'hex'))), checkpoint.root)

  // The request's age identity is on disk, owner-only, in age's identity-file format, for its recipient.
  const file = join(f.dir, 'keys', 'requests', `${view.id}.age`)
  assert.equal((await stat(file)).mode & 0o777, 0o600)
  const [identity] = parseIdentityFile(await readFile(file, 'utf8'))
  assert.equal(await identityToRecipient(identity!), view.request.recipient)

  // And the API shows it again.
  const got = await f.api('GET', `/api/requests/${view.id}`)
  assert.equal(got.status, 200)
  assert.deepEqual(got.json, view)
  const list = await f.api('GET', '/api/requests')
  assert.equal(list.json[0].id, view.id)
})

test('a request made before anyone subscribed is published when a topic peer appears', { timeout: 30_000 }, async (t) => {
  const created = await f.api('POST', '/api/requests', draft({ caseCode: 'LATE-1', center: { lat: 37.80, lng: -122.41 }, radiusMeters: 100 }))
  assert.equal(created.status, 201, JSON.stringify(created.json))
  const topic = created.json.topics[0]
  assert.ok(f.node.services.requests.publisher.pending().some((p) => p.id === created.json.id && p.topic === topic))
  const late = await subscriber([topic])
  t.after(async () => { await late.stop() })
  const announcement = await collect(late, topic).next('request', created.json.id)
  assert.equal(announcement.kind, 'request')
  assert.equal(aboutRequest(announcement), created.json.id)
  assert.ok(!f.node.services.requests.publisher.pending().some((p) => p.id === created.json.id && p.topic === topic))
  // The catch-up source serves it too.
  const cell = topic.split('/').at(-1)
  const live = await f.node.services.requests.liveAnnouncements([cell], Math.floor(Date.now() / 1000))
  assert.ok(live.some((bytes) => aboutRequest(decodeAnnouncement(bytes)) === created.json.id))
})

test('refusals are 4xx with their codes and leave no log entry, identity file or stored request', { timeout: 30_000 }, async () => {
  const now = Date.now()
  const cases: Array<{ name: string, status: number, code: string, send: () => Promise<{ status: number, json: any }> }> = [
    { name: 'area too large', status: 422, code: 'AREA_TOO_LARGE', send: async () => await f.api('POST', '/api/requests', draft({ radiusMeters: 1500 })) },
    {
      name: 'window too long',
      status: 422,
      code: 'WINDOW_TOO_LONG',
      send: async () => await f.api('POST', '/api/requests', draft({ windowStart: new Date(now - 13 * 3_600_000).toISOString(), windowEnd: new Date(now - 60_000).toISOString() }))
    },
    { name: 'outside the jurisdiction', status: 403, code: 'OUTSIDE_JURISDICTION', send: async () => await f.api('POST', '/api/requests', draft({ center: { lat: 40.7128, lng: -74.006 } })) },
    { name: 'no token', status: 401, code: 'UNAUTHORIZED', send: async () => await f.api('POST', '/api/requests', draft(), null) },
    { name: 'wrong token', status: 401, code: 'UNAUTHORIZED', send: async () => await f.api('POST', '/api/requests', draft(), 'not-the-token') },
    { name: 'unknown field', status: 400, code: 'VALIDATION_FAILED', send: async () => await f.api('POST', '/api/requests', draft({ urgent: true })) },
    { name: 'unknown category', status: 400, code: 'VALIDATION_FAILED', send: async () => await f.api('POST', '/api/requests', draft({ category: 'immigration' })) },
    { name: 'not JSON', status: 400, code: 'MALFORMED_BODY', send: async () => await f.api('POST', '/api/requests', '{"caseCode":') },
    { name: 'two areas', status: 400, code: 'INVALID_AREA', send: async () => await f.api('POST', '/api/requests', draft({ cells: ['89283082803ffff'] })) },
    { name: 'no area', status: 400, code: 'INVALID_AREA', send: async () => await f.api('POST', '/api/requests', draft({ center: undefined, radiusMeters: undefined })) },
    { name: 'not res-9 cells', status: 400, code: 'INVALID_CELL', send: async () => await f.api('POST', '/api/requests', draft({ center: undefined, radiusMeters: undefined, cells: ['872830828ffffff'] })) },
    { name: 'text relays would not decode (a leading byte-order mark)', status: 400, code: 'MALFORMED_MESSAGE', send: async () => await f.api('POST', '/api/requests', draft({ title: '\ufeffBreak-in' })) },
    { name: 'retention too long', status: 422, code: 'RETENTION_TOO_LONG', send: async () => await f.api('POST', '/api/requests', draft({ retentionDays: 366 })) },
    { name: 'lifetime too long', status: 422, code: 'LIFETIME_TOO_LONG', send: async () => await f.api('POST', '/api/requests', draft({ lifetimeHours: 73 })) }
  ]
  for (const c of cases) {
    const before = await snapshot()
    const res = await c.send()
    assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(res.json)}`)
    assert.equal(res.json.error.code, c.code, c.name)
    assert.deepEqual(await snapshot(), before, c.name)
  }
})

test('a suspended agency cannot issue; reinstated, it can again', { timeout: 30_000 }, async () => {
  await f.council.suspendAgency(f.address, 'audit')
  const before = await snapshot()
  const res = await f.api('POST', '/api/requests', draft())
  assert.equal(res.status, 403, JSON.stringify(res.json))
  assert.equal(res.json.error.code, 'AGENCY_NOT_ACTIVE')
  assert.deepEqual(await snapshot(), before)
  await f.council.reinstateAgency(f.address)
  assert.equal((await f.api('POST', '/api/requests', draft())).status, 201)
})

test('when the log append fails, the call fails and nothing is kept or announced', { timeout: 30_000 }, async () => {
  const before = await snapshot()
  const pendingBefore = f.node.services.requests.publisher.pending().length
  f.log.failNext = true
  const res = await f.api('POST', '/api/requests', draft({ center: { lat: 37.80, lng: -122.41 }, radiusMeters: 100 }))
  assert.equal(res.status, 500)
  assert.equal(res.json.error.code, 'INTERNAL')
  assert.deepEqual(await snapshot(), before)
  assert.equal(f.node.services.requests.publisher.pending().length, pendingBefore)
})

test('withdraw: a signed, logged withdrawal gossiped on the same topics; only once', { timeout: 30_000 }, async (t) => {
  const created = (await f.api('POST', '/api/requests', draft({ caseCode: 'WD-1' }))).json
  const topic = created.topics[0]
  const sub = await subscriber([topic])
  t.after(async () => { await sub.stop() })
  await waitForTopicPeer(f.node.libp2p, topic, { signal: AbortSignal.timeout(15_000) })
  const inbox = collect(sub, topic)
  const size = f.log.tree.size
  const res = await f.api('POST', `/api/requests/${created.id}/withdraw`, {})
  assert.equal(res.status, 200, JSON.stringify(res.json))
  assert.equal(res.json.status, 'withdrawn')
  assert.equal(f.log.tree.size, size + 1)
  const w = res.json.withdrawal
  assert.equal(w.withdrawal.request, created.id)
  const { EIP712Domain: _, ...types } = w.eip712.types
  assert.equal(verifyTypedData(w.eip712.domain, types, w.eip712.message, w.signature), f.address)
  assert.deepEqual(f.log.entries[w.logIndex], encodeLogEntry({ kind: 'withdraw', withdrawal: { message: w.withdrawal, signature: w.signature } }))

  const announcement = await inbox.next('withdraw', created.id)
  assert.equal(announcement.kind, 'withdraw')
  if (announcement.kind === 'withdraw') assert.equal(announcement.withdrawal.message.request, created.id)

  const again = await f.api('POST', `/api/requests/${created.id}/withdraw`)
  assert.equal(again.status, 409)
  assert.equal(again.json.error.code, 'REQUEST_NOT_LIVE')
  assert.equal(f.log.tree.size, size + 1)
  assert.equal((await f.api('GET', `/api/requests/${created.id}`)).json.status, 'withdrawn')
})

test('unknown and malformed request ids', { timeout: 30_000 }, async () => {
  const unknown = await f.api('GET', '/api/requests/bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
  assert.equal(unknown.status, 404)
  assert.equal(unknown.json.error.code, 'REQUEST_NOT_FOUND')
  assert.equal((await f.api('GET', '/api/requests', undefined, null)).status, 401)
  const malformed = await f.api('GET', '/api/requests/not-an-id')
  assert.equal(malformed.status, 400)
  assert.equal(malformed.json.error.code, 'VALIDATION_FAILED')
  const withdrawUnknown = await f.api('POST', '/api/requests/bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy/withdraw', {})
  assert.equal(withdrawUnknown.status, 404)
  const withdrawWithFields = await f.api('POST', '/api/requests/bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy/withdraw', { reason: 'x' })
  assert.equal(withdrawWithFields.json.error.code, 'VALIDATION_FAILED')
})

test('requests survive a restart of the node', { timeout: 30_000 }, async () => {
  const before = (await f.api('GET', '/api/requests')).json
  assert.ok(before.length > 0)
  await f.restart()
  assert.deepEqual((await f.api('GET', '/api/requests')).json, before)
  assert.equal((await f.api('POST', '/api/requests', draft({ caseCode: 'AFTER-RESTART' }))).status, 201)
})

// Consent and delivery between real nodes over TCP, through the resident's HTTP API: an agency and three
// residents — one shares two clips, one ignores the request, one shares and withdraws mid-transfer. The
// agency ends with exactly the shared clips (byte-identical after decryption, also with the `age` CLI),
// one `delivery` entry per completed consent, valid receipts; then a deletion request is logged.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  LIMITS, RAW_CODE, clipCid, decodeLogEntry, encodeLogEntry, formatIdentityFile, generateIdentity, identityToRecipient, parseCid,
  requestId, signTyped, type DeliveryEntry, type DeliveryList, type SignedRequest
} from '../../../protocol/index.js'
import { createNode, defineService, type NodeComponents, type PorchlightNode } from '../../../node/index.js'
import { footageRoutes } from '../../../node/shares/routes.js'
import { agencyFootageRoutes } from '../../../node/deliveries/routes.js'
import { generateKeys, parseConfig } from '../../../node/config/index.js'
import { ResidentFootage, type ShareRecord, type StoredClip } from '../../../node/shares/index.js'
import { AgencyFootage, type AgencyRequestRecord } from '../../../node/deliveries/index.js'
import { byteStream, randomClip } from '../../support/byte-streams.js'
import { MemoryFootageLog, now } from '../../helpers/footage.js'
import { AGENCY_KEY, DOMAIN, NOW, sampleRequest } from '../../helpers/messages.js'
import { toHex as bytesToHex } from '../../../protocol/index.js'

const HERE = { name: 'porch', lat: 47.6062, lng: -122.3321 }
const FAR = { name: 'cabin', lat: 47.7, lng: -122.1 }

/** A resident's clip store in memory; `gate` holds a clip's stream after `at` bytes until released. */
class MemoryClips {
  readonly clips = new Map<string, StoredClip & { bytes: Uint8Array }>()
  gate: { cid: string, at: number, reached: () => void, release: Promise<void> } | undefined

  add (bytes: Uint8Array, camera: string, start = NOW - 3 * 3600, end = start + 60, contentType = 'video/mp4'): StoredClip {
    const clip = { cid: clipCid(bytes).toString(), size: bytes.length, camera, start, end, contentType }
    this.clips.set(clip.cid, { ...clip, bytes })
    return clip
  }

  async get (cid: string): Promise<StoredClip | undefined> {
    const c = this.clips.get(cid)
    return c === undefined ? undefined : { cid: c.cid, size: c.size, camera: c.camera, start: c.start, end: c.end, contentType: c.contentType }
  }

  async open (cid: string): Promise<ReadableStream<Uint8Array>> {
    const { bytes } = this.clips.get(cid)!
    const gate = this.gate?.cid === cid ? this.gate : undefined
    if (gate === undefined) return byteStream(bytes, 256 * 1024)
    const inner = byteStream(bytes, 256 * 1024).getReader()
    let served = 0
    return new ReadableStream({
      async pull (controller) {
        if (served >= gate.at) { gate.reached(); await gate.release }
        const { done, value } = await inner.read()
        if (done) { controller.close(); return }
        served += value.length
        controller.enqueue(value)
      }
    }, { highWaterMark: 0 })
  }
}

interface Resident { node: PorchlightNode<{ footage: ResidentFootage }>, clips: MemoryClips, inbox: Map<string, { request: SignedRequest, status: string }> }

let agency: PorchlightNode<{ footage: AgencyFootage }>
let log: MemoryFootageLog
let identity: string
const book = new Map<string, AgencyRequestRecord>()
const residents: Resident[] = []
let request: SignedRequest
let id: string

async function startResident (name: string): Promise<Resident> {
  const clips = new MemoryClips()
  const inbox = new Map<string, { request: SignedRequest, status: string }>()
  const node = await createNode<{ footage: ResidentFootage }>({
    config: parseConfig({ version: 1, role: 'resident', name, cameras: [HERE, FAR] }),
    services: {
      // The shares service alone, on a stub inbox and clip store.
      footage: defineService((c: NodeComponents) => new ResidentFootage(c, {
        inbox: { get: async (i) => inbox.get(i) },
        clips,
        domain: DOMAIN,
        now,
        chain: { latestAnchor: async () => ({ treeSize: log.tree.size, root: bytesToHex(log.tree.root()) }) },
        consistency: () => log
      }), { needs: [], routes: footageRoutes })
    },
    listenApi: false,
    staticDir: false
  })
  await node.start()
  return { node, clips, inbox }
}

async function api (r: Resident, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>): Promise<{ status: number, body: any }> {
  const res = await r.node.api.app.inject({ method, url, headers: { authorization: `Bearer ${r.node.keys.apiToken}` }, ...(payload === undefined ? {} : { payload }) })
  return { status: res.statusCode, body: res.json() }
}

/** Resolves with the share once `predicate` holds for it (checked at every change). */
async function shareWhere (r: Resident, shareId: string, predicate: (s: ShareRecord) => boolean): Promise<ShareRecord> {
  const current = (await api(r, 'GET', `/api/shares/${shareId}`)).body as ShareRecord
  if (predicate(current)) return current
  for (;;) {
    const [s] = await once(r.node.services.footage, 'share:changed') as [ShareRecord]
    if (s.id === shareId && predicate(s)) return s
  }
}

before(async () => {
  log = new MemoryFootageLog()
  identity = await generateIdentity()
  const keys = { ...(await generateKeys('agency')), agencyKey: AGENCY_KEY }
  agency = await createNode<{ footage: AgencyFootage }>({
    config: parseConfig({ version: 1, role: 'agency', name: 'sheriff' }),
    keys,
    services: {
      footage: defineService((c: NodeComponents) => new AgencyFootage(c, { book: { get: async (i) => book.get(i) }, log, domain: DOMAIN, now }), {
        needs: [], routes: (s) => agencyFootageRoutes(() => s.keeper)
      })
    },
    listenApi: false,
    staticDir: false
  })
  await agency.start()
  request = signTyped('Request', sampleRequest({
    recipient: await identityToRecipient(identity),
    peerId: agency.peerId.toString(),
    addrs: agency.libp2p.getMultiaddrs().map((a) => a.decapsulateCode(421).toString())
  }), DOMAIN, AGENCY_KEY)
  id = requestId(request)
  await log.append(encodeLogEntry({ kind: 'request', request }))
  book.set(id, { signed: request, status: 'live', logged: true, identities: async () => [identity] })
  for (const name of ['ann', 'bob', 'cat']) {
    const r = await startResident(name)
    r.inbox.set(id, { request, status: 'new' })
    residents.push(r)
  }
})

after(async () => {
  for (const r of residents) await r.node.stop()
  await agency.stop()
})

test('three residents: one shares two clips, one ignores, one withdraws mid-transfer — the agency holds exactly the shared clips', async () => {
  const [ann, , cat] = residents as [Resident, Resident, Resident]
  const annClips = [ann.clips.add(randomClip(700_000), 'porch'), ann.clips.add(randomClip(3), 'porch', NOW - 2 * 3600)]
  const catClip = cat.clips.add(randomClip(8_000_000), 'porch')
  let reached!: () => void
  const atGate = new Promise<void>((resolve) => { reached = resolve })
  let release!: () => void
  cat.clips.gate = { cid: catClip.cid, at: 2_000_000, reached, release: new Promise<void>((resolve) => { release = resolve }) }

  const annConsent = await api(ann, 'POST', `/api/inbox/${id}/consent`, { clips: annClips.map((c) => c.cid) })
  assert.equal(annConsent.status, 202)
  const catConsent = await api(cat, 'POST', `/api/inbox/${id}/consent`, { clips: [catClip.cid] })
  assert.equal(catConsent.status, 202)

  await atGate
  const withdrawn = await api(cat, 'POST', `/api/shares/${catConsent.body.id}/withdraw`, {})
  assert.equal(withdrawn.status, 200)
  assert.equal(withdrawn.body.state, 'withdrawn')
  release()

  const delivered = await shareWhere(ann, annConsent.body.id, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(delivered.state, 'delivered')
  assert.equal(typeof delivered.logIndex, 'number')

  // The agency: exactly Ann's consent, one delivery entry, nothing of Cat's.
  const deliveries = await agency.services.footage.deliveries()
  assert.deepEqual(deliveries.map((d) => d.consent), [annConsent.body.id])
  const entries = log.entries.map((e) => decodeLogEntry(e))
  assert.deepEqual(entries.filter((e) => e.kind === 'delivery').map((e) => (e as { consent: string }).consent), [annConsent.body.id])
  assert.equal((await readdir(join(agency.services.footage.vault.root, '.incoming'))).length, 0)
  assert.equal((await cat.node.services.footage.get(catConsent.body.id)).state, 'withdrawn')

  // Byte-identical after decryption, with the age CLI and the request's identity file.
  const identityFile = join(agency.services.footage.vault.root, '..', 'request.key')
  await writeFile(identityFile, await formatIdentityFile(identity), { mode: 0o600 })
  for (const clip of annClips) {
    const plain = execFileSync('age', ['-d', '-i', identityFile, agency.services.footage.vault.path(annConsent.body.id, clip.cid)])
    assert.deepEqual(new Uint8Array(plain), ann.clips.clips.get(clip.cid)!.bytes)
    assert.equal(bytesToHex(new Uint8Array(createHash('sha256').update(plain).digest())), bytesToHex(parseCid(clip.cid, RAW_CODE).multihash.digest))
  }

  // The resident sees the receipt and its status against the (stub) chain's anchor.
  const view = await api(ann, 'GET', `/api/shares/${annConsent.body.id}`)
  assert.equal(view.body.status, 'publicly-anchored')
  const list = await api(ann, 'GET', '/api/shares')
  assert.deepEqual(list.body.shares.map((s: ShareRecord) => s.state), ['delivered'])
  assert.deepEqual((await api(residents[1]!, 'GET', '/api/shares')).body.shares, [])
})

test('a deletion request signed by the consent key is logged as `delete` entries and the files are removed', async () => {
  const ann = residents[0]!
  const [share] = (await api(ann, 'GET', '/api/shares')).body.shares as ShareRecord[]
  const res = await api(ann, 'POST', `/api/shares/${share!.id}/delete-request`, {})
  assert.equal(res.status, 200)
  assert.equal(res.body.deletion.entries.length, 2)
  for (const index of res.body.deletion.entries as number[]) {
    const entry = decodeLogEntry(log.entries[index]!)
    assert.equal(entry.kind, 'delete')
    assert.equal((entry as { reason: string }).reason, 'resident-request')
  }
  const record = await agency.services.footage.delivery(share!.id)
  assert.equal(Object.keys(record!.deleted).length, 2)
  await assert.rejects(readFile(agency.services.footage.vault.path(share!.id, share!.consent.message.clips[0]!.cid)), { code: 'ENOENT' })
})

test('a consent naming a clip outside the area or window, or an unknown clip, is refused and nothing is shared', async () => {
  const bob = residents[1]!
  const far = bob.clips.add(randomClip(100), 'cabin')
  const late = bob.clips.add(randomClip(100), 'porch', NOW + 3600)
  const area = await api(bob, 'POST', `/api/inbox/${id}/consent`, { clips: [far.cid] })
  assert.equal(area.status, 422)
  assert.equal(area.body.error.code, 'CLIP_NOT_MATCHING')
  const window = await api(bob, 'POST', `/api/inbox/${id}/consent`, { clips: [late.cid] })
  assert.equal(window.body.error.code, 'CLIP_NOT_MATCHING')
  const unknown = await api(bob, 'POST', `/api/inbox/${id}/consent`, { clips: [clipCid(randomClip(9)).toString()] })
  assert.equal(unknown.status, 404)
  assert.deepEqual((await api(bob, 'GET', '/api/shares')).body.shares, [])
})

test('a withdrawn request in the inbox cannot be consented to', async () => {
  const bob = residents[1]!
  bob.inbox.set(id, { request, status: 'withdrawn' })
  const clip = bob.clips.add(randomClip(100), 'porch')
  const res = await api(bob, 'POST', `/api/inbox/${id}/consent`, { clips: [clip.cid] })
  assert.equal(res.status, 409)
  assert.equal(res.body.error.code, 'REQUEST_NOT_CONSENTABLE')
  bob.inbox.set(id, { request, status: 'new' })
})

test('a clip already shared for the request is refused (CLIP_ALREADY_SHARED) and nothing new is shared; a withdrawn share\'s clip can be shared again', async () => {
  const [ann, , cat] = residents as [Resident, Resident, Resident]
  const [delivered] = (await api(ann, 'GET', '/api/shares')).body.shares as Array<ShareRecord & { actions: string[] }>
  const cid = delivered!.consent.message.clips[0]!.cid
  const again = await api(ann, 'POST', `/api/inbox/${id}/consent`, { clips: [cid] })
  assert.equal(again.status, 409)
  assert.equal(again.body.error.code, 'CLIP_ALREADY_SHARED')
  assert.equal((await api(ann, 'GET', '/api/shares')).body.shares.length, 1, 'no second share')
  // Mixed with a new clip: refused as a whole, the new one is not shared either.
  const fresh = ann.clips.add(randomClip(50), 'porch')
  assert.equal((await api(ann, 'POST', `/api/inbox/${id}/consent`, { clips: [fresh.cid, cid] })).body.error.code, 'CLIP_ALREADY_SHARED')
  assert.equal((await api(ann, 'GET', '/api/shares')).body.shares.length, 1)

  // What a delivered share allows, and what the node says to the rest (SHARE_STATE).
  assert.deepEqual(delivered!.actions, ['delete-request'])
  for (const verb of ['withdraw', 'retry']) {
    const refused = await api(ann, 'POST', `/api/shares/${delivered!.id}/${verb}`, {})
    assert.equal(refused.status, 409, verb)
    assert.equal(refused.body.error.code, 'SHARE_STATE', verb)
  }

  const [withdrawn] = (await api(cat, 'GET', '/api/shares')).body.shares as ShareRecord[]
  assert.equal(withdrawn!.state, 'withdrawn')
  cat.clips.gate = undefined
  const shared = await api(cat, 'POST', `/api/inbox/${id}/consent`, { clips: withdrawn!.consent.message.clips.map((c) => c.cid) })
  assert.equal(shared.status, 202)
  await shareWhere(cat, shared.body.id, (s) => s.state === 'delivered')
})

test('a consent sends each clip\'s span, length, media type and label — the camera\'s name, edited or dropped — and the agency lists them with the case code, while its log holds CIDs and sizes only', async () => {
  const cat = residents[2]!
  const named = cat.clips.add(randomClip(900), 'porch', NOW - 3 * 3600, NOW - 3 * 3600 + 45)
  const edited = cat.clips.add(randomClip(901), 'porch', NOW - 2 * 3600, NOW - 2 * 3600 + 20, 'video/webm')
  const dropped = cat.clips.add(randomClip(902), 'porch', NOW - 2 * 3600 + 60, NOW - 2 * 3600 + 60, 'image/jpeg')
  const res = await api(cat, 'POST', `/api/inbox/${id}/consent`, {
    clips: [named.cid, edited.cid, dropped.cid],
    labels: { [edited.cid]: '  Front step  ', [dropped.cid]: null }
  })
  assert.equal(res.status, 202)
  // What the resident signed says what is sent.
  assert.deepEqual((res.body as ShareRecord).consent.message.clips.map((c) => [c.camera, c.mediaType, c.durationMs, c.start, c.end]), [
    ['porch', 'video/mp4', 45_000, named.start, named.end],
    ['Front step', 'video/webm', 20_000, edited.start, edited.end],
    ['', 'image/jpeg', 0, dropped.start, dropped.end]
  ])
  assert.equal((await shareWhere(cat, res.body.id, (s) => s.state === 'delivered' || s.state === 'failed')).state, 'delivered')

  const listed = await agency.api.app.inject({ method: 'GET', url: '/api/deliveries', headers: { authorization: `Bearer ${agency.keys.apiToken}` } })
  assert.equal(listed.statusCode, 200)
  const items = listed.json<DeliveryList>().items
  const delivery = items.find((d) => d.consentId === res.body.id)!
  assert.equal(delivery.caseCode, request.message.caseCode)
  assert.equal(delivery.request, id)
  assert.deepEqual(delivery.clips.map((c) => ({ cid: c.cid, camera: c.camera, mediaType: c.mediaType, durationMs: c.durationMs, start: c.start, end: c.end })), [
    { cid: named.cid, camera: 'porch', mediaType: 'video/mp4', durationMs: 45_000, start: named.start, end: named.end },
    { cid: edited.cid, camera: 'Front step', mediaType: 'video/webm', durationMs: 20_000, start: edited.start, end: edited.end },
    { cid: dropped.cid, camera: '', mediaType: 'image/jpeg', durationMs: 0, start: dropped.start, end: dropped.end }
  ])
  // Newest first: this delivery before Ann's.
  assert.equal(items[0]!.consentId, res.body.id)

  // The public log: the delivery entry names the clips by CID and size, and no entry holds a label.
  const entry = log.entries.map((e) => decodeLogEntry(e)).find((e) => e.kind === 'delivery' && e.consent === res.body.id) as DeliveryEntry
  assert.deepEqual(entry.clips, [named, edited, dropped].map((c) => ({ cid: c.cid, size: c.size })))
  const everything = Buffer.concat(log.entries.map((e) => Buffer.from(e))).toString('latin1')
  assert.equal(everything.includes('Front step'), false)
  assert.equal(everything.includes('video/webm'), false)
})

test('a label for a clip the consent does not share, or one a consent cannot carry, is refused and nothing is shared', async () => {
  const cat = residents[2]!
  const clip = cat.clips.add(randomClip(903), 'porch')
  const before = (await api(cat, 'GET', '/api/shares')).body.shares.length
  const other = clipCid(randomClip(904)).toString()
  for (const labels of [{ [other]: 'x' }, { [clip.cid]: 'é'.repeat(LIMITS.consent.maxCameraLabelChars + 1) }, { [clip.cid]: 'Front\u0007door' }]) {
    const res = await api(cat, 'POST', `/api/inbox/${id}/consent`, { clips: [clip.cid], labels })
    assert.equal(res.status, 400)
    assert.equal(res.body.error.code, 'CLIP_LABEL_INVALID')
  }
  const range = await api(cat, 'POST', `/api/inbox/${id}/consent`, { ranges: [{ camera: 'porch', from: NOW - 3600, to: NOW - 3500, label: 'é'.repeat(LIMITS.consent.maxCameraLabelChars + 1) }] })
  assert.equal(range.body.error.code, 'CLIP_LABEL_INVALID')
  assert.equal((await api(cat, 'GET', '/api/shares')).body.shares.length, before)
})

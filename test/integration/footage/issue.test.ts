// Issue 6 end to end, on real nodes over TCP: the embedded chain with its contracts and a registered agency,
// an agency node (roleSetup('agency')) and three resident nodes (roleSetup('resident')). Ann shares two
// clips, Bob ignores the request, Cat shares and withdraws mid-transfer (her clip's source is held after
// its first bytes, so the withdrawal lands mid-transfer every time). The agency ends with exactly Ann's
// clips, byte-identical through GET /api/footage and the age CLI; one `delivery` entry; Ann's receipt is "logged", then
// "publicly-anchored" after an anchor; every access is logged; the auditor audits the log clean.
// Then every bad input against the same real agency node: a typed refusal, nothing delivered.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  RAW_CODE, addressOfPrivateKey, clipCid, decodeLogEntry, parseCid, encodeSignedConsent, encryptClip, requestId as idOfRequest, signTyped,
  type ClipRef, type Domain, type LogEntry, type SignedConsent, type SignedRequest
} from '../../../protocol/index.js'
import { Auditor } from '../../../node/auditor/index.js'
import { ChainClient } from '../../../node/chain/index.js'
import { createPorchlightLibp2p, type PorchlightLibp2p } from '../../../node/p2p/index.js'
import { FOOTAGE_PROTOCOL, createConsent } from '../../../node/footage/index.js'
import { agencyAddrs, declaredClips, sendFootage } from '../../../node/shares/index.js'
import type { FootageReceiverEvents } from '../../../node/deliveries/index.js'
import { footageStream as framedFootage } from '../../../node/footage/footage-stream.js'
import { CREDIT_WINDOW, MAX_FOOTAGE_FRAME } from '../../../node/footage/wire.js'
import { byteStream, randomClip, readAll } from '../../support/byte-streams.js'
import { addClip, call, draft, holdClip, issueRequest, shareWhere, startFootageWorld, type FootageWorld, type ResidentNode } from '../../helpers/footage-world.js'

let world: FootageWorld
let ann: ResidentNode
let bob: ResidentNode
let cat: ResidentNode
let reader: ChainClient
let domain: Domain
const now = Math.floor(Date.now() / 1000)

const log = () => world.agency.services.log.log!
async function entries (): Promise<LogEntry[]> {
  return (await log().entries(0, log().size)).map((e) => decodeLogEntry(e))
}

before(async () => {
  world = await startFootageWorld()
  reader = await ChainClient.connect({ deployment: world.chain.deployment!, pollingIntervalMs: 0 })
  domain = { chainId: world.endpoint.chainId, verifyingContract: world.endpoint.contracts.AgencyRegistry }
  ann = await world.resident('ann')
  bob = await world.resident('bob')
  cat = await world.resident('cat')
})
after(async () => {
  await reader.close()
  await world.stop()
})

test('one shares two clips, one ignores, one withdraws mid-transfer: the agency holds exactly the shared clips, logged, anchored, audited clean', { timeout: 120_000 }, async () => {
  const { id } = await issueRequest(world, draft({ caseCode: 'ISSUE-6' }))
  const annBytes = [randomClip(1_500_000), randomClip(4321)]
  const annClips = [await addClip(ann, annBytes[0]!, now - 1800), await addClip(ann, annBytes[1]!, now - 1200)]
  const catClip = await addClip(cat, randomClip(6_000_000), now - 1500)
  const held = holdClip(cat, catClip, 1_000_000)

  // Bob ignores: one click, nothing leaves his node.
  const ignored = await call(bob, 'POST', `/api/inbox/${id}/ignore`, {})
  assert.equal(ignored.status, 200)
  assert.equal(ignored.json.status, 'ignored')

  // Cat consents, and withdraws once her transfer is under way and held mid-clip.
  const catConsent = await call(cat, 'POST', `/api/inbox/${id}/consent`, { clips: [catClip] })
  assert.equal(catConsent.status, 202)
  const catRefused = once(world.agency.services.footage.receiver, 'footage:refused') as Promise<[FootageReceiverEvents['footage:refused'][0]]>
  const [progress] = await once(cat.services.footage, 'share:progress') as [{ id: string, sent: number, total: number }]
  await held.reached
  assert.ok(progress.sent > 0 && progress.sent < progress.total)
  const withdrawn = await call(cat, 'POST', `/api/shares/${catConsent.json.id}/withdraw`, {})
  assert.equal(withdrawn.status, 200)
  assert.equal(withdrawn.json.state, 'withdrawn')
  held.release()
  const [refusal] = await catRefused
  assert.equal(refusal.error.name, 'TransferIncompleteError')

  // Ann shares her two clips.
  const annConsent = await call(ann, 'POST', `/api/inbox/${id}/consent`, { clips: annClips })
  assert.equal(annConsent.status, 202)
  const delivered = await shareWhere(ann, annConsent.json.id, (s) => s.state === 'delivered' || s.state === 'failed')
  assert.equal(delivered.state, 'delivered', JSON.stringify(delivered.error))

  // The agency: exactly Ann's delivery, one `delivery` entry, nothing of Cat's, no partial file left.
  const deliveries = (await call(world.agency, 'GET', `/api/requests/${id}/deliveries`)).json.items
  assert.deepEqual(deliveries.map((d: { consentId: string }) => d.consentId), [annConsent.json.id])
  assert.deepEqual(deliveries[0].clips.map((c: { cid: string }) => c.cid), annClips)
  const deliveryEntries = (await entries()).filter((e) => e.kind === 'delivery')
  assert.deepEqual(deliveryEntries.map((e) => (e as { consent: string }).consent), [annConsent.json.id])
  assert.equal(deliveries[0].logIndex, delivered.logIndex)
  assert.deepEqual(await readdir(join(world.agency.services.footage.vault.root, '.incoming')), [])
  assert.equal((await call(cat, 'GET', `/api/shares/${catConsent.json.id}`)).json.state, 'withdrawn')
  assert.deepEqual((await call(bob, 'GET', '/api/shares')).json.shares, [])
  const catOpen = await call(world.agency, 'GET', `/api/footage/${catClip}?purpose=check`)
  assert.equal(catOpen.json.error.code, 'FOOTAGE_NOT_FOUND')

  // Byte-identical after decryption, each opening logged with its purpose.
  const accessesBefore = (await entries()).filter((e) => e.kind === 'access').length
  for (const [i, cid] of annClips.entries()) {
    const res = await call(world.agency, 'GET', `/api/footage/${cid}?purpose=${encodeURIComponent(`review clip ${i}`)}`)
    assert.equal(res.status, 200)
    assert.deepEqual(res.body, annBytes[i])
  }
  // Interop: the stored age file opens with the age CLI and the request's identity file; sha256 = the CID.
  for (const [i, cid] of annClips.entries()) {
    const plain = execFileSync('age', ['-d', '-i', join(world.agency.dir!, 'keys', 'requests', `${id}.age`), world.agency.services.footage.vault.path(annConsent.json.id, cid)], { maxBuffer: 64 * 1024 * 1024 })
    assert.deepEqual(new Uint8Array(plain), annBytes[i])
    assert.deepEqual(new Uint8Array(createHash('sha256').update(plain).digest()), parseCid(cid, RAW_CODE).multihash.digest)
  }
  const accesses = (await entries()).filter<Extract<LogEntry, { kind: 'access' }>>((e) => e.kind === 'access')
  assert.equal(accesses.length, accessesBefore + 2)
  assert.deepEqual(accesses.slice(-2).map((a) => [a.clip, a.purpose, a.actor]), annClips.map((cid, i) => [cid, `review clip ${i}`, 'operator']))

  // The receipt: "logged" against the agency's signed checkpoint, then "publicly-anchored" after an anchor.
  assert.equal((await call(ann, 'GET', `/api/shares/${annConsent.json.id}`)).json.status, 'logged')
  const anchor = await world.agency.services.log.anchorer!.anchorNow()
  assert.ok(anchor !== undefined && anchor.treeSize > delivered.logIndex!)
  assert.equal((await call(ann, 'GET', `/api/shares/${annConsent.json.id}`)).json.status, 'publicly-anchored')

  // The auditor reads the chain and the agency's public log: clean.
  const auditor = new Auditor({ chain: reader, logs: { [world.address]: world.agency.info().api!.url } })
  const report = await auditor.audit({ agency: world.address })
  assert.deepEqual(report.findings.filter((f) => f.agency === world.address), [])
  const mine = report.agencies.find((a) => a.agency === world.address)
  assert.equal(mine?.verifiedSize, log().size)
  assert.equal(mine?.violations, 0)
})

// ── Bad input against the real agency node: each refused with its own error, nothing delivered ──

let peer: PorchlightLibp2p | undefined
async function rawPeer (): Promise<PorchlightLibp2p> {
  peer ??= await createPorchlightLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  return peer
}
after(async () => { await peer?.stop() })

/** A request the agency issued through its API, as its signed form. */
async function agencyRequest (overrides: Record<string, unknown> = {}): Promise<{ id: string, signed: SignedRequest }> {
  const created = await call(world.agency, 'POST', '/api/requests', draft({ caseCode: `BAD-${Math.random().toString(36).slice(2, 8)}`, ...overrides }))
  assert.equal(created.status, 201, JSON.stringify(created.json))
  return { id: created.json.id, signed: { message: created.json.request, signature: created.json.signature } }
}

function clipIn (bytes = randomClip(2000), start = now - 1800): { ref: ClipRef, bytes: Uint8Array } {
  return { bytes, ref: { cid: clipCid(bytes).toString(), size: bytes.length, start, end: start + 60, mediaType: 'video/mp4', durationMs: 60_000, camera: 'porch' } }
}

/** Asserts nothing was delivered for `request` (no new log entry, no record, no partial file) after `act`. */
async function nothingDelivered (request: string, act: () => Promise<void>): Promise<void> {
  const size = log().size
  await act()
  assert.equal(log().size, size, 'no log entry')
  assert.deepEqual((await call(world.agency, 'GET', `/api/requests/${request}/deliveries`)).json.items ?? [], [])
  assert.equal((await world.agency.services.footage.deliveries()).some((d) => d.request === request), false)
  assert.deepEqual(await readdir(join(world.agency.services.footage.vault.root, '.incoming')), [])
}

async function expectRefusal (request: { id: string, signed: SignedRequest }, consent: SignedConsent, clip: { bytes: Uint8Array }, code: string): Promise<void> {
  await nothingDelivered(request.id, async () => {
    await assert.rejects(sendFootage({ libp2p: await rawPeer(), request: request.signed, consent, domain, openClip: () => byteStream(clip.bytes) }),
      (err: any) => err.name === 'TransferRefusedError' && err.details.code === code)
  })
}

test('a consent for another agency\'s request: UNKNOWN_REQUEST, nothing delivered', async () => {
  const mine = await agencyRequest()
  const otherKey = '0x' + randomBytes(32).toString('hex')
  const theirs = signTyped('Request', { ...mine.signed.message, agency: addressOfPrivateKey(otherKey) }, domain, otherKey)
  const clip = clipIn()
  await expectRefusal(mine, createConsent({ request: idOfRequest(theirs), clips: [clip.ref], domain }).signed, clip, 'UNKNOWN_REQUEST')
})

test('a consent for a withdrawn request: REQUEST_WITHDRAWN, nothing delivered', async () => {
  const request = await agencyRequest()
  assert.equal((await call(world.agency, 'POST', `/api/requests/${request.id}/withdraw`, {})).status, 200)
  const clip = clipIn()
  await expectRefusal(request, createConsent({ request: request.id, clips: [clip.ref], domain }).signed, clip, 'REQUEST_WITHDRAWN')
})

test('a consent for an expired request: REQUEST_EXPIRED, nothing delivered', async () => {
  // A one-second lifetime; expiry is the clock's, so the test waits for the clock (no event to await).
  const request = await agencyRequest({ lifetimeHours: 1 / 3600 })
  await new Promise((resolve) => setTimeout(resolve, request.signed.message.expiresAt * 1000 - Date.now() + 50))
  assert.equal((await call(world.agency, 'GET', `/api/requests/${request.id}`)).json.status, 'expired')
  const clip = clipIn()
  await expectRefusal(request, createConsent({ request: request.id, clips: [clip.ref], domain }).signed, clip, 'REQUEST_EXPIRED')
})

test('a clip outside the request\'s window: CLIP_NOT_MATCHING, nothing delivered', async () => {
  const request = await agencyRequest()
  const clip = clipIn(randomClip(2000), now - 5 * 3600)
  await expectRefusal(request, createConsent({ request: request.id, clips: [clip.ref], domain }).signed, clip, 'CLIP_NOT_MATCHING')
})

test('a consent with a bad signature: INVALID_CONSENT, nothing delivered', async () => {
  const request = await agencyRequest()
  const clip = clipIn()
  const good = createConsent({ request: request.id, clips: [clip.ref], domain }).signed
  const other = createConsent({ request: request.id, clips: [clip.ref], domain }).signed
  await expectRefusal(request, { message: good.message, signature: other.signature }, clip, 'INVALID_CONSENT')
})

test('declared sizes that lie about the consent: DECLARED_SIZE_MISMATCH before any footage, nothing delivered', async () => {
  const request = await agencyRequest()
  const clip = clipIn()
  const consent = createConsent({ request: request.id, clips: [clip.ref], domain }).signed
  await nothingDelivered(request.id, async () => {
    const frames = framedFootage(await (await rawPeer()).dialProtocol(agencyAddrs(request.signed), FOOTAGE_PROTOCOL), { maxFrameBytes: MAX_FOOTAGE_FRAME, protocol: FOOTAGE_PROTOCOL })
    await frames.write({ consent: encodeSignedConsent(consent), clips: declaredClips(consent).map((c) => ({ ...c, ciphertextSize: c.ciphertextSize + 100 })) })
    assert.deepEqual(await frames.read(), { error: { code: 'DECLARED_SIZE_MISMATCH', message: 'declared sizes do not match the consent' } })
  })
})

/** Offers honestly, then sends what `data` decides; resolves with the agency's refusal. */
async function cutOff (data: (frames: ReturnType<typeof framedFootage>, ciphertext: Uint8Array) => Promise<void>, clip = clipIn(randomClip(200_000)), cid?: string): Promise<Error> {
  const request = await agencyRequest()
  const ref = cid === undefined ? clip.ref : { ...clip.ref, cid }
  const consent = createConsent({ request: request.id, clips: [ref], domain }).signed
  const ciphertext = await readAll((await encryptClip(byteStream(clip.bytes), request.signed.message.recipient)).ciphertext)
  let error: Error | undefined
  await nothingDelivered(request.id, async () => {
    const refused = once(world.agency.services.footage.receiver, 'footage:refused') as Promise<[FootageReceiverEvents['footage:refused'][0]]>
    const frames = framedFootage(await (await rawPeer()).dialProtocol(agencyAddrs(request.signed), FOOTAGE_PROTOCOL), { maxFrameBytes: MAX_FOOTAGE_FRAME, protocol: FOOTAGE_PROTOCOL })
    await frames.write({ consent: encodeSignedConsent(consent), clips: declaredClips(consent) })
    // The clips here fit in the first credit grant, so this hand-driven sender need not wait for more.
    assert.deepEqual(await frames.read(), { accept: true, credit: CREDIT_WINDOW })
    await data(frames, ciphertext).catch(() => {})
    error = (await refused)[0].error
  })
  return error!
}

async function sendInFrames (frames: ReturnType<typeof framedFootage>, bytes: Uint8Array): Promise<void> {
  for (let i = 0; i < bytes.length; i += 65536) await frames.writeBytes(bytes.subarray(i, i + 65536))
}

test('a ciphertext with one byte flipped: ClipDecryptError, nothing delivered', async () => {
  const error = await cutOff(async (frames, ct) => {
    ct[5000] = ct[5000]! ^ 1
    await sendInFrames(frames, ct)
    await frames.write({ end: true })
    await frames.read()
  })
  assert.equal(error.name, 'ClipDecryptError')
})

test('a clip whose plaintext does not match its CID: ClipCidMismatchError, nothing delivered', async () => {
  const error = await cutOff(async (frames, ct) => {
    await sendInFrames(frames, ct)
    await frames.write({ end: true })
    await frames.read()
  }, clipIn(randomClip(70_000)), clipCid(randomClip(70_000)).toString())
  assert.equal(error.name, 'ClipCidMismatchError')
})

test('a sender that sends more than it declared: UnexpectedDataError, nothing delivered', async () => {
  const error = await cutOff(async (frames, ct) => {
    await sendInFrames(frames, ct)
    await frames.writeBytes(new Uint8Array(10))
    await frames.read()
  })
  assert.equal(error.name, 'UnexpectedDataError')
})

test('a sender that stops mid-stream: TransferIncompleteError, nothing delivered', async () => {
  const error = await cutOff(async (frames, ct) => {
    await sendInFrames(frames, ct.subarray(0, 100_000))
    frames.stream.abort(new Error('gone'))
  })
  assert.equal(error.name, 'TransferIncompleteError')
})

test('an agency takes more than libp2p\'s 5 new connections a second from one host (single-use identities, households behind one NAT)', async () => {
  // Twelve fresh identities dial at once from 127.0.0.1, as twelve deliveries or receipt checks of one
  // address would; under libp2p's default threshold the sixth and later were refused (ECONNRESET).
  const peers = await Promise.all(Array.from({ length: 12 }, async () => await createPorchlightLibp2p({ listen: [] })))
  try {
    const outcomes = await Promise.allSettled(peers.map(async (p) => await p.dial(world.agency.libp2p.getMultiaddrs())))
    assert.deepEqual(outcomes.map((o) => o.status), Array(12).fill('fulfilled'))
  } finally {
    await Promise.all(peers.map(async (p) => { await p.stop() }))
  }
})

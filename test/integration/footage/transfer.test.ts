// The footage protocol between real libp2p nodes over TCP: a delivery end to end, and every way a consent
// or a sender can be wrong — each refused with its own error, nothing recorded as delivered.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { once } from 'node:events'
import {
  clipCid, decryptClip, encodeSignedConsent, encryptClip, expectedCiphertextSize, type ClipRef, type SignedConsent
} from '../../../protocol/index.js'
import { nodeEnvelopeCrypto } from '../../../node/crypto/index.js'
import { footageStream as framedFootage } from '../../../node/footage/footage-stream.js'
import { CREDIT_WINDOW, FOOTAGE_PROTOCOL, createConsent } from '../../../node/footage/index.js'
import { agencyAddrs, declaredClips, sendFootage } from '../../../node/shares/index.js'
import type { FootageReceiverEvents } from '../../../node/deliveries/index.js'
import { MAX_FOOTAGE_FRAME } from '../../../node/footage/wire.js'
import { byteStream, randomClip, readAll } from '../../support/byte-streams.js'
import { startAgency, startPeer, type TestAgency } from '../../helpers/footage.js'
import { DOMAIN, NOW } from '../../helpers/messages.js'
import type { PorchlightLibp2p } from '../../../node/p2p/index.js'

let agency: TestAgency
let resident: PorchlightLibp2p

before(async () => {
  agency = await startAgency({ timeoutMs: 2000 })
  resident = await startPeer()
})
after(async () => {
  await resident.stop()
  await agency.stop()
})

function clipsOf (...sizes: number[]): Array<{ ref: ClipRef, bytes: Uint8Array }> {
  return sizes.map((size, i) => {
    const bytes = randomClip(size)
    return { bytes, ref: { cid: clipCid(bytes).toString(), size, start: NOW - 3 * 3600 + i * 60, end: NOW - 3 * 3600 + i * 60 + 30, mediaType: 'video/mp4', durationMs: 30_000, camera: 'porch' } }
  })
}

function opener (clips: Array<{ ref: ClipRef, bytes: Uint8Array }>): (cid: string) => ReadableStream<Uint8Array> {
  return (cid) => byteStream(clips.find((c) => c.ref.cid === cid)!.bytes, 100_000)
}

async function refused (): Promise<FootageReceiverEvents['footage:refused'][0]> {
  const [event] = await once(agency.receiver, 'footage:refused') as [FootageReceiverEvents['footage:refused'][0]]
  return event
}

test('a resident delivers two clips: the agency stores them encrypted, byte-identical after decryption, one delivery entry, a valid receipt', async () => {
  const { signed: request, id } = await agency.issue()
  const clips = clipsOf(300_000, 5)
  const consent = createConsent({ request: id, clips: clips.map((c) => c.ref), domain: DOMAIN, issuedAt: NOW + 500 })
  const entriesBefore = agency.log.entries.length
  let progress = 0
  const delivery = await sendFootage({ libp2p: resident, request, consent: consent.signed, domain: DOMAIN, openClip: opener(clips), crypto: nodeEnvelopeCrypto, onProgress: (sent) => { progress = sent } })
  assert.equal(progress, clips.reduce((n, c) => n + expectedCiphertextSize(c.ref.size), 0))
  assert.equal(delivery.verified.logIndex, entriesBefore)
  assert.equal(agency.log.entries.length, entriesBefore + 1)
  const record = agency.deliveries.get(consent.id)
  assert.equal(record?.logIndex, delivery.verified.logIndex)
  for (const clip of clips) {
    const stored = await readFile(agency.vault.path(consent.id, clip.ref.cid))
    assert.equal(stored.length, expectedCiphertextSize(clip.ref.size))
    const { plaintext, done } = await decryptClip(byteStream(new Uint8Array(stored)), agency.identity)
    assert.deepEqual(await readAll(plaintext), clip.bytes)
    assert.equal((await done).cid.toString(), clip.ref.cid)
  }
})

test('a second delivery of the same consent is refused (CONSENT_ALREADY_DELIVERED)', async () => {
  const { signed: request, id } = await agency.issue()
  const clips = clipsOf(1000)
  const consent = createConsent({ request: id, clips: clips.map((c) => c.ref), domain: DOMAIN, issuedAt: NOW + 500 })
  await sendFootage({ libp2p: resident, request, consent: consent.signed, domain: DOMAIN, openClip: opener(clips) })
  const entries = agency.log.entries.length
  await assert.rejects(sendFootage({ libp2p: resident, request, consent: consent.signed, domain: DOMAIN, openClip: opener(clips) }),
    (err: any) => err.name === 'TransferRefusedError' && err.details.code === 'CONSENT_ALREADY_DELIVERED')
  assert.equal(agency.log.entries.length, entries)
})

async function expectRefusal (consent: SignedConsent, requestSigned: Parameters<typeof sendFootage>[0]['request'], code: string, clips = clipsOf(1000)): Promise<void> {
  const entries = agency.log.entries.length
  const deliveries = agency.deliveries.size
  const event = refused()
  await assert.rejects(sendFootage({ libp2p: resident, request: requestSigned, consent, domain: DOMAIN, openClip: opener(clips) }),
    (err: any) => err.name === 'TransferRefusedError' && err.details.code === code)
  assert.equal((await event).error.name.length > 0, true)
  assert.equal(agency.log.entries.length, entries)
  assert.equal(agency.deliveries.size, deliveries)
  assert.deepEqual((await readdir(join(agency.vault.root, '.incoming'))), [])
}

test('a consent for another agency\'s request is refused before any footage (UNKNOWN_REQUEST)', async () => {
  const { signed: request } = await agency.issue()
  const other = 'bafyreigdmqpykrgxyaxtlafqpqhzrb7qy2rh75nldvfd4tucqmqqme5yje'
  const clips = clipsOf(1000)
  const consent = createConsent({ request: other, clips: clips.map((c) => c.ref), domain: DOMAIN, issuedAt: NOW + 500 })
  await expectRefusal(consent.signed, request, 'UNKNOWN_REQUEST', clips)
})

test('a consent for an expired request is refused (REQUEST_EXPIRED)', async () => {
  const { signed: request, id } = await agency.issue({}, 'expired')
  const clips = clipsOf(1000)
  await expectRefusal(createConsent({ request: id, clips: clips.map((c) => c.ref), domain: DOMAIN, issuedAt: NOW + 500 }).signed, request, 'REQUEST_EXPIRED', clips)
})

test('a consent for a withdrawn request is refused (REQUEST_WITHDRAWN)', async () => {
  const { signed: request, id } = await agency.issue({}, 'withdrawn')
  const clips = clipsOf(1000)
  await expectRefusal(createConsent({ request: id, clips: clips.map((c) => c.ref), domain: DOMAIN, issuedAt: NOW + 500 }).signed, request, 'REQUEST_WITHDRAWN', clips)
})

test('a clip outside the request\'s window is refused (CLIP_NOT_MATCHING)', async () => {
  const { signed: request, id } = await agency.issue()
  const clips = clipsOf(1000)
  clips[0]!.ref = { ...clips[0]!.ref, start: NOW - 10 * 3600, end: NOW - 9 * 3600 }
  await expectRefusal(createConsent({ request: id, clips: clips.map((c) => c.ref), domain: DOMAIN, issuedAt: NOW + 500 }).signed, request, 'CLIP_NOT_MATCHING', clips)
})

test('a consent with a bad signature is refused (INVALID_CONSENT)', async () => {
  const { signed: request, id } = await agency.issue()
  const clips = clipsOf(1000)
  const good = createConsent({ request: id, clips: clips.map((c) => c.ref), domain: DOMAIN, issuedAt: NOW + 500 }).signed
  // Signed by a key other than the consentKey it names.
  const other = createConsent({ request: id, clips: clips.map((c) => c.ref), domain: DOMAIN, issuedAt: NOW + 500 }).signed
  await expectRefusal({ message: good.message, signature: other.signature }, request, 'INVALID_CONSENT', clips)
})

/** A hand-driven sender: offers honestly, then sends what `data` yields. */
async function rawSend (request: Parameters<typeof sendFootage>[0]['request'], consent: SignedConsent, data: (frames: ReturnType<typeof framedFootage>) => Promise<void>): Promise<void> {
  const stream = await resident.dialProtocol(agencyAddrs(request), FOOTAGE_PROTOCOL)
  const frames = framedFootage(stream, { maxFrameBytes: MAX_FOOTAGE_FRAME, protocol: FOOTAGE_PROTOCOL })
  await frames.write({ consent: encodeSignedConsent(consent), clips: declaredClips(consent) })
  assert.deepEqual(await frames.read(), { accept: true, credit: CREDIT_WINDOW })
  await data(frames).catch(() => {})
}

async function ciphertextOf (bytes: Uint8Array, recipient: string): Promise<Uint8Array> {
  return await readAll((await encryptClip(byteStream(bytes), recipient)).ciphertext)
}

async function expectCutOff (name: string, data: (frames: ReturnType<typeof framedFootage>, ct: Uint8Array) => Promise<void>, bytes = randomClip(200_000), cid?: string): Promise<void> {
  const { signed: request, id } = await agency.issue()
  const ref: ClipRef = { cid: cid ?? clipCid(bytes).toString(), size: bytes.length, start: NOW - 3 * 3600, end: NOW - 3 * 3600 + 60, mediaType: 'video/mp4', durationMs: 60_000, camera: 'porch' }
  const consent = createConsent({ request: id, clips: [ref], domain: DOMAIN, issuedAt: NOW + 500 }).signed
  const ct = await ciphertextOf(bytes, agency.recipient)
  const entries = agency.log.entries.length
  const event = refused()
  await rawSend(request, consent, async (frames) => { await data(frames, ct) })
  const { error } = await event
  assert.equal(error.name, name)
  assert.equal(agency.log.entries.length, entries)
  assert.equal([...agency.deliveries.values()].some((d) => d.request === id), false)
  assert.deepEqual(await readdir(join(agency.vault.root, '.incoming')), [])
}

async function sendInFrames (frames: ReturnType<typeof framedFootage>, bytes: Uint8Array): Promise<void> {
  for (let i = 0; i < bytes.length; i += 65536) await frames.writeBytes(bytes.subarray(i, i + 65536))
}

test('a ciphertext with one byte flipped is cut off (ClipDecryptError)', async () => {
  await expectCutOff('ClipDecryptError', async (frames, ct) => {
    ct[1000] = ct[1000]! ^ 1
    await sendInFrames(frames, ct)
    await frames.write({ end: true })
    await frames.read()
  })
})

test('a clip whose plaintext does not match its CID is refused (ClipCidMismatchError)', async () => {
  const bytes = randomClip(70_000)
  await expectCutOff('ClipCidMismatchError', async (frames, ct) => {
    await sendInFrames(frames, ct)
    await frames.write({ end: true })
    await frames.read()
  }, bytes, clipCid(randomClip(70_000)).toString())
})

test('a sender that sends more than declared is cut off (UnexpectedDataError)', async () => {
  await expectCutOff('UnexpectedDataError', async (frames, ct) => {
    await sendInFrames(frames, ct)
    await frames.writeBytes(new Uint8Array(10))
    await frames.read()
  })
})

test('a sender that sends more within the declared clip is cut off (UnexpectedDataError)', async () => {
  await expectCutOff('UnexpectedDataError', async (frames, ct) => {
    const longer = new Uint8Array(ct.length + 5)
    longer.set(ct)
    await sendInFrames(frames, longer)
    await frames.read()
  })
})

test('a sender that stops mid-stream is cut off (TransferIncompleteError)', async () => {
  await expectCutOff('TransferIncompleteError', async (frames, ct) => {
    await sendInFrames(frames, ct.subarray(0, 100_000))
    frames.stream.abort(new Error('gone'))
  })
})

test('declared sizes that disagree with the consent are refused before footage (DECLARED_SIZE_MISMATCH)', async () => {
  const { signed: request, id } = await agency.issue()
  const clips = clipsOf(1000)
  const consent = createConsent({ request: id, clips: clips.map((c) => c.ref), domain: DOMAIN, issuedAt: NOW + 500 }).signed
  const stream = await resident.dialProtocol(agencyAddrs(request), FOOTAGE_PROTOCOL)
  const frames = framedFootage(stream, { maxFrameBytes: MAX_FOOTAGE_FRAME, protocol: FOOTAGE_PROTOCOL })
  await frames.write({ consent: encodeSignedConsent(consent), clips: declaredClips(consent).map((c) => ({ ...c, ciphertextSize: c.ciphertextSize - 1 })) })
  assert.deepEqual(await frames.read(), { error: { code: 'DECLARED_SIZE_MISMATCH', message: 'declared sizes do not match the consent' } })
})

test('a withdrawal mid-transfer stops it: the agency records nothing and a retry delivers cleanly', async () => {
  const { signed: request, id } = await agency.issue()
  const clips = clipsOf(3_000_000)
  const consent = createConsent({ request: id, clips: clips.map((c) => c.ref), domain: DOMAIN, issuedAt: NOW + 500 })
  const controller = new AbortController()
  const entries = agency.log.entries.length
  const event = refused()
  await assert.rejects(sendFootage({
    libp2p: resident, request, consent: consent.signed, domain: DOMAIN, openClip: opener(clips), signal: controller.signal,
    onProgress: (sent) => { if (sent > 1_000_000) controller.abort(new Error('withdrawn')) }
  }))
  assert.equal((await event).error.name, 'TransferIncompleteError')
  assert.equal(agency.log.entries.length, entries)
  assert.equal(agency.deliveries.has(consent.id), false)
  const delivery = await sendFootage({ libp2p: resident, request, consent: consent.signed, domain: DOMAIN, openClip: opener(clips) })
  assert.equal(delivery.verified.logIndex, entries)
})

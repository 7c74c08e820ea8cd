// Flow control of the footage transfer over real TCP: a fast sender never overfills a slow agency (issue 6's
// 64 MiB overflow), a sender that ignores its credit is cut off, and a sender whose agency fails or crashes
// mid-transfer stops at once with a typed error instead of hanging.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { setTimeout as delay } from 'node:timers/promises'
import { clipCid, encodeSignedConsent, encryptClip, type ClipRef } from '../../../protocol/index.js'
import { nodeEnvelopeCrypto } from '../../../node/crypto/index.js'
import { footageStream } from '../../../node/footage/footage-stream.js'
import { CREDIT_WINDOW, FOOTAGE_PROTOCOL, createConsent } from '../../../node/footage/index.js'
import { agencyAddrs, declaredClips, sendFootage } from '../../../node/shares/index.js'
import type { FootageReceiverEvents } from '../../../node/deliveries/index.js'
import { MAX_FOOTAGE_FRAME } from '../../../node/footage/wire.js'
import { byteStream, randomClip, readAll } from '../../support/byte-streams.js'
import { startAgency, startPeer, type StartAgencyInit, type TestAgency } from '../../helpers/footage.js'
import { DOMAIN, NOW } from '../../helpers/messages.js'

const MiB = 1024 * 1024

/** One clip of `size` random bytes, consented to for a fresh request of `agency`. */
async function oneClip (agency: TestAgency, size: number): Promise<{ bytes: Uint8Array, request: Awaited<ReturnType<TestAgency['issue']>>['signed'], consent: ReturnType<typeof createConsent> }> {
  const bytes = randomClip(size)
  const ref: ClipRef = { cid: clipCid(bytes).toString(), size, start: NOW - 3 * 3600, end: NOW - 3 * 3600 + 60, mediaType: 'video/mp4', durationMs: 60_000, camera: 'porch' }
  const { signed: request, id } = await agency.issue()
  return { bytes, request, consent: createConsent({ request: id, clips: [ref], domain: DOMAIN, issuedAt: NOW + 500 }) }
}

async function withAgency (init: StartAgencyInit, fn: (agency: TestAgency, resident: Awaited<ReturnType<typeof startPeer>>) => Promise<void>): Promise<void> {
  const agency = await startAgency(init)
  const resident = await startPeer()
  try { await fn(agency, resident) } finally {
    await resident.stop()
    await agency.stop()
  }
}

function refused (agency: TestAgency): Promise<FootageReceiverEvents['footage:refused'][0]> {
  return once(agency.receiver, 'footage:refused').then(([event]) => event as FootageReceiverEvents['footage:refused'][0])
}

test('a fast sender and a slow agency: 96 MiB arrive whole and the agency never buffers more than its credit window', { timeout: 30_000 }, async () => {
  // Each 256 KiB written waits 4 ms: the agency takes in at most ~60 MiB/s, the sender encrypts faster.
  await withAgency({ timeoutMs: 20_000, beforeWrite: async () => { await delay(4) } }, async (agency, resident) => {
    const { bytes, request, consent } = await oneClip(agency, 96 * MiB)
    const delivery = await sendFootage({
      libp2p: resident, request, consent: consent.signed, domain: DOMAIN, crypto: nodeEnvelopeCrypto, timeoutMs: 20_000,
      openClip: () => byteStream(bytes, 256 * 1024)
    })
    assert.equal(delivery.verified.logIndex, agency.log.entries.length - 1)
    assert.equal(agency.deliveries.has(consent.id), true)
    // Bounded by the window plus a frame in the length decoder and one control frame, whatever the speeds.
    assert.ok(agency.receiver.peakBuffered <= CREDIT_WINDOW + 2 * MAX_FOOTAGE_FRAME, `peak ${agency.receiver.peakBuffered}`)
    // The agency really was the slower side: the sender ran its whole window ahead.
    assert.ok(agency.receiver.peakBuffered >= CREDIT_WINDOW / 2, `peak ${agency.receiver.peakBuffered}`)
  })
})

test('the agency fails mid-transfer (its disk): the sender rejects with the agency\'s refusal, nothing is recorded', { timeout: 20_000 }, async () => {
  await withAgency({ beforeWrite: (written) => { if (written > 2 * MiB) throw new Error('disk full') } }, async (agency, resident) => {
    const { bytes, request, consent } = await oneClip(agency, 16 * MiB)
    const event = refused(agency)
    await assert.rejects(
      sendFootage({ libp2p: resident, request, consent: consent.signed, domain: DOMAIN, crypto: nodeEnvelopeCrypto, timeoutMs: 60_000, openClip: () => byteStream(bytes, 256 * 1024) }),
      (err: any) => err.name === 'TransferRefusedError' && err.details.code === 'INTERNAL')
    assert.equal((await event).error.message, 'disk full')
    assert.equal(agency.deliveries.has(consent.id), false)
  })
})

test('the agency crashes mid-transfer (its connections drop): the sender rejects with PeerHungUpError, never hangs', { timeout: 20_000 }, async () => {
  let agency: TestAgency | undefined
  let crashed = false
  const beforeWrite = async (written: number): Promise<void> => {
    if (written < 2 * MiB || crashed) return
    crashed = true
    for (const connection of agency!.libp2p.getConnections()) connection.abort(new Error('agency crashed'))
  }
  await withAgency({ beforeWrite }, async (a, resident) => {
    agency = a
    const { bytes, request, consent } = await oneClip(a, 16 * MiB)
    await assert.rejects(
      sendFootage({ libp2p: resident, request, consent: consent.signed, domain: DOMAIN, crypto: nodeEnvelopeCrypto, timeoutMs: 60_000, openClip: () => byteStream(bytes, 256 * 1024) }),
      (err: any) => err.name === 'PeerHungUpError')
    assert.equal(crashed, true)
    assert.equal(a.deliveries.has(consent.id), false)
  })
})

test('a sender that ignores its credit is cut off (CreditExceededError) and nothing is recorded', { timeout: 20_000 }, async () => {
  // The agency's first write waits until the sender has sent everything, far beyond its credit.
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  await withAgency({ beforeWrite: async () => { await gate } }, async (agency, resident) => {
    const { bytes, request, consent } = await oneClip(agency, 3 * CREDIT_WINDOW)
    const ciphertext = await readAll((await encryptClip(byteStream(bytes), agency.recipient)).ciphertext)
    const event = refused(agency)
    const stream = await resident.dialProtocol(agencyAddrs(request), FOOTAGE_PROTOCOL)
    const frames = footageStream(stream, { maxFrameBytes: MAX_FOOTAGE_FRAME, protocol: FOOTAGE_PROTOCOL })
    await frames.write({ consent: encodeSignedConsent(consent.signed), clips: declaredClips(consent.signed) })
    assert.deepEqual(await frames.read(), { accept: true, credit: CREDIT_WINDOW })
    const reset = once(stream, 'close')
    const sending = (async () => {
      for (let i = 0; i < ciphertext.length; i += 256 * 1024) await frames.writeBytes(ciphertext.subarray(i, i + 256 * 1024))
    })()
    sending.catch(() => {})
    await reset
    release()
    assert.equal((await event).error.name, 'CreditExceededError')
    assert.equal(agency.deliveries.has(consent.id), false)
  })
})

test('an agency that stops taking data without hanging up: the sender gives up after its timeout (StreamTimeoutError)', { timeout: 20_000 }, async () => {
  let release!: () => void
  const stuck = new Promise<void>((resolve) => { release = resolve })
  await withAgency({ timeoutMs: 20_000, beforeWrite: async () => { await stuck } }, async (agency, resident) => {
    const { bytes, request, consent } = await oneClip(agency, 3 * CREDIT_WINDOW)
    await assert.rejects(
      sendFootage({ libp2p: resident, request, consent: consent.signed, domain: DOMAIN, crypto: nodeEnvelopeCrypto, timeoutMs: 1000, openClip: () => byteStream(bytes, 256 * 1024) }),
      (err: any) => err.name === 'StreamTimeoutError')
    const event = refused(agency)
    release()
    assert.equal((await event).error.name, 'TransferIncompleteError')
    assert.equal(agency.deliveries.has(consent.id), false)
  })
})

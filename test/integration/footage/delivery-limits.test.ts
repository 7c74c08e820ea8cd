// Issue 15, item 3: what a delivery may cost an agency, between real libp2p nodes over TCP on 127.0.0.1. A
// slow sender is cut at the transfer's deadline, deliveries past a quota (per request, per sender address —
// every test peer is a fresh peer id on 127.0.0.1, as every honest delivery will be) and transfers past the
// concurrency bound are refused before any footage, and so is an offer that would cut into the free-disk
// floor. Each refusal is typed, logged and counted; nothing is logged as delivered; no temporary file stays.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { Registry } from 'prom-client'
import { clipCid, encodeSignedConsent, isPorchlightError, type ClipRef, type SignedConsent } from '../../../protocol/index.js'
import { footageStream as framedFootage, type FootageStream } from '../../../node/footage/footage-stream.js'
import { CREDIT_WINDOW, FOOTAGE_PROTOCOL, createConsent } from '../../../node/footage/index.js'
import { MAX_FOOTAGE_FRAME } from '../../../node/footage/wire.js'
import { agencyAddrs, declaredClips, sendFootage } from '../../../node/shares/index.js'
import type { FootageReceiverEvents } from '../../../node/deliveries/index.js'
import type { AgencyFootage } from '../../../node/deliveries/footage-desk.js'
import { footageMetrics } from '../../../node/metrics/footage.js'
import { createLogger } from '../../../node/logging/index.js'
import type { PorchlightLibp2p } from '../../../node/p2p/index.js'
import { byteStream, randomClip } from '../../support/byte-streams.js'
import { startAgency, startPeer, type StartAgencyInit, type TestAgency } from '../../helpers/footage.js'
import { DOMAIN, NOW } from '../../helpers/messages.js'

type Refusal = FootageReceiverEvents['footage:refused'][0]

const stops: Array<() => Promise<void>> = []
after(async () => { for (const stop of stops.reverse()) await stop() })

async function agencyWith (init: StartAgencyInit): Promise<TestAgency> {
  const agency = await startAgency(init)
  stops.push(agency.stop)
  return agency
}

/** A fresh peer (a fresh peer id on 127.0.0.1), stopped at the end. */
async function peer (): Promise<PorchlightLibp2p> {
  const p = await startPeer()
  stops.push(async () => { await p.stop() })
  return p
}

function clip (size = 1000): { ref: ClipRef, bytes: Uint8Array } {
  const bytes = randomClip(size)
  return { bytes, ref: { cid: clipCid(bytes).toString(), size, start: NOW - 3 * 3600, end: NOW - 3 * 3600 + 30, mediaType: 'video/mp4', durationMs: 30_000, camera: 'porch' } }
}

/** Delivers one fresh consent with one clip for `request` from `from`. */
async function deliver (agency: TestAgency, request: { signed: Parameters<typeof sendFootage>[0]['request'], id: string }, from: PorchlightLibp2p, size = 1000): Promise<string> {
  const c = clip(size)
  const consent = createConsent({ request: request.id, clips: [c.ref], domain: DOMAIN, issuedAt: NOW + 500 })
  await sendFootage({ libp2p: from, request: request.signed, consent: consent.signed, domain: DOMAIN, openClip: () => byteStream(c.bytes) })
  return consent.id
}

/** The sender sees the agency's code; the agency's event has the error with its details. */
async function expectRefused (agency: TestAgency, delivery: () => Promise<unknown>, code: string): Promise<Record<string, unknown>> {
  const refused = once(agency.receiver, 'footage:refused') as Promise<[Refusal]>
  await assert.rejects(delivery(), (err: any) => err.name === 'TransferRefusedError' && err.details.code === code)
  const [{ error }] = await refused
  assert.ok(isPorchlightError(error))
  assert.equal(error.code, code)
  return error.details
}

async function incoming (agency: TestAgency): Promise<string[]> {
  return await readdir(join(agency.vault.root, '.incoming'))
}

/** Opens a footage stream from `from` and sends an honest offer; resolves once the agency accepted it. */
async function offer (from: PorchlightLibp2p, request: Parameters<typeof sendFootage>[0]['request'], consent: SignedConsent): Promise<FootageStream> {
  const stream = await from.dialProtocol(agencyAddrs(request), FOOTAGE_PROTOCOL)
  const frames = framedFootage(stream, { maxFrameBytes: MAX_FOOTAGE_FRAME, protocol: FOOTAGE_PROTOCOL, timeoutMs: 60_000 })
  await frames.write({ consent: encodeSignedConsent(consent), clips: declaredClips(consent) })
  assert.deepEqual(await frames.read(), { accept: true, credit: CREDIT_WINDOW })
  return frames
}

/** `promise`, or a failed assertion after `ms` (what today's main does: never refuse). */
async function within<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new assert.AssertionError({ message: `${what}: not within ${ms} ms` })) }, ms) })])
  } finally { clearTimeout(timer) }
}

test('a sender at 1 byte every 8 s is cut once it falls behind the slowest rate (TransferDeadlineError), long before its size\'s deadline: its temp file is gone, nothing logged, the refusal logged', async () => {
  const lines: Array<Record<string, unknown>> = []
  const logger = createLogger({ level: 'info', destination: new Writable({ write (chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done() } }) })
  // The per-frame timeout stays at its 10 s default: each 1-byte frame comes in time, only the deadline can cut it.
  const agency = await agencyWith({ limits: { deadlineBaseSeconds: 3, minBytesPerSecond: 64 * 1024 }, logger })
  const request = await agency.issue()
  // 1 MiB declared: 19 s at the slowest rate; a trickle is behind once the 3 s base is spent.
  const c = clip(1024 * 1024)
  const consent = createConsent({ request: request.id, clips: [c.ref], domain: DOMAIN, issuedAt: NOW + 500 }).signed
  const entries = agency.log.entries.length
  const refused = once(agency.receiver, 'footage:refused') as Promise<[Refusal]>
  const sender = await peer()
  const started = Date.now()
  const frames = await offer(sender, request.signed, consent)
  let stopped = false
  // The slow sender: one byte, then eight seconds, for as long as the stream lets it.
  const trickle = (async () => {
    while (!stopped) {
      await frames.writeBytes(new Uint8Array([0]))
      await new Promise((resolve) => { const t = setTimeout(resolve, 8000); frames.stream.addEventListener('close', () => { clearTimeout(t); resolve(undefined) }, { once: true }) })
      if (frames.stream.status !== 'open') break
    }
  })().catch(() => {})
  try {
    const [{ error, sender: who }] = await within(refused, 15_000, 'the slow sender was not cut')
    const elapsed = Date.now() - started
    assert.equal(error.name, 'TransferDeadlineError')
    assert.equal((error as { code?: string }).code, 'TRANSFER_DEADLINE')
    assert.ok(elapsed >= 3000 && elapsed < 8000, `cut after ${elapsed} ms`)
    assert.equal(who.address, 'ip4:127.0.0.1')
    assert.deepEqual(await incoming(agency), [])
    assert.equal(agency.log.entries.length, entries)
    assert.equal(agency.deliveries.size, 0)
    assert.equal(agency.receiver.active, 0)
    const line = lines.find((l) => l.msg === 'footage: transfer refused')
    assert.equal((line?.err as { code?: string } | undefined)?.code, 'TRANSFER_DEADLINE')
    assert.equal(line?.peer, sender.peerId.toString())
  } finally {
    stopped = true
    frames.stream.abort(new Error('test over'))
    await trickle
  }
  // An honest sender of the same size under the same limits is delivered.
  await deliver(agency, request, await peer(), 1024 * 1024)
  assert.equal(agency.deliveries.size, 1)
})

test('the (k+1)th delivery from one address to a request is refused (DELIVERY_QUOTA_EXCEEDED, scope address), whatever its peer id, and counted in /metrics', async () => {
  const agency = await agencyWith({ limits: { perSender: { deliveries: 2, bytes: 2 ** 40, concurrent: 4 } } })
  const registry = new Registry()
  const metrics = footageMetrics(registry, { receiver: agency.receiver, keeper: { deliveryCounts: async () => new Map() } } as unknown as AgencyFootage)
  metrics.start()
  const request = await agency.issue()
  await deliver(agency, request, await peer())
  await deliver(agency, request, await peer())
  const entries = agency.log.entries.length
  const third = await peer()
  const details = await expectRefused(agency, async () => await deliver(agency, request, third), 'DELIVERY_QUOTA_EXCEEDED')
  assert.deepEqual(details, { scope: 'address', unit: 'deliveries', limit: 2, value: 3 })
  assert.equal(agency.log.entries.length, entries)
  assert.equal(agency.deliveries.size, 2)
  assert.deepEqual(await incoming(agency), [])
  const counted = await registry.getSingleMetric('porchlight_footage_refusals_total')!.get()
  assert.equal(counted.values.find((v) => v.labels.code === 'DELIVERY_QUOTA_EXCEEDED')?.value, 1)
  // The quota is per request: the same sender may still deliver for another.
  await deliver(agency, await agency.issue(), third)
  metrics.stop()
})

test('a request takes at most its quota of deliveries and of bytes from all senders together (scope request)', async () => {
  const agency = await agencyWith({ limits: { perRequest: { deliveries: 2, bytes: 10_000, concurrent: 16 } } })
  const request = await agency.issue()
  await deliver(agency, request, await peer())
  await deliver(agency, request, await peer())
  const third = await peer()
  const count = await expectRefused(agency, async () => await deliver(agency, request, third), 'DELIVERY_QUOTA_EXCEEDED')
  assert.deepEqual([count.scope, count.unit], ['request', 'deliveries'])
  // Bytes are ciphertext bytes as declared: 10,001 plaintext bytes are more than 10,000.
  const bytes = await expectRefused(agency, async () => await deliver(agency, await agency.issue(), third, 10_001), 'DELIVERY_QUOTA_EXCEEDED')
  assert.deepEqual([bytes.scope, bytes.unit], ['request', 'bytes'])
  assert.equal(agency.deliveries.size, 2)
  assert.deepEqual(await incoming(agency), [])
})

test('one address runs at most `concurrent` transfers at once (TOO_MANY_TRANSFERS); a transfer cut off leaves no temp file and frees its place', async () => {
  const agency = await agencyWith({ limits: { perSender: { deliveries: 16, bytes: 2 ** 40, concurrent: 1 } } })
  const request = await agency.issue()
  const held = clip(50_000)
  const consent = createConsent({ request: request.id, clips: [held.ref], domain: DOMAIN, issuedAt: NOW + 500 }).signed
  const first = await offer(await peer(), request.signed, consent)
  const second = await peer()
  const details = await expectRefused(agency, async () => await deliver(agency, request, second), 'TOO_MANY_TRANSFERS')
  assert.deepEqual(details, { scope: 'address', limit: 1 })
  const refused = once(agency.receiver, 'footage:refused') as Promise<[Refusal]>
  first.stream.abort(new Error('gone'))
  assert.equal((await refused)[0].error.name, 'TransferIncompleteError')
  assert.deepEqual(await incoming(agency), [])
  assert.equal(agency.receiver.active, 0)
  await deliver(agency, request, second)
  assert.equal(agency.deliveries.size, 1)
})

test('an offer that would leave less free disk than the floor is refused before any footage (INSUFFICIENT_STORAGE)', async () => {
  let free = 2 * 1024 ** 3 + 1000
  const agency = await agencyWith({ limits: { minFreeBytes: 2 * 1024 ** 3 }, statfs: async () => ({ bavail: free, bsize: 1 }) })
  const request = await agency.issue()
  const entries = agency.log.entries.length
  const details = await expectRefused(agency, async () => await deliver(agency, request, await peer(), 1000), 'INSUFFICIENT_STORAGE')
  assert.equal(details.floor, 2 * 1024 ** 3)
  assert.equal(agency.log.entries.length, entries)
  assert.deepEqual(await incoming(agency), [])
  free += 1024 ** 2
  await deliver(agency, request, await peer(), 1000)
  assert.equal(agency.deliveries.size, 1)
})

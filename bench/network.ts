// The request network's costs. (1) Validations per second at the gossip validator — a valid announcement
// (decode, limits, registry from cache, jurisdiction, EIP-712 signature, checkpoint signature, inclusion
// proof, three witness cosignatures of a quorum of two), one that fails a cheap check, one whose signature is
// forged — beside ethers.verifyTypedData on the same request (the signature alone); the valid one again beside
// the same validator with the cosignatures' Ed25519 checks stubbed out (what the quorum costs, issue 14), with
// OpenSSL's Ed25519 (what relays run) and noble's (what a browser runs); the announcement's size with
// cosignatures is in bench/witnessing.ts. (2) Publish → last in-area inbox for the eight-resident setup of
// the integration test (real TCP on loopback, embedded chain), p50/p99 over repeated requests, beside the
// libp2p ping round trip between the publisher and a resident in the same run.
import { performance } from 'node:perf_hooks'
import { cellToParent } from 'h3-js'
import { verifyTypedData } from 'ethers'
import { encodeAnnouncement, toEip712Json, topicName, verifyEd25519, type Ed25519Verify, type RequestAnnouncement } from '../protocol/index.js'
import { AnnouncementValidator } from '../node/network/index.js'
import { TEST_WITNESS_SET, TestAgency } from '../test/helpers/announcements.js'
import { AGENCY_KEY, DOMAIN, NOW, sampleRequest } from '../test/helpers/messages.js'
import {
  AREA_TOPIC_CELLS, connectRing, inboxAdded, liveFields, placements, publish, startPublisher, startRegisteredAgency, startResident,
  waitForSubscribers, type Resident
} from '../test/helpers/resident-network.js'
import { median, opsPerSecond, percentile, type BenchContext } from './lib.js'

/** The median rate of each of `fns`, measured one round of each in turn. */
async function interleaved (fns: Array<() => unknown>, opts: { rounds: number, minMs: number }): Promise<number[]> {
  const rates: number[][] = fns.map(() => [])
  for (let r = 0; r < opts.rounds; r++) {
    for (const [i, fn] of fns.entries()) rates[i]!.push(await opsPerSecond(fn, { rounds: 1, minMs: opts.minMs }))
  }
  return rates.map(median)
}

export async function validatorThroughput (ctx: BenchContext): Promise<void> {
  const opts = { rounds: ctx.quick ? 3 : 7, minMs: ctx.quick ? 100 : 300 }
  const agency = new TestAgency(AGENCY_KEY, DOMAIN)
  const area = sampleRequest().cells
  const info = { address: agency.address, name: 'PD', cells: [...new Set(area.map((c) => cellToParent(c, 5)))], validUntil: NOW + 86400, status: 'active' as const }
  // A node that has seen nothing: every message takes the whole path (no duplicate short-cut).
  const validatorWith = (verifyEd25519?: Ed25519Verify): AnnouncementValidator => new AnnouncementValidator({
    registry: { agencyInfo: async () => info, witnessSet: async () => TEST_WITNESS_SET },
    domain: DOMAIN,
    state: { has: () => false, isWithdrawn: () => false, request: () => undefined },
    now: () => NOW + 60,
    ...(verifyEd25519 === undefined ? {} : { verifyEd25519 })
  })
  const validator = validatorWith()
  const topic = topicName(cellToParent(area[0]!, 7))
  const valid = agency.request()
  const longWindow = agency.request({ windowStart: NOW - 14 * 3600 })
  const a = valid.announcement as RequestAnnouncement
  const forged = encodeAnnouncement({ ...a, request: { ...a.request, message: { ...a.request.message, title: 'Forged' } } })
  const expect = (bytes: Uint8Array, result: string, v = validator) => async () => {
    const outcome = await v.validate(bytes, { topic })
    if (outcome.result !== result) throw new Error(`expected ${result}, got ${outcome.result}`)
  }
  const json = toEip712Json('Request', valid.signed.message, DOMAIN)
  const { EIP712Domain: _domain, ...types } = json.types
  const baseline = { label: 'ethers.verifyTypedData (signature only)', value: await opsPerSecond(() => { verifyTypedData(json.domain, types, json.message, valid.signed.signature) }, opts) }
  const row = { section: 'network', unit: 'msg/s', baseline, better: 'higher' as const }
  const full = await opsPerSecond(expect(valid.bytes, 'accept'), opts)
  ctx.row({ ...row, figure: 'gossip validator: valid announcements (all checks incl. checkpoint, proof and 3 cosignatures)', value: full, goal: '≥ 2,500/s', met: full >= 2500 })
  const cheap = await opsPerSecond(expect(longWindow.bytes, 'reject'), opts)
  ctx.row({ ...row, figure: 'gossip validator: rejected by a cheap check (window too long)', value: cheap, goal: '≥ 5× baseline', met: cheap >= 5 * baseline.value })
  const sig = await opsPerSecond(expect(forged, 'reject'), opts)
  ctx.row({ ...row, figure: 'gossip validator: rejected by signature (forged)', value: sig, goal: '≥ 5,000/s', met: sig >= 5000 })

  // What checking the quorum costs: the same path with every Ed25519 check answering yes at once (parsing,
  // key ids and the signed bytes are still built, so this baseline is a little slower than no check at all).
  // The three run in turns, round by round, so a shared machine's load weighs on them alike.
  const [unchecked, native, noble] = await interleaved([
    expect(valid.bytes, 'accept', validatorWith(() => true)),
    expect(valid.bytes, 'accept', validator),
    expect(valid.bytes, 'accept', validatorWith(verifyEd25519))
  ], opts) as [number, number, number]
  const quorumRow = { section: 'network', unit: 'msg/s', baseline: { label: 'same validator, cosignature Ed25519 checks stubbed out', value: unchecked }, better: 'higher' as const, note: '3 cosignatures, quorum 2; every registered line is verified' }
  ctx.row({ ...quorumRow, figure: 'gossip validator: valid announcements with cosignature checks (OpenSSL Ed25519, as relays run it)', value: native, goal: '≥ 0.8× baseline', met: native >= 0.8 * unchecked })
  ctx.row({ ...quorumRow, figure: 'gossip validator: valid announcements with cosignature checks (noble Ed25519, as a browser checks)', value: noble })
}

async function publishToInbox (ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 10 : 40
  // The agency and its witnesses registered: without a witness quorum every resident ignores every announcement.
  const { fixture, endpoint, agency } = await startRegisteredAgency()
  const where = placements()
  const residents: Resident[] = []
  const publisher = await startPublisher()
  try {
    for (const [kind, list] of Object.entries(where)) {
      for (const [i, pos] of list.entries()) residents.push(await startResident(`${kind}-${i}`, [pos], endpoint))
    }
    const inside = residents.slice(0, where.inside.length)
    await connectRing(residents.map((r) => r.libp2p), publisher)
    const signal = AbortSignal.timeout(120_000)
    for (const cell of AREA_TOPIC_CELLS) {
      const subscribed = residents.slice(0, where.inside.length + where.near.length).filter((r) => r.services.network.cells().includes(cell))
      await waitForSubscribers(publisher, topicName(cell), subscribed.map((r) => r.libp2p), signal)
    }
    const times: number[] = []
    for (let r = 0; r < rounds + 2; r++) {
      const a = agency.request(liveFields())
      const start = performance.now()
      const arrived = Promise.all(inside.map(async (x) => await inboxAdded(x, a.id, signal)))
      await publish(publisher, a.bytes)
      await arrived
      if (r >= 2) times.push(performance.now() - start) // the first two warm the registry caches
    }
    const pings: number[] = []
    for (let r = 0; r < rounds; r++) pings.push(await publisher.services.ping.ping(inside[0]!.peerId))
    const baseline = { label: 'libp2p ping RTT publisher → resident (median)', value: median(pings) }
    const row = { section: 'network', unit: 'ms', baseline, better: 'lower' as const, note: `${rounds} requests, 8 residents (3 in the area)` }
    ctx.row({ ...row, figure: 'publish → last in-area inbox, p50', value: percentile(times, 50) })
    ctx.row({ ...row, figure: 'publish → last in-area inbox, p99', value: percentile(times, 99) })
  } finally {
    await Promise.all([...residents.map(async (r) => { await r.stop() }), publisher.stop()])
    await fixture.stop()
  }
}

export default async function (ctx: BenchContext): Promise<void> {
  await validatorThroughput(ctx)
  await publishToInbox(ctx)
}

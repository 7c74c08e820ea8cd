// Porchlight behind real home NAT (issue 16's benchmarks), on the real-NAT test's network
// (test/support/nat-world.ts: network namespaces, MASQUERADE routers, every node a `porchlight` process,
// compiled as it ships). Each relayed figure beside its direct baseline from the same run:
// - publish → inbox: resident A holds a direct connection to the agency; resident B's router forwards
//   nothing to the agency (a network that blocks it), so the agency reaches B only through the relay. One
//   publish, both inboxes timed from the same instant.
// - relayed → direct: router A forwards a port (what a UPnP mapping adds) and A announces it; A dials B
//   through the relay and B's DCUtR dials A back directly. Baseline: a direct dial from B to A.
// - footage: A delivers directly; B with `delivery.via: "relay"` (part FOOTAGE-RELAY) through the relay.
// - an idle resident's RSS while it holds its reservations.
// Skipped, with the reason on stderr, where network namespaces are refused (not root).
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import { packagePath } from '../node/package-root.js'
import { assertNetnsAvailable, natAddresses, NetnsUnavailableError } from '../test/support/netns.js'
import {
  addClip, circuitAddresses, connectionsTo, editConfig, forwardPortToResidentA, hook, inboxHas, p2pPort, publishRequest, share, startNatWorld, until,
  type NatNode, type NatWorld
} from '../test/support/nat-world.js'
import { median, percentile, type BenchContext } from './lib.js'

const MiB = 1024 * 1024
const section = 'nat'
const isCircuit = (addr: string): boolean => addr.includes('/p2p-circuit')

async function rssOf (pid: number): Promise<number> {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))
  if (kib === null) throw new Error(`no VmRSS for ${pid}`)
  return Number(kib[1]) * 1024
}

/** Resolves with the ms from `start` until `node`'s inbox holds `id`, polling every 5 ms (the figures' resolution). */
async function arrival (node: NatNode, id: string, start: number): Promise<number> {
  await until(`${node.name}'s inbox to hold ${id}`, async () => await inboxHas(node, id), 30_000, 5)
  return performance.now() - start
}

const load = (): string => `load ${loadavg()[0]!.toFixed(1)}`

async function publishToInbox (ctx: BenchContext, w: NatWorld): Promise<void> {
  const rounds = ctx.quick ? 5 : 30
  const direct: number[] = []
  const relayed: number[] = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    // The request is published (gossip) when the API answers: the clock starts before, so both residents'
    // figures include the agency's witnessing and log append, and their difference is the path's alone.
    const id = await publishRequest(w.agency, `BENCH-${i}`)
    const [a, b] = await Promise.all([arrival(w.residentA!, id, start), arrival(w.residentB!, id, start)])
    direct.push(a)
    relayed.push(b)
  }
  // Both arrivals of one publish share its start, so their difference is the path's own cost.
  ctx.row({
    section,
    figure: 'publish → inbox: relayed minus direct, same publish (median of paired differences)',
    value: median(relayed.map((r, i) => r - direct[i]!)),
    unit: 'ms',
    better: 'lower'
  })
  for (const [p, name] of [[50, 'p50'], [99, 'p99']] as const) {
    ctx.row({
      section,
      figure: `publish → inbox ${name}, resident reached only through the relay (${rounds} requests, ${load()})`,
      value: percentile(relayed, p),
      unit: 'ms',
      better: 'lower',
      baseline: { label: 'resident with a direct connection, same publishes', value: percentile(direct, p) }
    })
  }
}

async function footage (ctx: BenchContext, w: NatWorld, request: string): Promise<void> {
  const bytes = (ctx.quick ? 4 : 16) * MiB
  const rounds = ctx.quick ? 1 : 3
  const rate = async (node: NatNode): Promise<number> => {
    const rates: number[] = []
    for (let i = 0; i < rounds; i++) {
      const cid = await addClip(node, randomBytes(bytes))
      const start = performance.now()
      const done = await share(node, request, [cid], 120_000)
      if (done.state !== 'delivered') throw new Error(`${node.name}'s delivery ${done.state}: ${JSON.stringify(done.error)}`)
      rates.push(bytes / MiB / ((performance.now() - start) / 1000))
    }
    return median(rates)
  }
  const direct = await rate(w.residentA!)
  if (!existsSync(packagePath('node/p2p/relay-limits.ts'))) {
    process.stderr.write(`  footage via relay: skipped, waits for part FOOTAGE-RELAY (delivery.via "relay"); direct: ${direct.toFixed(1)} MiB/s\n`)
    return
  }
  // Footage limits on the relay come with the agency's proof (below them a 16 MiB clip is cut at 4 MiB).
  await until('the relay to grant the agency footage limits', async () => (await w.relay!.metric('porchlight_relay_agencies_proven') ?? 0) >= 1)
  ctx.row({
    section,
    figure: `footage throughput through the relay (delivery.via "relay", ${bytes / MiB} MiB clip, consent to receipt, ${load()})`,
    value: await rate(w.residentB!),
    unit: 'MiB/s',
    better: 'higher',
    baseline: { label: 'the same delivery direct', value: direct }
  })
}

async function upgrade (ctx: BenchContext, w: NatWorld): Promise<void> {
  const rounds = ctx.quick ? 2 : 8
  const a = w.residentA!
  const b = w.residentB!
  await forwardPortToResidentA(w)
  const circuit = (await circuitAddresses(b)).get(w.relay!.peerId)
  if (circuit === undefined) throw new Error('resident B holds no reservation on the relay')
  const upgrades: number[] = []
  const directs: number[] = []
  let polluted = 0
  for (let i = 0; i < rounds; i++) {
    await a.start()
    let start = performance.now()
    const dialled = await a.api.call('POST /api/peers', { body: { addr: circuit } })
    if (!isCircuit(dialled.addr)) {
      // Already connected directly (cell-mates found each other first): not an upgrade.
      polluted++
    } else {
      await until('DCUtR to a direct connection', async () => (await connectionsTo(b, a)).some((addr) => !isCircuit(addr)), 30_000, 5)
      upgrades.push(performance.now() - start)
    }
    await a.stop()
    await until('B to notice A is gone', async () => (await connectionsTo(b, a)).length === 0, 30_000, 50)
    await a.start()
    start = performance.now()
    await b.api.call('POST /api/peers', { body: { addr: `/ip4/${natAddresses.routerA}/tcp/${p2pPort}/p2p/${a.peerId}` } })
    directs.push(performance.now() - start)
    await a.stop()
    await until('B to notice A is gone', async () => (await connectionsTo(b, a)).length === 0, 30_000, 50)
  }
  if (polluted > 0) process.stderr.write(`  relayed → direct: ${polluted} of ${rounds} rounds were direct from the start (not counted)\n`)
  if (upgrades.length === 0) return
  for (const [p, name] of [[50, 'p50'], [99, 'p99']] as const) {
    ctx.row({
      section,
      figure: `relayed → direct upgrade ${name} (dial through the relay until DCUtR's direct connection, port forwarded; ${upgrades.length} rounds, ${load()})`,
      value: percentile(upgrades, p),
      unit: 'ms',
      better: 'lower',
      baseline: { label: 'a direct dial to the same address', value: percentile(directs, p) }
    })
  }
}

/** Median RSS of `pid` over a few samples one second apart, after `settle` ms (start-up garbage collected). */
async function settledRss (ctx: BenchContext, pid: number): Promise<number> {
  await delay(ctx.quick ? 3000 : 10_000)
  const readings: number[] = []
  for (let i = 0; i < (ctx.quick ? 3 : 5); i++) {
    if (i > 0) await delay(1000)
    readings.push(await rssOf(pid))
  }
  return median(readings)
}

const holdsBoth = (w: NatWorld) => async (): Promise<boolean> => { const c = await circuitAddresses(w.residentA!); return c.has(w.relay!.peerId) && c.has(w.agency.peerId) }

/** Resident A idle with its two reservations, as it starts and with V8's young generation held small; then with none. */
async function idleRss (ctx: BenchContext, w: NatWorld): Promise<void> {
  const a = w.residentA!
  await until('resident A to hold its reservations', holdsBoth(w))
  const held = await settledRss(ctx, a.child!.pid!)
  await a.stop()
  await a.start({ nodeArgs: ['--max-semi-space-size=2'] })
  await until('resident A to hold its reservations again', holdsBoth(w))
  const heldSmall = await settledRss(ctx, a.child!.pid!)
  await a.stop()
  await editConfig(a.dir, (c) => { c.network = { ...(c.network as object | undefined), reservations: 0 } })
  await a.start()
  const none = await settledRss(ctx, a.child!.pid!)
  await a.stop()
  await editConfig(a.dir, (c) => { delete (c.network as Record<string, unknown>).reservations })
  await a.start()
  await until('resident A to hold its reservations once more', holdsBoth(w))
  const baseline = { label: 'the same resident with no reservation (network.reservations: 0)', value: none / MiB }
  ctx.row({ section, figure: 'idle resident RSS holding 2 relay reservations (compiled, behind NAT, settled)', value: held / MiB, unit: 'MiB', better: 'lower', baseline, goal: '≤ 100 MiB', met: held <= 100 * MiB })
  ctx.row({ section, figure: 'the same, NODE_OPTIONS=--max-semi-space-size=2', value: heldSmall / MiB, unit: 'MiB', better: 'lower', baseline, goal: '≤ 100 MiB', met: heldSmall <= 100 * MiB })
  // Every node here imports the test's loader hook, whose loader thread a real household's node does not run.
  const bare = async (args: string[]): Promise<number> => {
    const { stdout } = await promisify(execFile)(process.execPath, [...args, '-e', 'setTimeout(() => console.log(/^VmRSS:\\s+(\\d+)/m.exec(require("node:fs").readFileSync("/proc/self/status", "utf8"))[1]), 3000)'])
    return Number(stdout.trim()) * 1024
  }
  ctx.row({ section, figure: 'RSS the test-only loader hook adds to each node here (included above)', value: (await bare(['--import', hook]) - await bare([])) / MiB, unit: 'MiB', better: 'lower' })
}

export default async function (ctx: BenchContext): Promise<void> {
  try {
    await assertNetnsAvailable()
  } catch (err) {
    if (!(err instanceof NetnsUnavailableError)) throw err
    process.stderr.write(`  nat: SKIPPED, ${err.message}\n`)
    return
  }
  // The figures are of the code as it ships: build it (tsc, a few seconds), as the idle-resident bench does.
  await promisify(execFile)('npm', ['run', 'build:node', '--silent'], { cwd: packagePath('.') })
  const w = await startNatWorld({
    relay: true,
    compiled: true,
    // Not cell-mates: the upgrade rounds dial each other themselves, and a rendezvous must not do it first.
    cellMates: false,
    // Router B forwards nothing to the agency: B reaches it (and it reaches B) only through the relay.
    beforeStart: async (topology) => { await topology.routerB.blockForwardTo(natAddresses.agency) },
    configure: {
      'resident-b': (c) => { c.bootstrap = (c.bootstrap as string[]).filter((addr) => !addr.includes(`/ip4/${natAddresses.agency}/`)); c.delivery = { via: 'relay' } }
    }
  })
  try {
    await idleRss(ctx, w)
    await until('resident B to hold a reservation on the relay', async () => (await circuitAddresses(w.residentB!)).has(w.relay!.peerId))
    const circuit = (await circuitAddresses(w.residentB!)).get(w.relay!.peerId)!
    const dialled = await w.agency.api.call('POST /api/peers', { body: { addr: circuit } })
    if (!isCircuit(dialled.addr)) throw new Error(`the agency reached B directly (${dialled.addr}): router B's block is not in place`)
    await publishToInbox(ctx, w)
    const request = await publishRequest(w.agency, 'BENCH-FOOTAGE')
    await until('both inboxes to hold the footage request', async () => await inboxHas(w.residentA!, request) && await inboxHas(w.residentB!, request))
    await footage(ctx, w, request)
    await upgrade(ctx, w)
  } catch (err) {
    process.stderr.write(await w.logs())
    throw err
  } finally {
    await w.stop()
  }
}

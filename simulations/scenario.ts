// One simulation run: a city, its nodes, R requests published by the agencies' request desks on the res-7
// topics of their areas (Porchlight's design), then the same requests on one global topic every node joins
// (the flood baseline), on the same nodes and connections; measured alike (measures.ts).
import { setMaxListeners } from 'node:events'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { joinTopic, leaveTopic, waitForMeshPeer, TopicValidatorResult, type PorchlightLibp2p } from '../node/p2p/index.js'
import type { RequestNetwork } from '../node/network/index.js'
import { areaFromCircle, decodeAnnouncement, encodeAnnouncement, LIMITS, topicCells, topicName, type Category } from '../protocol/index.js'
import { createCity, incidentSite, type City } from './city.js'
import { createRandom, type Random } from './random.js'
import { mean, summarize, type RequestMeasure, type Summary } from './measures.js'
import { startWorld, type World } from './world.js'
import { startAttack, type AttackCounts, type GraylistResult } from './adversary.js'

export interface SimOptions {
  nodes: number
  agencies: number
  requests: number
  /** Adversary peers publishing invalid announcements during a second geo run. @default 0 */
  adversaries?: number
  /** Invalid messages per second per adversary. @default 5 */
  attackRate?: number
  /** Share of residents that start only after the requests were published (they must catch up). */
  offline: number
  transport: 'memory' | 'tcp'
  seed: number
  latencyMs: number
  /** Also run the flood baseline. @default true */
  flood?: boolean
  /** Gossipsub heartbeat. @default 1000 */
  heartbeatMs?: number
  /** Mean gap between two requests' publishes (exponential: random times). @default 1000 */
  requestIntervalMs?: number
  /** How long a request may take to reach every in-area inbox before it counts as missed. @default 30000 */
  deliveryTimeoutMs?: number
  progress?: (line: string) => void
}

export interface Incident {
  lat: number
  lng: number
  radiusMeters: number
  agency: number
  cells: string[]
  topicCells: string[]
  /** Residents (by index) whose camera is in the area. */
  inArea: number[]
}

export interface DesignResult {
  summary: Summary
  perRequest: RequestMeasure[]
  /** How busy the one process that runs every node was during this phase (see docs/simulations.md). */
  process: ProcessLoad
}

export interface ProcessLoad {
  /** Share of the phase the event loop was running code (1 = saturated). */
  eventLoopUtilization: number
  /** How late the event loop ran a timer, ms: queueing that every node's work waited through. */
  loopDelayMs: { p50: number, p99: number, max: number }
}

export interface SimResults {
  options: Omit<SimOptions, 'progress'>
  machine: { cpus: number, node: string }
  city: { residents: number, agencies: number, topicCells: number, residentsPerCell: { mean: number, max: number } }
  incidents: Array<Omit<Incident, 'cells' | 'inArea'> & { areaCells: number, inArea: number }>
  wallSeconds: { startup: number, total: number }
  /** Planned connections that could not be made (three attempts of 15 s). */
  failedDials: number
  rssMiB: number
  geo: DesignResult
  offline?: { residents: number, expected: number, delivered: number, recall: number, lastMs: number }
  flood?: DesignResult
  attack?: AttackResult
}

/** The same requests again with M adversaries publishing (the no-attack figures are `geo`). */
export interface AttackResult extends AttackCounts {
  adversaries: number
  ratePerSecond: number
  geo: DesignResult
  graylist: GraylistResult
}

const FLOOD_TOPIC = 'porchlight/1/req/flood'

function pickIncidents (random: Random, city: City, cameraCells: string[], count: number): Incident[] {
  const out: Incident[] = []
  for (let tries = 0; out.length < count; tries++) {
    if (tries > count * 200) throw new Error('no incident site fits one agency\'s jurisdiction')
    const { lat, lng } = incidentSite(random, city)
    const radiusMeters = random.int(150, 400)
    const cells = areaFromCircle(lat, lng, radiusMeters)
    const topics = topicCells(cells)
    const agency = city.agencies.findIndex((a) => topics.every((t) => a.jurisdiction.includes(t)))
    if (agency < 0) continue
    const area = new Set(cells)
    const inArea = cameraCells.flatMap((c, i) => area.has(c) ? [i] : [])
    out.push({ lat, lng, radiusMeters, agency, cells, topicCells: topics, inArea })
  }
  return out
}

function draftOf (incident: Incident, i: number, random: Random): Parameters<World['agencies'][number]['services']['requests']['desk']['create']>[0] {
  const now = Date.now()
  return {
    caseCode: `SIM-${i}`,
    title: `Simulated incident ${i}`,
    details: 'Looking for footage of the street between the times given.',
    category: random.pick<Category>(LIMITS.request.categories),
    center: { lat: incident.lat, lng: incident.lng },
    radiusMeters: incident.radiusMeters,
    windowStart: new Date(now - 3 * 3600_000).toISOString(),
    windowEnd: new Date(now - 3600_000).toISOString(),
    lifetimeHours: 24,
    retentionDays: 30
  }
}

/** Resolves once every resident in `expected` has `id` in its inbox, or after `timeoutMs`. */
async function deliveredTo (world: World, id: string, expected: ReadonlySet<number>, timeoutMs: number): Promise<void> {
  const have = (): number => (world.deliveries.get(id) ?? []).filter((d) => expected.has(d.resident)).length
  if (have() >= expected.size) return
  await new Promise<void>((resolve) => {
    const done = (): void => { clearTimeout(timer); world.onDelivery.delete(on); resolve() }
    const on = (got: string): void => { if (got === id && have() >= expected.size) done() }
    const timer = setTimeout(done, timeoutMs)
    world.onDelivery.add(on)
  })
}

function measure (world: World, city: City, id: string, t0: number, incident: Incident, online: (i: number) => boolean): RequestMeasure {
  const expected = new Set(incident.inArea.filter(online))
  const got = (world.deliveries.get(id) ?? []).filter((d) => expected.has(d.resident))
  const traffic = [...world.meters.values()].map((m) => m.of(id))
  // The earliest gossip send of the request anywhere is its agency's publish; without one (never sent), the desk call.
  const sends = traffic.flatMap((t) => t.firstSentAt === undefined ? [] : [t.firstSentAt])
  const publishedAt = sends.length === 0 ? t0 : Math.min(...sends)
  const latenciesMs = got.map((d) => d.at - publishedAt)
  const inTopic = new Set(incident.topicCells)
  let exposed = 0
  let reached = 0
  for (const [i, node] of world.residents.entries()) {
    if (node === undefined || !world.meters.get(node.peerId.toString())!.sawMessage(id)) continue
    reached++
    if (!inTopic.has(city.residents[i]!.topic)) exposed++
  }
  const dups = traffic.flatMap((t) => [...t.received.values()].map((c) => c - 1))
  return {
    id,
    inArea: expected.size,
    delivered: got.length,
    recall: expected.size === 0 ? 1 : got.length / expected.size,
    latenciesMs,
    issueMs: sends.length === 0 ? undefined : publishedAt - t0,
    lastMs: latenciesMs.length === 0 ? undefined : Math.max(...latenciesMs),
    exposure: exposed / city.residents.length,
    reach: reached / city.residents.length,
    bytesSentPerNode: mean(traffic.map((t) => t.bytesSent)),
    bytesReceivedPerNode: mean(traffic.map((t) => t.bytesReceived)),
    maxBytesPerNode: Math.max(0, ...traffic.map((t) => t.bytesSent + t.bytesReceived)),
    duplicatesPerMessage: dups.length === 0 ? 0 : mean(dups)
  }
}

type Publish = (incident: Incident, i: number) => Promise<string>

/** Publishes every incident's request (random gaps, not waiting for delivery), then measures each once delivered. */
async function runDesign (world: World, city: City, incidents: Incident[], random: Random, publish: Publish, opts: SimOptions, label: string): Promise<DesignResult> {
  const say = opts.progress ?? (() => {})
  const online = (i: number): boolean => world.residents[i] !== undefined
  const published: Array<{ id: string, t0: number, incident: Incident, delivered: Promise<void> }> = []
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const elu = performance.eventLoopUtilization()
  for (const [i, incident] of incidents.entries()) {
    const t0 = performance.now()
    const id = await publish(incident, i)
    published.push({ id, t0, incident, delivered: deliveredTo(world, id, new Set(incident.inArea.filter(online)), opts.deliveryTimeoutMs ?? 30_000) })
    say(`${label}: published ${i + 1}/${incidents.length} (${incident.inArea.filter(online).length} in-area residents)`)
    await new Promise((resolve) => setTimeout(resolve, random.exponential(opts.requestIntervalMs ?? 1000)))
  }
  await Promise.all(published.map(async (p) => await p.delivered))
  // Gossip (IHAVE/IWANT) may trail the last delivery by a heartbeat or two: let it land before counting exposure.
  await new Promise((resolve) => setTimeout(resolve, 3 * (opts.heartbeatMs ?? 1000) + 500))
  delay.disable()
  const load: ProcessLoad = {
    eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
    loopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 }
  }
  const perRequest = published.map((p) => measure(world, city, p.id, p.t0, p.incident, online))
  const summary = summarize(perRequest)
  say(`${label}: recall ${(summary.recall * 100).toFixed(2)}%, p99 ${summary.latencyMs.p99.toFixed(0)} ms, exposure ${(summary.exposure.max * 100).toFixed(2)}%; ` +
    `event loop ${(load.eventLoopUtilization * 100).toFixed(0)}% busy, late by p99 ${load.loopDelayMs.p99.toFixed(0)} ms`)
  return { summary, perRequest, process: load }
}

/** Joins every node to the one global topic, each validating with its own request network (any cell of the town accepted). */
async function joinFlood (world: World, city: City): Promise<void> {
  const join = (libp2p: PorchlightLibp2p, network: RequestNetwork): void => {
    joinTopic(libp2p, FLOOD_TOPIC, {
      validator: async (from, msg) => {
        const { result } = await network.ingest(msg.data, { cells: city.topicCells }, from.toString())
        return result === 'accept' ? TopicValidatorResult.Accept : result === 'reject' ? TopicValidatorResult.Reject : TopicValidatorResult.Ignore
      }
    })
  }
  for (const [i, r] of world.residents.entries()) {
    if (r === undefined) continue
    // The geo topics are left, so the desk's own publish on them reaches no one in this phase.
    leaveTopic(r.libp2p, topicName(city.residents[i]!.topic))
    join(r.libp2p, r.services.network)
  }
  for (const a of world.agencies) join(a.libp2p, a.services.network)
  const signal = AbortSignal.timeout(120_000)
  setMaxListeners(Infinity, signal) // one deadline shared by every node's wait
  await Promise.all(world.residents.map(async (r) => { if (r !== undefined) await waitForMeshPeer(r.libp2p, FLOOD_TOPIC, { signal }) }))
}

export async function runSimulation (opts: SimOptions): Promise<SimResults> {
  const began = performance.now()
  const say = opts.progress ?? (() => {})
  const random = createRandom(opts.seed)
  const city = createCity(random, { residents: opts.nodes, agencies: opts.agencies })
  const late = new Set(random.sample(city.residents.map((_, i) => i), Math.round(opts.offline * opts.nodes)))
  const world = await startWorld({ city, random, transport: opts.transport, latencyMs: opts.latencyMs, late, ...(opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs }), progress: say })
  try {
    const startup = (performance.now() - began) / 1000
    say(`startup: ${startup.toFixed(1)} s, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`)
    const incidents = pickIncidents(random, city, world.cameraCells, opts.requests)
    const geo = await runDesign(world, city, incidents, random, async (incident, i) => {
      return (await world.agencies[incident.agency]!.services.requests.desk.create(draftOf(incident, i, random))).id
    }, opts, 'geo')

    let attack: AttackResult | undefined
    if ((opts.adversaries ?? 0) > 0) {
      const deployment = world.chain.deployment!
      const sample = world.classifier.sample === undefined ? undefined : decodeAnnouncement(world.classifier.sample)
      const ratePerSecond = opts.attackRate ?? 5
      const adv = await startAttack({
        world, city, random, count: opts.adversaries!, ratePerSecond, transport: opts.transport, latencyMs: opts.latencyMs,
        ...(opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs }),
        domain: { chainId: deployment.chainId, verifyingContract: deployment.contracts.AgencyRegistry },
        ...(sample?.kind === 'request' ? { template: sample } : {}),
        progress: say
      })
      try {
        say(`attack: ${opts.adversaries} adversaries joined, publishing ${ratePerSecond}/s each`)
        const graylisting = adv.start(60_000)
        const underAttack = await runDesign(world, city, incidents, random, async (incident, i) => {
          return (await world.agencies[incident.agency]!.services.requests.desk.create(draftOf(incident, i + incidents.length, random))).id
        }, opts, 'geo under attack')
        const graylist = await graylisting
        attack = { adversaries: opts.adversaries!, ratePerSecond, geo: underAttack, graylist, ...adv.counts() }
        say(`attack: forwarded invalid ${attack.forwarded}, first hop ${attack.firstHop}, graylisted ${graylist.graylisted}/${graylist.neighbors}`)
      } finally {
        await adv.stop()
      }
    }

    let offline: SimResults['offline']
    if (late.size > 0) {
      const t0 = performance.now()
      await world.startLate()
      const expected = incidents.flatMap((inc, k) => inc.inArea.filter((i) => late.has(i)).map((i) => ({ id: geo.perRequest[k]!.id, i })))
      await Promise.all(geo.perRequest.map(async (m, k) => {
        await deliveredTo(world, m.id, new Set(incidents[k]!.inArea.filter((i) => late.has(i))), opts.deliveryTimeoutMs ?? 30_000)
      }))
      const times = expected.flatMap(({ id, i }) => (world.deliveries.get(id) ?? []).filter((d) => d.resident === i).map((d) => d.at - t0))
      offline = { residents: late.size, expected: expected.length, delivered: times.length, recall: expected.length === 0 ? 1 : times.length / expected.length, lastMs: Math.max(0, ...times) }
      say(`offline: ${times.length}/${expected.length} caught up`)
    }

    let flood: DesignResult | undefined
    if (opts.flood ?? true) {
      await joinFlood(world, city)
      say('flood: mesh formed on the global topic')
      flood = await runDesign(world, city, incidents, random, async (incident, i) => {
        const view = await world.agencies[incident.agency]!.services.requests.desk.create(draftOf(incident, i, random))
        const bytes = encodeAnnouncement({ kind: 'request', request: { message: view.request, signature: view.signature }, logIndex: view.logIndex, checkpoint: view.checkpoint, proof: view.proof })
        await world.agencies[incident.agency]!.libp2p.services.pubsub.publish(FLOOD_TOPIC, bytes)
        return view.id
      }, opts, 'flood')
    }

    const perCell = new Map<string, number>()
    for (const r of city.residents) perCell.set(r.topic, (perCell.get(r.topic) ?? 0) + 1)
    const { progress: _, ...options } = opts
    return {
      options,
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      city: { residents: city.residents.length, agencies: city.agencies.length, topicCells: city.topicCells.length, residentsPerCell: { mean: mean([...perCell.values()]), max: Math.max(...perCell.values()) } },
      incidents: incidents.map(({ cells, inArea, ...rest }) => ({ ...rest, areaCells: cells.length, inArea: inArea.length })),
      wallSeconds: { startup, total: (performance.now() - began) / 1000 },
      failedDials: world.failedDials(),
      rssMiB: process.memoryUsage().rss / 2 ** 20,
      geo,
      ...(offline === undefined ? {} : { offline }),
      ...(flood === undefined ? {} : { flood }),
      ...(attack === undefined ? {} : { attack })
    }
  } finally {
    await world.stop()
  }
}

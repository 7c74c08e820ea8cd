// The simulated city's nodes: an embedded chain with the agencies registered by the council, K agency nodes
// and N resident nodes built exactly as `porchlight start` builds them (createNode + roleSetup), in this
// process, wired by a sim-level rendezvous (see docs/simulations.md: Topology).
import { setMaxListeners } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ChainClient, devCouncil, sharedChain, startEmbeddedChain, type EmbeddedChain } from '../node/chain/index.js'
import { generateKeys, parseConfig, type ChainEndpoint } from '../node/config/index.js'
import { createNode, roleSetup, type AgencyServices, type PorchlightNode, type ResidentServices, type WitnessServices } from '../node/index.js'
import { waitForMeshPeer, waitForTopicPeer, type PorchlightLibp2p } from '../node/p2p/index.js'
import type { InboxItem } from '../node/resident/index.js'
import { cameraCell, topicName, type Domain } from '../protocol/index.js'
import type { City } from './city.js'
import type { Random } from './random.js'
import { RequestClassifier, TrafficMeter } from './traffic.js'
import { pool } from './pool.js'
import { createLogger, getLogLevel } from '../node/logging/index.js'

export type ResidentNode = PorchlightNode<ResidentServices>
export type AgencyNode = PorchlightNode<AgencyServices>
type WitnessNode = PorchlightNode<WitnessServices>

export interface WorldInit {
  city: City
  random: Random
  transport: 'memory' | 'tcp'
  /** Added per-message latency of the memory transport. */
  latencyMs: number
  /** Residents (by index) that start only when `startLate` is called. */
  late?: ReadonlySet<number>
  /** Gossipsub heartbeat. @default 1000 (as deployed) */
  heartbeatMs?: number
  /** Random town-wide peers each resident dials, beside its cell's ring. @default 2 */
  randomPeers?: number
  /** Residents of each jurisdiction cell an agency dials. @default 3 */
  agencyPeersPerCell?: number
  progress?: (line: string) => void
}

export interface Delivery { resident: number, at: number }

export interface World {
  chain: EmbeddedChain
  agencies: AgencyNode[]
  /** Index-aligned with city.residents; undefined while a late resident has not started. */
  residents: Array<ResidentNode | undefined>
  /** Each resident's exact camera cell (res 9) and topic cell (res 7). */
  cameraCells: string[]
  meters: Map<string, TrafficMeter>
  classifier: RequestClassifier
  /** Inbox arrivals per request id, in performance.now() ms. */
  deliveries: Map<string, Delivery[]>
  /** Fires on every inbox arrival. */
  onDelivery: Set<(id: string, d: Delivery) => void>
  /** Planned dials that failed three times (a busy process; they show in recall and latency). */
  failedDials: () => number
  /** Starts the late residents and dials their planned peers. */
  startLate: () => Promise<void>
  /** Every node's libp2p (agencies first). */
  all: () => PorchlightLibp2p[]
  stop: () => Promise<void>
}

const STORE = { cacheSize: 64 * 1024, writeBufferSize: 256 * 1024 }
/** The council's witnesses, as in the demo: one may be down and every checkpoint still counts. */
const WITNESSES = 3
const WITNESS_QUORUM = 2

/** Undirected edges between residents: a ring (and one chord each) within every res-7 cell, plus random town-wide peers. */
export function plannedEdges (city: City, random: Random, randomPeers: number): Array<[number, number]> {
  const byCell = new Map<string, number[]>()
  city.residents.forEach((r, i) => { byCell.set(r.topic, [...(byCell.get(r.topic) ?? []), i]) })
  const edges = new Set<string>()
  const add = (a: number, b: number): void => { if (a !== b) edges.add(a < b ? `${a},${b}` : `${b},${a}`) }
  for (const members of byCell.values()) {
    const order = random.sample(members, members.length)
    order.forEach((m, i) => {
      if (order.length > 1) add(m, order[(i + 1) % order.length]!)
      if (order.length > 3) add(m, order[random.int(0, order.length - 1)]!)
    })
  }
  const n = city.residents.length
  for (let i = 0; i < n && n > 1; i++) for (let k = 0; k < randomPeers; k++) add(i, random.int(0, n - 1))
  return [...edges].map((e) => e.split(',').map(Number) as [number, number])
}

export async function startWorld (init: WorldInit): Promise<World> {
  const { city, random } = init
  const say = init.progress ?? (() => {})
  const late = init.late ?? new Set<number>()
  const chain = await startEmbeddedChain({ accounts: city.agencies.length + 1 })
  const deployment = chain.deployment!
  const endpoint: ChainEndpoint = { rpc: deployment.rpc, chainId: deployment.chainId, contracts: deployment.contracts }
  const domain: Domain = { chainId: deployment.chainId, verifyingContract: deployment.contracts.AgencyRegistry }
  const council = await ChainClient.connect({ deployment, privateKey: chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(deployment) })
  // One registry view for every resident (one process, one chain): a thousand pollers would only load the chain.
  const registry = await ChainClient.connect({ deployment })
  const shared = sharedChain({ registry, domain, endpoint })
  const agencyKeys = city.agencies.map((_, i) => chain.accounts[i + 1]!)
  const validUntil = Math.floor(Date.now() / 1000) + 30 * 86_400
  for (const [i, a] of city.agencies.entries()) {
    await council.registerAgency(agencyKeys[i]!.address, { name: a.name, cells: a.jurisdiction, validUntil })
  }
  say(`chain: ${city.agencies.length} agencies registered`)

  const classifier = new RequestClassifier()
  const meters = new Map<string, TrafficMeter>()
  const deliveries = new Map<string, Delivery[]>()
  const onDelivery = new Set<(id: string, d: Delivery) => void>()
  const libp2pInit = {
    memoryLatencyMs: init.latencyMs,
    ...(init.heartbeatMs === undefined ? {} : { heartbeatIntervalMs: init.heartbeatMs }),
    // Every TCP node is 127.0.0.1 here: libp2p's 5 per second per host would refuse the rendezvous dials.
    inboundConnectionThreshold: 100_000,
    // A thousand nodes share this process's event loop: no ping monitor (see createPorchlightLibp2p).
    connectionMonitor: false
  }
  const listen = (name: string): string[] => [init.transport === 'memory' ? `/memory/${name}-${crypto.randomUUID()}` : '/ip4/127.0.0.1/tcp/0']
  const meter = (node: Pick<PorchlightNode, 'peerId' | 'libp2p'>): void => { meters.set(node.peerId.toString(), new TrafficMeter(node.libp2p, classifier, meters)) }

  // The request identities (age keys) go to disk, as on a real agency node. Every wait below tolerates failure (it is
  // reported and shows in the figures), so nothing here throws with nodes left running.
  const identityRoot = await mkdtemp(join(tmpdir(), 'porchlight-sim-'))
  // One logger for every node, warnings and worse: a thousand nodes' ready lines would bury the run's own.
  const logger = createLogger({ level: getLogLevel('warn') })
  const agencies: AgencyNode[] = []
  const witnesses: WitnessNode[] = []
  const residents: Array<ResidentNode | undefined> = city.residents.map(() => undefined)
  const stop = async (): Promise<void> => {
    say('stopping')
    await pool([...agencies, ...witnesses, ...residents.filter((r) => r !== undefined)], 32, async (n) => { await n.stop().catch(() => {}) })
    await registry.close()
    await chain.stop()
    await rm(identityRoot, { recursive: true, force: true })
  }
  // The council's witnesses (no announcement counts without a quorum of their cosignatures), reached over libp2p
  // on the simulation's transport; they join no gossip, so they are not metered.
  for (let i = 0; i < WITNESSES; i++) {
    const name = `sim-witness-${i}`
    const node = await createNode({
      config: parseConfig({ version: 1, role: 'witness', name, witness: { name, chainId: deployment.chainId }, listen: listen(name) }),
      keys: await generateKeys('witness'),
      services: roleSetup('witness', { chain: shared }).services,
      libp2p: libp2pInit,
      listenApi: false,
      staticDir: false,
      store: STORE,
      logger: logger.child({ node: name })
    }) as WitnessNode
    await node.start()
    witnesses.push(node)
    const view = node.services.witness.view()!
    await council.addWitness({ name, vkey: view.vkey, url: '', multiaddr: view.multiaddrs[0]! })
  }
  await council.setWitnessQuorum(WITNESS_QUORUM)
  await council.close()
  say(`chain: ${WITNESSES} witnesses registered, quorum ${WITNESS_QUORUM}`)

  for (const [i, a] of city.agencies.entries()) {
    // Agencies keep a chain client each (they anchor); the residents share one view.
    const setup = roleSetup('agency', { requests: { identityDir: join(identityRoot, a.name) } })
    const keys = { ...await generateKeys('agency'), agencyKey: agencyKeys[i]!.privateKey }
    const node = await createNode({
      config: parseConfig({ version: 1, role: 'agency', name: a.name, chain: endpoint, listen: listen(a.name) }),
      keys,
      services: setup.services,
      libp2p: { ...libp2pInit, messageId: setup.messageId },
      listenApi: false,
      staticDir: false,
      store: STORE,
      logger: logger.child({ node: a.name })
    }) as AgencyNode
    meter(node)
    await node.start()
    agencies.push(node)
  }

  const cameraCells = city.residents.map((r) => cameraCell(r.lat, r.lng))
  const startResident = async (i: number): Promise<void> => {
    const r = city.residents[i]!
    const setup = roleSetup('resident', { chain: shared })
    const node = await createNode({
      config: parseConfig({ version: 1, role: 'resident', name: r.name, cameras: [{ name: 'porch', lat: r.lat, lng: r.lng }], listen: listen(r.name) }),
      services: setup.services,
      libp2p: { ...libp2pInit, messageId: setup.messageId },
      listenApi: false,
      staticDir: false,
      store: STORE,
      logger: logger.child({ node: r.name })
    }) as ResidentNode
    meter(node)
    node.services.inbox.on('inbox:added', (item: InboxItem) => {
      const d = { resident: i, at: performance.now() }
      deliveries.set(item.id, [...(deliveries.get(item.id) ?? []), d])
      for (const f of onDelivery) f(item.id, d)
    })
    await node.start()
    residents[i] = node
  }

  const online = city.residents.map((_, i) => i).filter((i) => !late.has(i))
  let started = 0
  await pool(online, 16, async (i) => {
    await startResident(i)
    if (++started % 100 === 0) say(`residents started: ${started}/${online.length}`)
  })
  say(`residents started: ${started}/${online.length} (${late.size} start late)`)

  const edges = plannedEdges(city, random, init.randomPeers ?? 2)
  // A dial can time out while the process is busy with hundreds of handshakes: try again, then give up (counted).
  let failedDials = 0
  const dial = async (a: PorchlightLibp2p, b: PorchlightLibp2p): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try { await a.dial(b.getMultiaddrs(), { signal: AbortSignal.timeout(15_000) }); return } catch (err) {
        if (attempt === 3) { failedDials++; say(`dial ${a.peerId.toString().slice(-6)} → ${b.peerId.toString().slice(-6)} (${b.getConnections().length} connections) failed 3 times: ${(err as Error).name} ${(err as Error).message}`); return }
      }
    }
  }
  const dialEdges = async (which: Array<[number, number]>): Promise<void> => {
    let done = 0
    // Few in flight: the process is CPU-bound, so more parallel handshakes only make each one slower, past
    // libp2p's 6 s per-address dial timeout on a busy machine.
    await pool(which, 6, async ([a, b]) => {
      await dial(residents[a]!.libp2p, residents[b]!.libp2p)
      if (++done % 250 === 0) say(`connections: ${done}/${which.length}`)
    })
  }
  await dialEdges(edges.filter(([a, b]) => !late.has(a) && !late.has(b)))
  // Each agency reaches a few residents of every cell of its jurisdiction, and the other agencies.
  const perCell = init.agencyPeersPerCell ?? 3
  const agencyDials: Array<[AgencyNode, number]> = []
  city.agencies.forEach((a, k) => {
    const cells = new Set(a.jurisdiction)
    const byCell = new Map<string, number[]>()
    for (const i of online) if (cells.has(city.residents[i]!.topic)) byCell.set(city.residents[i]!.topic, [...(byCell.get(city.residents[i]!.topic) ?? []), i])
    for (const members of byCell.values()) for (const i of random.sample(members, perCell)) agencyDials.push([agencies[k]!, i])
  })
  say(`agencies dial ${agencyDials.length} residents`)
  await pool(agencyDials, 4, async ([agency, i]) => { await dial(agency.libp2p, residents[i]!.libp2p) })
  for (let a = 0; a < agencies.length; a++) for (let b = a + 1; b < agencies.length; b++) await dial(agencies[a]!.libp2p, agencies[b]!.libp2p)
  say(`connections: ${edges.length} resident links, ${agencyDials.length} agency links, ${failedDials} failed`)

  // The mesh: every resident with a cell-mate online has a mesh peer on its topic; every agency sees a subscriber on each populated cell.
  const populated = new Map<string, number>()
  for (const i of online) populated.set(city.residents[i]!.topic, (populated.get(city.residents[i]!.topic) ?? 0) + 1)
  const signal = AbortSignal.timeout(120_000)
  setMaxListeners(Infinity, signal) // one deadline shared by every node's wait
  let meshed = 0
  const needMesh = online.filter((i) => populated.get(city.residents[i]!.topic)! > 1)
  const unmeshed: number[] = []
  await pool(needMesh, needMesh.length, async (i) => {
    try {
      await waitForMeshPeer(residents[i]!.libp2p, topicName(city.residents[i]!.topic), { signal })
      if (++meshed % 200 === 0) say(`mesh: ${meshed}/${needMesh.length}`)
    } catch {
      unmeshed.push(i)
    }
  })
  for (const i of unmeshed) {
    const l = residents[i]!.libp2p
    const topic = topicName(city.residents[i]!.topic)
    say(`no mesh peer: ${city.residents[i]!.name} topics ${l.services.pubsub.getTopics().join(' ')} want ${topic}; ${l.getPeers().length} peers, ${l.services.pubsub.getSubscribers(topic).length} subscribed`)
  }
  await Promise.all(city.agencies.flatMap((a, k) => a.jurisdiction.filter((c) => populated.has(c)).map(async (c) => {
    // Without one the desk keeps the announcement pending until a subscriber appears (the latency shows it).
    try { await waitForTopicPeer(agencies[k]!.libp2p, topicName(c), { signal }) } catch { say(`${a.name} sees no subscriber on ${c}`) }
  })))
  say(`mesh formed: ${meshed} residents meshed`)


  return {
    chain,
    agencies,
    residents,
    cameraCells,
    meters,
    classifier,
    deliveries,
    onDelivery,
    failedDials: () => failedDials,
    async startLate () {
      const ids = [...late]
      await pool(ids, 16, async (i) => { await startResident(i) })
      await dialEdges(edges.filter(([a, b]) => late.has(a) || late.has(b)))
      say(`late residents started: ${ids.length}`)
    },
    all: () => [...agencies.map((a) => a.libp2p), ...residents.flatMap((r) => r === undefined ? [] : [r.libp2p])],
    stop
  }
}

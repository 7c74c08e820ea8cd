// `porchlight demo`: a whole neighborhood on 127.0.0.1, every part its own process. The chain runs as
// `porchlight chain` with a journal (so it survives a restart), the nodes as `porchlight start`. Every step
// is idempotent and reads what is already there — a node folder that exists is reused, an agency already
// registered is left alone, clips and the sample request are added only where none are — so a second run
// over the same folder comes back from its saved state, and a step whose API route has not landed yet is
// skipped now and done on a later run once it has.
import { createServer } from 'node:net'
import { access, mkdir, readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { Wallet, formatEther, parseEther } from 'ethers'
import { openChainClient, devAccounts, devCouncil, readDeployment, type Registrar, type ContractAddresses, type Deployment } from '../chain/index.js'
import { agencyAddress, configSchema, initNode, loadConfig, loadKeys, nodePaths, parseConfig, saveConfig, writeFileAtomic } from '../config/index.js'
import { readNodeInfo } from '../node-info.js'
import { ed25519 } from '@noble/curves/ed25519.js'
import { PorchlightError } from '../../protocol/errors.js'
import { encodeVerifierKey } from '../../protocol/tlog/index.js'
import type { RegisteredWitness } from '../../protocol/api/witnesses.js'
import { DemoChildren } from './children.js'
import { NodeApiClient, NodeApiError } from '../api/client.js'
import { demoPlan, type DemoNodePlan, type DemoPlan } from './plan.js'
import { missingLinks, type MeshNode } from './mesh.js'
import { makeSampleClip, sampleClipSeconds } from './sample-clips.js'
import { isCameraInArea } from '../../protocol/geo/index.js'

export interface DemoOptions {
  /** @default './.porchlight-demo' */
  dir?: string
  /** @default 8 */
  residents?: number
  /** Agencies' anchoring interval, set when their folders are made. @default 30 */
  anchorIntervalSeconds?: number
  /** Aborting stops whatever has started and rejects. */
  signal?: AbortSignal
  /** Progress, one line at a time. @default nothing */
  log?: (line: string) => void
}

export interface DemoNodeInfo {
  name: string
  role: string
  /** The node's HTTP API base address. */
  api: string
  /** Its bearer token. */
  token: string
  peerId: string
  dir: string
  /** Agencies: their Ethereum address. */
  address?: string
  /** Witnesses: the verifier key the council registered. */
  vkey?: string
}

/** A witness as demo.json lists it: what an outsider needs to check its cosignatures and ask it. */
export interface DemoWitnessInfo {
  name: string
  /** Its HTTP base URL (`POST <url>/add-checkpoint`, `GET <url>/witness/checkpoints/<origin>`). */
  url: string
  vkey: string
}

/** `<dir>/demo.json`. */
export interface DemoInfo {
  chain: { rpc: string, chainId: number, contracts: ContractAddresses }
  nodes: DemoNodeInfo[]
  /** The witnesses the council registered, and the quorum it set. */
  witnesses: DemoWitnessInfo[]
  witnessQuorum: number
  /**
   * The sample request, once published: its id, case code, and the households (resident node names) with a
   * camera inside its area, worked out from the request's cells as the residents' nodes match them.
   */
  sampleRequest?: { id: string, caseCode: string, agency: string, households: string[], outside: string[] }
}

export interface RunningDemo {
  info: DemoInfo
  /** The demo.json path. */
  file: string
  /** Every child process: the chain and the nodes. */
  pids: number[]
  /** Stops the nodes, then the chain, and removes demo.json. */
  stop: () => Promise<void>
}

export const defaultDemoDir = './.porchlight-demo'
export const sampleClipsPerResident = 3

export class DemoStepError extends PorchlightError {
  static override readonly code = 'DEMO_STEP_FAILED'
  static override readonly status = 500
  /** `why`: what the demo saw, for the one line `porchlight demo` prints (it prints no details). */
  constructor (step: string, details: Record<string, unknown>, why?: string) {
    super(DemoStepError.code, `demo step '${step}' did not complete${why === undefined ? '' : ` (${why})`}`, { details: { step, ...details } })
    this.name = 'DemoStepError'
  }
}

export function demoPaths (dir: string): { dir: string, deployment: string, journal: string, logs: string, media: string, nodes: string, demoFile: string } {
  return {
    dir,
    deployment: join(dir, 'chain.json'),
    journal: join(dir, 'chain.journal'),
    logs: join(dir, 'logs'),
    media: join(dir, 'media'),
    nodes: join(dir, 'nodes'),
    demoFile: join(dir, 'demo.json')
  }
}

/** The UI address of a node, with its token in the fragment (never sent to a server, taken by the UI). */
export function uiAddress (node: Pick<DemoNodeInfo, 'api' | 'token'>): string {
  return `${new URL('/', node.api).toString()}#token=${node.token}`
}

function abortable<T> (promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  return new Promise((resolve, reject) => {
    const onAbort = (): void => { reject(signal.reason) }
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => { signal.removeEventListener('abort', onAbort) })
  })
}

/** The ports the kernel hands out for port 0 (Linux's ip_local_port_range); elsewhere the IANA dynamic range. */
async function ephemeralPortRange (): Promise<[number, number]> {
  const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '')
  const [low, high] = text.trim().split(/\s+/).map(Number)
  return low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high) && low > 1024 ? [low, high] : [49152, 65535]
}

/** Where the demo picks its fixed ports: below the ephemeral range, above the well-known ports. */
const demoPortFloor = 10_000

/**
 * Free TCP ports on 127.0.0.1, all distinct (each held open until every one is chosen), below the ephemeral
 * range: a node's ports are chosen when it is made and bound when it starts, seconds later, and on a busy
 * machine a port from the ephemeral range is soon handed to some other program's port-0 socket in between
 * (a witness failed to start with EADDRINUSE in `npm run demo:trials`). Nothing gets a port below that
 * range without asking for it by number.
 */
async function freePorts (count: number, taken: ReadonlySet<number>): Promise<number[]> {
  const [ephemeralLow] = await ephemeralPortRange()
  const high = Math.max(demoPortFloor + 1000, ephemeralLow)
  const servers: Array<ReturnType<typeof createServer>> = []
  try {
    for (let tries = 0; servers.length < count; tries++) {
      if (tries >= 200) throw new DemoStepError('ports', { count, range: [demoPortFloor, high] }, `no free port between ${demoPortFloor} and ${high}`)
      const port = demoPortFloor + Math.floor(Math.random() * (high - demoPortFloor))
      // Another node's port, free now because that node has not started yet (a resident and a witness once
      // drew the same one).
      if (taken.has(port)) continue
      const server = createServer()
      const bound = await new Promise<boolean>((resolve) => { server.once('error', () => { resolve(false) }).listen(port, '127.0.0.1', () => { resolve(true) }) })
      if (bound) servers.push(server)
    }
    return servers.map((s) => (s.address() as { port: number }).port)
  } finally {
    await Promise.all(servers.map(async (s) => { await new Promise((resolve) => s.close(resolve)) }))
  }
}

interface PreparedNode {
  plan: DemoNodePlan
  dir: string
  peerId: string
  address?: string
  vkey?: string
}

/**
 * Makes the folder of every node that has none yet. Ports are fixed at this point (free ones, chosen now)
 * so that the bootstrap addresses written into other nodes' configs and the UI addresses stay valid on
 * every later run. The second agency bootstraps from the first, the auditor from both agencies, each
 * resident from both agencies and from the resident before it in its jurisdiction: one connected mesh.
 * Witnesses bootstrap from nobody (below).
 */
async function prepareNodes (plan: DemoPlan, nodesDir: string, deployment: string, anchorIntervalSeconds: number): Promise<PreparedNode[]> {
  const prepared: PreparedNode[] = []
  /** Every node's ports, made now or on an earlier run: free until that node starts, and not to be drawn twice. */
  const taken = new Set<number>()
  const portsOf = async (dir: string): Promise<number[]> => {
    const config = await loadConfig(dir)
    return [config.api.port, ...config.listen.map((a) => Number(/\/tcp\/(\d+)/.exec(a)?.[1] ?? 0))]
  }
  for (const node of plan.nodes) {
    const dir = join(nodesDir, node.slug)
    if (await access(nodePaths(dir).config).then(() => true, () => false)) for (const port of await portsOf(dir)) taken.add(port)
  }
  const bootstrapOf = async (node: PreparedNode): Promise<string> => {
    const config = await loadConfig(node.dir)
    return `${config.listen[0]!}/p2p/${node.peerId}`
  }
  for (const node of plan.nodes) {
    const dir = join(nodesDir, node.slug)
    const agencies = prepared.filter((p) => p.plan.role === 'agency')
    let peerId: string
    let address: string | undefined
    let vkey: string | undefined
    const existing = await access(nodePaths(dir).config).then(() => true, () => false)
    if (existing) {
      const keys = await loadKeys(dir, node.role)
      peerId = peerIdFromPrivateKey(keys.peerKey).toString()
      address = keys.agencyKey === undefined ? undefined : agencyAddress(keys.agencyKey)
      vkey = keys.witnessKey === undefined ? undefined : encodeVerifierKey(node.name, ed25519.getPublicKey(keys.witnessKey))
    } else {
      // A resident's neighbour is the resident made before it in its own jurisdiction: the two in-area ones
      // are linked on their topic directly, so the request reaches both while one is linked to the agency.
      const previous = prepared.findLast((p) => p.plan.role === 'resident' && p.plan.agency === node.agency)
      // Witnesses join no gossip and dial nobody: agencies and auditors reach them by their registered
      // address. (Bootstrapping them from the first agency spent its inbound-connection rate, then 5 a second
      // from one host, so an in-area resident's own dial to it could be refused, leaving it off the request's topic.)
      const bootstrap = node.role === 'witness' ? [] : await Promise.all([
        ...(node.role === 'agency' ? agencies.slice(0, 1) : agencies),
        ...(node.role === 'resident' && previous !== undefined ? [previous] : [])
      ].map(bootstrapOf))
      const [p2pPort, apiPort] = await freePorts(2, taken)
      const result = await initNode(dir, {
        role: node.role,
        name: node.name,
        listen: [`/ip4/127.0.0.1/tcp/${p2pPort!}`],
        bootstrap,
        chain: deployment,
        apiPort: apiPort!,
        ...(node.cameras === undefined ? {} : { cameras: node.cameras }),
        // The demo town is Boulder: its agencies' pages show Mountain Time, whatever the machine's zone.
        ...(node.role === 'agency' ? { anchorIntervalSeconds, agency: { timeZone: 'America/Denver' } } : {})
      })
      peerId = result.peerId
      address = result.address
      vkey = result.vkey
      taken.add(p2pPort!).add(apiPort!)
    }
    prepared.push({ plan: node, dir, peerId, ...(address === undefined ? {} : { address }), ...(vkey === undefined ? {} : { vkey }) })
  }
  return prepared
}

/**
 * Points the auditor at each agency's log (served by the agency's API at `/checkpoint`, `/tile/…`) and at
 * the anchoring interval the agencies promise. Done on every run, so an auditor made before it had these
 * settings gets them; nothing is written when they are already right. Skipped while the config has no
 * `audit` settings (the auditor has not landed).
 */
async function configureAuditor (nodes: PreparedNode[]): Promise<void> {
  if (!('audit' in (configSchema.properties as object))) return
  const auditor = nodes.find((n) => n.plan.role === 'auditor')
  if (auditor === undefined) return
  const logs: Record<string, string> = {}
  let anchorIntervalSeconds: number | undefined
  for (const agency of nodes.filter((n) => n.plan.role === 'agency')) {
    const config = await loadConfig(agency.dir)
    logs[agency.address!] = `http://${config.api.host}:${config.api.port}`
    anchorIntervalSeconds = config.anchorIntervalSeconds
  }
  const file = nodePaths(auditor.dir).config
  const raw = JSON.parse(await readFile(file, 'utf8')) as { audit?: { logs?: Record<string, string>, anchorIntervalSeconds?: number } }
  const audit = raw.audit ?? {}
  const known = Object.entries(logs).every(([address, url]) => audit.logs?.[address] === url)
  if (known && audit.anchorIntervalSeconds === anchorIntervalSeconds) return
  raw.audit = { ...audit, logs: { ...audit.logs, ...logs }, ...(anchorIntervalSeconds === undefined ? {} : { anchorIntervalSeconds }) }
  await saveConfig(auditor.dir, parseConfig(raw, file))
}

/** Development ether the council gives each agency on the demo's chain. */
const agencyGas = parseEther('100')

/** The demo council's notice period: seconds, so that the demo shows it without making anyone wait long. */
export const demoNoticeSeconds = 3

/**
 * The council (development accounts 0, 1 and 2, through its Safe and timelock) registers each agency not
 * yet registered — all in one notice period — and funds any agency short of gas.
 */
async function registerAgencies (plan: DemoPlan, deployment: Deployment, registrar: Registrar | undefined, nodes: PreparedNode[], log: (line: string) => void): Promise<void> {
  const council = await openChainClient(deployment, { pollingIntervalMs: 0, privateKey: devAccounts(1)[0]!.privateKey, registrar })
  try {
    const pending: Array<Promise<void>> = []
    for (const node of nodes) {
      if (node.plan.role !== 'agency') continue
      if ((await council.agencyInfo(node.address!)).status !== 'none') continue
      const jurisdiction = plan.town.agencies[node.plan.agency!]!
      const validUntil = Math.floor(Date.now() / 1000) + 365 * 86400
      if (deployment.council !== undefined) log(`council proposed '${jurisdiction.name}' (${node.address!}); notice period ${deployment.council.noticeSeconds} s`)
      pending.push(council.registerAgency(node.address!, { name: jurisdiction.name, cells: jurisdiction.cells, validUntil }).then(() => {
        log(`council registered '${jurisdiction.name}' (${node.address!}) for ${jurisdiction.cells.length} res-7 cells of ${plan.town.name}`)
      }))
    }
    await Promise.all(pending)
    // An agency pays for its own anchors (each well under 0.001 ether here), and its key is a fresh one with no ether: without this its log is
    // never anchored and no receipt becomes "publicly anchored". A real transaction, so the journal keeps it.
    const wallet = new Wallet(devAccounts(1)[0]!.privateKey, council.provider)
    for (const node of nodes) {
      if (node.plan.role !== 'agency' || await council.provider.getBalance(node.address!) >= agencyGas / 2n) continue
      await (await wallet.sendTransaction({ to: node.address!, value: agencyGas })).wait()
      log(`council sent ${formatEther(agencyGas)} development ether to ${node.plan.name} for its anchoring gas`)
    }
  } finally {
    await council.close()
  }
}

/** What the council registers for a demo witness: its HTTP API (which serves add-checkpoint) and its libp2p address. */
async function witnessRecord (node: PreparedNode): Promise<RegisteredWitness> {
  const config = await loadConfig(node.dir)
  return { name: node.plan.name, vkey: node.vkey!, url: `http://${config.api.host}:${config.api.port}`, multiaddr: `${config.listen[0]!}/p2p/${node.peerId}` }
}

/**
 * The council registers each witness not yet registered and sets the quorum: without both, no agency's
 * request can be announced (a checkpoint counts only once a quorum of registered witnesses cosigned it).
 */
async function registerWitnesses (plan: DemoPlan, deployment: Deployment, registrar: Registrar | undefined, nodes: PreparedNode[], log: (line: string) => void): Promise<void> {
  const council = await openChainClient(deployment, { pollingIntervalMs: 0, privateKey: devAccounts(1)[0]!.privateKey, registrar })
  try {
    const registered = new Set((await council.witnessSet()).witnesses.map((w) => w.name))
    await Promise.all(nodes.filter((n) => n.plan.role === 'witness' && !registered.has(n.plan.name)).map(async (node) => {
      await council.addWitness(await witnessRecord(node))
      log(`council registered witness '${node.plan.name}'`)
    }))
    if ((await council.witnessSet()).quorum !== plan.witnessQuorum) {
      await council.setWitnessQuorum(plan.witnessQuorum)
      log(`council set the witness quorum: ${plan.witnessQuorum} of ${nodes.filter((n) => n.plan.role === 'witness').length}`)
    }
  } finally {
    await council.close()
  }
}

interface StartedNode extends PreparedNode {
  info: DemoNodeInfo
  api: NodeApiClient
  /** Its libp2p addresses, each with /p2p/<id>. */
  addrs: string[]
}

async function startNode (children: DemoChildren, node: PreparedNode): Promise<StartedNode> {
  const child = await children.start(node.plan.slug, ['start', '--dir', node.dir])
  const running = await readNodeInfo(node.dir)
  if (running?.api === undefined || running.pid !== child.pid) throw new DemoStepError('start', { node: node.plan.slug, reason: 'node.json is missing or stale' })
  const token = (await readFile(nodePaths(node.dir).apiToken, 'utf8')).trim()
  const info: DemoNodeInfo = {
    name: running.name,
    role: running.role,
    api: running.api.url,
    token,
    peerId: running.peerId,
    dir: node.dir,
    ...(running.address === undefined ? {} : { address: running.address }),
    ...(node.vkey === undefined ? {} : { vkey: node.vkey })
  }
  return { ...node, info, api: new NodeApiClient({ url: info.api, token }), addrs: running.addrs }
}

/** Each resident without clips gets a few sample clips, recorded in the hours before now. */
async function addSampleClips (residents: StartedNode[], mediaDir: string, log: (line: string) => void): Promise<void> {
  await Promise.all(residents.map(async (resident, r) => {
    if (!await resident.api.has('POST', '/api/clips')) return
    if ((await resident.api.call('GET /api/clips')).length > 0) return
    const now = Math.floor(Date.now() / 1000)
    for (let k = 0; k < sampleClipsPerResident; k++) {
      const file = await makeSampleClip(mediaDir, r * sampleClipsPerResident + k)
      const camera = resident.plan.cameras![k % resident.plan.cameras!.length]!.name
      const start = now - 2 * 3600 + k * 1200 + r * 60
      await resident.api.fetch('POST /api/clips', { query: { camera, start, duration: sampleClipSeconds }, body: { data: new Uint8Array(await readFile(file)), contentType: 'video/mp4' } })
    }
    log(`${resident.info.name}: ${sampleClipsPerResident} sample clips added`)
  }))
}

/**
 * The first agency asks for footage of an incident in its area, unless it has published a request already.
 * False when it cannot yet: no route, or 503 (a piece it needs, such as its log, is missing).
 */
async function publishSampleRequest (plan: DemoPlan, agency: StartedNode, log: (line: string) => void): Promise<boolean> {
  if (!await agency.api.has('POST', '/api/requests')) return false
  if ((await agency.api.call('GET /api/requests')).length > 0) return true
  const now = Date.now()
  const { incident } = plan.town
  const created = agency.api.call('POST /api/requests', {
    body: {
      caseCode: 'BNP-2026-0417',
      title: 'Porch theft on a North Boulder street',
      details: 'A package and a bicycle were taken from a porch this morning. We are looking for footage of people ' +
        'on foot or on a bicycle passing between 8 and 11 am. Share only what you are comfortable sharing.',
      category: 'burglary',
      center: { lat: incident.lat, lng: incident.lng },
      radiusMeters: incident.radiusMeters,
      windowStart: new Date(now - 6 * 3600_000).toISOString(),
      windowEnd: new Date(now - 10 * 60_000).toISOString(),
      lifetimeHours: 72,
      retentionDays: 90
    }
  })
  try {
    await created
  } catch (err) {
    if (!(err instanceof NodeApiError) || err.httpStatus !== 503) throw err
    log(`${agency.info.name}: no sample request yet (${err.code}: ${err.message})`)
    return false
  }
  log(`${agency.info.name}: sample request published (${incident.radiusMeters} m around ${incident.lat}, ${incident.lng})`)
  return true
}

/** Which residents have a camera inside the agency's oldest request (the sample one): what the demo prints. */
async function sampleRequestInfo (agency: StartedNode, residents: readonly StartedNode[]): Promise<DemoInfo['sampleRequest']> {
  const sample = (await agency.api.call('GET /api/requests')).at(-1)
  if (sample === undefined) return undefined
  const inside = (r: StartedNode): boolean => (r.plan.cameras ?? []).some((c) => isCameraInArea(c.lat, c.lng, sample.request.cells))
  return {
    id: sample.id,
    caseCode: sample.request.caseCode,
    agency: agency.info.name,
    households: residents.filter(inside).map((r) => r.info.name),
    outside: residents.filter((r) => !inside(r)).map((r) => r.info.name)
  }
}

/**
 * Resolves once `check` is true, asking every `intervalMs`: what the demo waits for (connections, an inbox
 * entry) has no change feed in the API, so this poll of local APIs is the event.
 */
async function pollUntil (step: string, check: () => Promise<boolean>, timeoutMs: number, signal: AbortSignal | undefined, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!await check()) {
    if (Date.now() > deadline) throw new DemoStepError(step, { timeoutMs })
    signal?.throwIfAborted()
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/**
 * Waits until the nodes' connections are the mesh their configs ask for (node/demo/mesh.ts): each node
 * linked to every peer it bootstraps from, and none outside the first agency's component. libp2p refuses more
 * than 5 inbound connections a second from one host — which ten nodes starting on 127.0.0.1 can exceed — and
 * a node's bootstrap keeper redials a refused link only 1–2 s later (then later still), so each missing link
 * is dialled at once by the node that should have (`POST /api/peers`), two at a time to stay under that rate:
 * the wait ends as soon as the mesh can, and its log names each link it lacked.
 */
async function awaitMesh (nodes: StartedNode[], timeoutMs: number, signal: AbortSignal | undefined, log: (line: string) => void): Promise<void> {
  const hub = nodes[0]!
  const meshNodes: MeshNode[] = await Promise.all(nodes.map(async (n) => ({
    peerId: n.info.peerId,
    bootstrap: (await loadConfig(n.dir)).bootstrap.map((addr) => ({ peerId: addr.split('/p2p/').at(-1)!, addr }))
  })))
  const byPeer = new Map(nodes.map((n) => [n.info.peerId, n]))
  await pollUntil('mesh', async () => {
    const edges = await Promise.all(nodes.map(async (n) => (await n.api.call('GET /api/peers')).map((p) => [n.info.peerId, p.peerId] as const)))
    const missing = missingLinks(meshNodes, edges.flat(), { peerId: hub.info.peerId, addr: hub.addrs[0]! })
    await Promise.all(missing.slice(0, 2).map(async (link) => {
      const from = byPeer.get(link.from)!
      log(`${from.plan.slug} is not connected to ${byPeer.get(link.to)!.plan.slug}: dialling`)
      await from.api.call('POST /api/peers', { body: { addr: link.addr } }).catch(() => {})
    }))
    return missing.length === 0
  }, timeoutMs, signal, 500)
}

/**
 * Waits until each in-area resident's inbox holds a request, so that the first look finds it. A miss names
 * whether the resident was connected to the publishing agency, and to whom: what tells a gossip miss from
 * a resident no topic peer could reach.
 */
async function awaitInboxes (residents: StartedNode[], publisher: StartedNode, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
  await Promise.all(residents.map(async (resident) => {
    if (!await resident.api.has('GET', '/api/inbox')) return
    try {
      await pollUntil(`inbox of ${resident.plan.slug}`, async () =>
        (await resident.api.call('GET /api/inbox')).items.length > 0, timeoutMs, signal)
    } catch (err) {
      if (!(err instanceof DemoStepError)) throw err
      const peers = (await resident.api.call('GET /api/peers').catch(() => [])).map((p) => p.peerId)
      const connectedToPublisher = peers.includes(publisher.info.peerId)
      throw new DemoStepError(`inbox of ${resident.plan.slug}`, { timeoutMs, connectedToPublisher, peers },
        `${connectedToPublisher ? 'connected' : 'not connected'} to ${publisher.plan.slug}; ${peers.length} peers`)
    }
  }))
}

export async function startDemo (opts: DemoOptions = {}): Promise<RunningDemo> {
  const paths = demoPaths(resolve(opts.dir ?? defaultDemoDir))
  const log = opts.log ?? (() => {})
  const plan = demoPlan(opts.residents ?? 8)
  await mkdir(paths.nodes, { recursive: true })
  await rm(paths.demoFile, { force: true })
  const children = new DemoChildren(paths.logs)
  const stop = async (): Promise<void> => {
    await children.close(['chain'])
    await rm(paths.demoFile, { force: true })
  }

  const setup = async (): Promise<RunningDemo> => {
    await children.start('chain', ['chain', '--port', '0', '--out', paths.deployment, '--journal', paths.journal, '--notice', String(demoNoticeSeconds)])
    const deployment = await readDeployment(paths.deployment)
    log(`chain ready: ${deployment.rpc} (chain id ${deployment.chainId})`)
    // The sample clips take a few seconds of ffmpeg: made while the nodes start.
    const clipsMade = Promise.all(plan.nodes.filter((n) => n.role === 'resident').flatMap((_, r) =>
      Array.from({ length: sampleClipsPerResident }, async (_, k) => await makeSampleClip(paths.media, r * sampleClipsPerResident + k))))
    clipsMade.catch(() => {})
    const prepared = await prepareNodes(plan, paths.nodes, paths.deployment, opts.anchorIntervalSeconds ?? 30)
    await configureAuditor(prepared)
    // Agencies and witnesses wait the same notice period side by side, through one council (one Safe nonce order).
    const registrar = devCouncil(deployment)
    await Promise.all([registerAgencies(plan, deployment, registrar, prepared, log), registerWitnesses(plan, deployment, registrar, prepared, log)])
    // The first agency first: every other node bootstraps from it, and a bootstrap dial to a node not yet
    // listening is retried only after a backoff. The rest together.
    const first = await startNode(children, prepared[0]!)
    const nodes = [first, ...await Promise.all(prepared.slice(1).map(async (node) => await startNode(children, node)))]
    // The gossip mesh: witnesses are not in it (see prepareNodes).
    await awaitMesh(nodes.filter((n) => n.plan.role !== 'witness'), 60_000, opts.signal, log)
    log(`${nodes.length} nodes ready and connected`)
    await clipsMade
    const residents = nodes.filter((n) => n.plan.role === 'resident')
    await addSampleClips(residents, paths.media, log)
    const publisher = nodes.find((n) => n.plan.agency === 0 && n.plan.role === 'agency')!
    let sampleRequest: DemoInfo['sampleRequest']
    if (await publishSampleRequest(plan, publisher, log)) {
      await awaitInboxes(residents.filter((r) => r.plan.inArea === true), publisher, 60_000, opts.signal)
      sampleRequest = await sampleRequestInfo(publisher, residents)
    }
    // A fresh audit pass, so that the auditor's first page already covers the sample request.
    const auditor = nodes.find((n) => n.plan.role === 'auditor')
    if (auditor !== undefined && await auditor.api.has('POST', '/api/audit')) await auditor.api.call('POST /api/audit', { body: {} })
    const info: DemoInfo = {
      chain: { rpc: deployment.rpc, chainId: deployment.chainId, contracts: deployment.contracts },
      nodes: nodes.map((n) => n.info),
      witnesses: await Promise.all(nodes.filter((n) => n.plan.role === 'witness').map(async (n) => {
        const { name, url, vkey } = await witnessRecord(n)
        return { name, url, vkey }
      })),
      witnessQuorum: plan.witnessQuorum,
      ...(sampleRequest === undefined ? {} : { sampleRequest })
    }
    await writeFileAtomic(paths.demoFile, JSON.stringify(info, null, 2) + '\n')
    return { info, file: paths.demoFile, pids: children.pids, stop }
  }

  const running = setup()
  // On abort the setup may still fail after we gave up on it (its children are being stopped).
  running.catch(() => {})
  try {
    return await abortable(running, opts.signal)
  } catch (err) {
    await stop()
    throw err
  }
}

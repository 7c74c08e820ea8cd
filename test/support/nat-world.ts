// Porchlight on the real-NAT topology (test/support/netns.ts): `porchlight chain`, a witness, an agency
// (and a relay, when asked) in the "internet" namespace, one resident in each home behind its router, every
// one a real `porchlight` process run from the sources with the loader hook that makes 203.0.113.0/24
// public (public-internet-range.mjs). The test process reaches each node's API through a socket file
// (netns-forward.mjs), so its NodeApiClient works as on 127.0.0.1. Shared by the integration test and the bench.
import { createServer, connect, type Server, type AddressInfo } from 'node:net'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'
import { latLngToCell } from 'h3-js'
import { devAccounts, devCouncil, openChainClient, readDeployment, type Deployment } from '../../node/chain/index.js'
import { initNode, loadConfig, parseConfig, saveConfig, type ChainEndpoint, type Camera, type InitOptions } from '../../node/config/index.js'
import { NodeApiClient } from '../../node/api/client.js'
import type { RequestDraftBody } from '../../protocol/index.js'
import { corner, draft, jurisdiction } from '../helpers/agency-fixture.js'
import { PorchlightError } from '../../protocol/errors.js'
import { buildNatTopology, natAddresses, stopChild, type Namespace, type NatTopology } from './netns.js'

const bin = fileURLToPath(new URL('../../bin/porchlight.js', import.meta.url))
/** The loader hook every node process of this world imports (test/support/public-internet-range.mjs). */
export const hook = new URL('./public-internet-range.mjs', import.meta.url).href
const forwarder = fileURLToPath(new URL('./netns-forward.mjs', import.meta.url))
/** One p2p port for every node: each has an address (or a namespace) of its own, so none collide. */
export const p2pPort = 4001

export class NatChildFailedError extends PorchlightError {
  static override readonly code = 'NAT_CHILD_FAILED'
  static override readonly status = 500
  constructor (name: string, details: { exitCode: number | null, signal: string | null, log: string, tail: string }) {
    super(NatChildFailedError.code, `'${name}' exited before it was ready (${details.log}):\n${details.tail}`, { details: { name, ...details } })
    this.name = 'NatChildFailedError'
  }
}

export class NatWaitTimeoutError extends PorchlightError {
  static override readonly code = 'NAT_WAIT_TIMEOUT'
  static override readonly status = 500
  constructor (what: string, timeoutMs: number) {
    super(NatWaitTimeoutError.code, `timed out after ${timeoutMs} ms waiting for ${what}`, { details: { what, timeoutMs } })
    this.name = 'NatWaitTimeoutError'
  }
}

async function tail (file: string, lines = 30): Promise<string> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(-lines).join('\n')
}

/** Starts a process in `ns` and resolves once it says `porchlight:ready` over IPC; rejects if it exits first. */
async function startReady (ns: Namespace, name: string, args: string[], log: string, opts: { compiled?: boolean, timeoutMs?: number, env?: NodeJS.ProcessEnv } = {}): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORCHLIGHT_FROM_SOURCES: '1', ...opts.env }
  if (opts.compiled === true) delete env.PORCHLIGHT_FROM_SOURCES
  const timeoutMs = opts.timeoutMs ?? 120_000
  const child = ns.spawn(process.execPath, args, { log, env })
  await new Promise<void>((resolve, reject) => {
    const done = (): void => { clearTimeout(timer); child.off('exit', onExit); child.off('message', onMessage) }
    const timer = setTimeout(() => { done(); reject(new NatWaitTimeoutError(`${name} to be ready`, timeoutMs)) }, timeoutMs)
    const onExit = (exitCode: number | null, signal: string | null): void => {
      done()
      tail(log).then((t) => { reject(new NatChildFailedError(name, { exitCode, signal, log, tail: t })) }, reject)
    }
    const onMessage = (message: unknown): void => {
      if ((message as { type?: string } | null)?.type === 'porchlight:ready') { done(); resolve() }
    }
    child.on('exit', onExit)
    child.on('message', onMessage)
  })
  return child
}

/** A TCP server on the host's 127.0.0.1 passing each connection to a socket file. */
async function hostPort (socketPath: string): Promise<{ port: number, server: Server }> {
  const server = createServer((client) => {
    const upstream = connect({ path: socketPath })
    const close = (): void => { client.destroy(); upstream.destroy() }
    client.on('error', close)
    upstream.on('error', close)
    client.pipe(upstream).pipe(client)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { port: (server.address() as AddressInfo).port, server }
}

/**
 * Polls `check` until it is true: what these waits follow (a peer list, an inbox, a reservation) lives in
 * another process whose API has no change feed, so the poll of its API is the event.
 */
export async function until (what: string, check: () => Promise<boolean>, timeoutMs = 60_000, intervalMs = 200): Promise<number> {
  const start = performance.now()
  while (!await check().catch(() => false)) {
    if (performance.now() - start > timeoutMs) throw new NatWaitTimeoutError(what, timeoutMs)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  return performance.now() - start
}

export interface NatNode {
  name: string
  ns: Namespace
  dir: string
  peerId: string
  /** Its /p2p/ multiaddr on its public (or LAN) address. */
  addr: string
  /** Agencies: the Ethereum address. */
  address?: string
  /** Witnesses: the verifier key the council registers. */
  vkey?: string
  api: NodeApiClient
  /** GET of a route the typed client does not list (`/api/shares/:id`), with the token. */
  get (path: string): Promise<any>
  /** One figure of its `/metrics` (the sum over its labels), or undefined when it has none of that name. */
  metric (name: string): Promise<number | undefined>
  log: string
  /** The running process (undefined while stopped). */
  child: ChildProcess | undefined
  /** `nodeArgs`: Node options before the program (`--max-semi-space-size=2`). */
  start (opts?: { nodeArgs?: string[] }): Promise<void>
  stop (): Promise<void>
}

export interface NatWorldOptions {
  /** A separate relay node (role `relay`, from issue 16's core). @default false */
  relay?: boolean
  /** Changes to a node's config.json before its first start, by node name. */
  configure?: Partial<Record<string, (config: Record<string, unknown>) => void>>
  /** Which nodes to start. @default every one */
  residents?: Array<'a' | 'b'>
  /** Both residents in one res-7 cell (cell-mates); false puts B in the next cell, still inside the requests' area. @default true */
  cellMates?: boolean
  /** Run the compiled program (dist/, `npm run build:node` first) rather than the sources: what the bench measures. @default false */
  compiled?: boolean
  /** libp2p's debug namespaces for the nodes' logs (`DEBUG`, e.g. `libp2p:dcutr*`). @default none */
  debug?: string
  /** Changes to the network before any node starts (a router's firewall). */
  beforeStart?: (topology: NatTopology) => Promise<void>
}

export interface NatWorld {
  topology: NatTopology
  dir: string
  /** The chain as the namespaces' nodes reach it. */
  endpoint: ChainEndpoint
  /** The chain as this process reaches it. */
  hostDeployment: Deployment
  witness: NatNode
  agency: NatNode
  relay?: NatNode
  residentA?: NatNode
  residentB?: NatNode
  /** Every node, in start order. */
  nodes: NatNode[]
  /** The tail of every node's log, for a failure message. */
  logs (): Promise<string>
  stop (): Promise<void>
}

/** A resident's camera: on the corner the requests cover, so both residents are in one res-7 cell (cell-mates). */
function cameraOnCorner (name: string): Camera[] {
  return [{ name: `${name}-porch`, ...corner }]
}

/** A camera ~50 m from the corner, inside the requests' area but in another res-7 cell: a resident who is no cell-mate. */
function cameraAcrossTheCorner (name: string): Camera[] {
  const home = latLngToCell(corner.lat, corner.lng, 7)
  const step = 0.0005
  const at = [[step, 0], [-step, 0], [0, step], [0, -step], [step, step], [-step, -step]]
    .map(([dlat, dlng]) => ({ lat: corner.lat + dlat!, lng: corner.lng + dlng! }))
    .find((p) => latLngToCell(p.lat, p.lng, 7) !== home)!
  return [{ name: `${name}-porch`, ...at }]
}

export async function startNatWorld (opts: NatWorldOptions = {}): Promise<NatWorld> {
  const topology = await buildNatTopology()
  const dir = await mkdtemp(join(tmpdir(), 'pl-nat-'))
  const servers: Server[] = []
  const forwarders: ChildProcess[] = []
  const nodes: NatNode[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map(async (n) => { await n.stop() }))
    await Promise.all(forwarders.map(async (f) => { await stopChild(f, 2_000) }))
    await Promise.all(servers.map(async (s) => { await new Promise((resolve) => s.close(resolve)) }))
    await topology.destroy()
    await rm(dir, { recursive: true, force: true })
  }
  const logs = async (): Promise<string> => (await Promise.all(nodes.map(async (n) => `--- ${n.name} (${n.log})\n${await tail(n.log, 40)}`))).join('\n')
  try {
    // Ports on the host first (port 0): each node's API then listens on the same number inside its own
    // namespace, where nothing else runs, so the Host header the client sends names the node's own port.
    const socket = (name: string): string => join(dir, `${name}.sock`)
    const hostPortOf = async (name: string): Promise<number> => {
      const { port, server } = await hostPort(socket(name))
      servers.push(server)
      return port
    }
    const names = ['chain', 'witness', 'agency', ...(opts.relay === true ? ['relay'] : []), 'resident-a', 'resident-b']
    const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await hostPortOf(n)] as const))) as Record<string, number>
    const forward = async (ns: Namespace, name: string, pairs: string[]): Promise<void> => {
      forwarders.push(await startReady(ns, `forward-${name}`, [forwarder, ...pairs], join(dir, `forward-${name}.log`)))
    }
    const local = (name: string): string => `unix:${socket(name)}=tcp:127.0.0.1:${ports[name]!}`
    await forward(topology.internet, 'internet', [
      // The embedded chain binds 127.0.0.1: offered on its public address too.
      `tcp:${natAddresses.chain}:${ports.chain!}=tcp:127.0.0.1:${ports.chain!}`,
      local('chain'),
      `unix:${socket('witness')}=tcp:${natAddresses.witness}:${ports.witness!}`
    ])
    await forward(topology.agencyHost, 'agency', [local('agency')])
    if (opts.relay === true) await forward(topology.relayHost, 'relay', [local('relay')])
    await forward(topology.homeA, 'home-a', [local('resident-a')])
    await forward(topology.homeB, 'home-b', [local('resident-b')])

    await opts.beforeStart?.(topology)
    const compiled = opts.compiled === true
    const chainChild = await startReady(topology.internet, 'chain', [bin, 'chain', '--port', String(ports.chain!), '--out', join(dir, 'chain.json')], join(dir, 'chain.log'), { compiled })
    nodes.push(fixedNode('chain', topology.internet, dir, chainChild))
    const deployment = await readDeployment(join(dir, 'chain.json'))
    const endpoint: ChainEndpoint = { rpc: `http://${natAddresses.chain}:${ports.chain!}`, chainId: deployment.chainId, contracts: deployment.contracts }
    const hostDeployment: Deployment = { ...deployment, rpc: `http://127.0.0.1:${ports.chain!}` }

    const make = async (name: string, ns: Namespace, host: string, init: Omit<InitOptions, 'name' | 'listen' | 'apiPort' | 'chain'>): Promise<NatNode> => {
      const nodeDir = join(dir, name)
      const result = await initNode(nodeDir, { ...init, name, listen: [`/ip4/${host}/tcp/${p2pPort}`], apiPort: ports[name]!, chain: endpoint })
      const edit = opts.configure?.[name]
      if (edit !== undefined) await editConfig(nodeDir, edit)
      const token = (await readFile(join(nodeDir, 'api-token'), 'utf8')).trim()
      const log = join(dir, `${name}.log`)
      const node: NatNode = {
        name,
        ns,
        dir: nodeDir,
        peerId: result.peerId,
        addr: `/ip4/${host}/tcp/${p2pPort}/p2p/${result.peerId}`,
        ...(result.address === undefined ? {} : { address: result.address }),
        ...(result.vkey === undefined ? {} : { vkey: result.vkey }),
        api: new NodeApiClient({ url: `http://127.0.0.1:${ports[name]!}`, token }),
        get: async (path) => await getJson(`http://127.0.0.1:${ports[name]!}`, token, path),
        metric: async (metricName) => await metricOf(`http://127.0.0.1:${ports[name]!}`, token, metricName),
        log,
        child: undefined,
        async start (startOpts) {
          node.child = await startReady(ns, name, [...startOpts?.nodeArgs ?? [], '--import', hook, bin, 'start', '--dir', nodeDir], log, { compiled, ...(opts.debug === undefined ? {} : { env: { DEBUG: opts.debug } }) })
        },
        async stop () {
          if (node.child !== undefined) await stopChild(node.child)
          node.child = undefined
        }
      }
      nodes.push(node)
      return node
    }

    const witness = await make('witness', topology.internet, natAddresses.witness, {
      role: 'witness', apiHost: natAddresses.witness, witness: { url: `http://${natAddresses.witness}:${ports.witness!}` }
    })
    // The agency dials the relay (its bootstrap peer), not the other way round: a reservation's circuit
    // address is built from the relay connection's remote address, which for a connection the relay had
    // dialled would be the relay's ephemeral source port, which nobody can dial.
    const relay = opts.relay === true ? await make('relay', topology.relayHost, natAddresses.relay, { role: 'relay' }) : undefined
    const agency = await make('agency', topology.agencyHost, natAddresses.agency, { role: 'agency', anchorIntervalSeconds: 3600, bootstrap: relay === undefined ? [] : [relay.addr] })
    const bootstrap = [agency.addr, ...(relay === undefined ? [] : [relay.addr])]
    const wanted = opts.residents ?? ['a', 'b']
    const residentA = wanted.includes('a') ? await make('resident-a', topology.homeA, natAddresses.homeA.resident, { role: 'resident', bootstrap, cameras: cameraOnCorner('a') }) : undefined
    const residentB = wanted.includes('b') ? await make('resident-b', topology.homeB, natAddresses.homeB.resident, { role: 'resident', bootstrap, cameras: opts.cellMates === false ? cameraAcrossTheCorner('b') : cameraOnCorner('b') }) : undefined

    await registerOnChain(hostDeployment, agency, witness, `http://${natAddresses.witness}:${ports.witness!}`)
    await witness.start()
    if (relay !== undefined) await relay.start()
    await agency.start()
    await Promise.all([residentA, residentB].filter((r) => r !== undefined).map(async (r) => { await r.start() }))
    return {
      topology,
      dir,
      endpoint,
      hostDeployment,
      witness,
      agency,
      ...(relay === undefined ? {} : { relay }),
      ...(residentA === undefined ? {} : { residentA }),
      ...(residentB === undefined ? {} : { residentB }),
      nodes,
      logs,
      stop
    }
  } catch (err) {
    const why = await logs().catch(() => '')
    await stop()
    if (err instanceof Error && why !== '') err.message += `\n${why}`
    throw err
  }
}

/** A process that is not a node (the chain): stopped with the others, never restarted. */
function fixedNode (name: string, ns: Namespace, dir: string, child: ChildProcess): NatNode {
  const node: NatNode = {
    name,
    ns,
    dir,
    peerId: '',
    addr: '',
    api: new NodeApiClient({ url: 'http://127.0.0.1:1', token: '' }),
    get: async () => { throw new NatWaitTimeoutError(`${name} has no API`, 0) },
    metric: async () => undefined,
    log: join(dir, `${name}.log`),
    child,
    async start () {},
    async stop () {
      if (node.child !== undefined) await stopChild(node.child)
      node.child = undefined
    }
  }
  return node
}

/** The council (development account 0) registers the agency over test/helpers' jurisdiction, and the witness with a quorum of one. */
async function registerOnChain (deployment: Deployment, agency: NatNode, witness: NatNode, witnessUrl: string): Promise<void> {
  const council = await openChainClient(deployment, { pollingIntervalMs: 0, privateKey: devAccounts(1)[0]!.privateKey, registrar: devCouncil(deployment) })
  try {
    await council.registerAgency(agency.address!, { name: 'SF Police', cells: jurisdiction, validUntil: Math.floor(Date.now() / 1000) + 365 * 86400 })
    await council.addWitness({ name: witness.name, vkey: witness.vkey!, url: witnessUrl, multiaddr: witness.addr })
    await council.setWitnessQuorum(1)
  } finally {
    await council.close()
  }
}

/** Changes a (stopped) node's config.json, checked as `porchlight start` checks it. */
export async function editConfig (dir: string, edit: (config: Record<string, unknown>) => void): Promise<void> {
  const raw = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>
  edit(raw)
  await saveConfig(dir, parseConfig(raw))
}

async function metricOf (base: string, token: string, name: string): Promise<number | undefined> {
  const res = await fetch(new URL('/metrics', base), { headers: { authorization: `Bearer ${token}` } })
  const samples = (await res.text()).split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
  return samples.length === 0 ? undefined : samples.reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)
}

async function getJson (base: string, token: string, path: string): Promise<any> {
  const res = await fetch(new URL(path, base), { headers: { authorization: `Bearer ${token}` } })
  const body = await res.json() as { error?: { code: string } }
  if (!res.ok) throw new NatWaitTimeoutError(`${path}: ${res.status} ${body.error?.code ?? ''}`, 0)
  return body
}

/** The agency publishes a request around the corner both residents' cameras are on (test/helpers' draft); its id. */
export async function publishRequest (agency: NatNode, caseCode: string): Promise<string> {
  return (await agency.api.call('POST /api/requests', { body: draft({ caseCode }) as unknown as RequestDraftBody })).id
}

export async function inboxHas (node: NatNode, id: string): Promise<boolean> {
  return (await node.api.call('GET /api/inbox')).items.some((i) => i.id === id)
}

/** Adds `bytes` as a clip of the node's camera an hour ago (inside publishRequest's window); its CID. */
export async function addClip (node: NatNode, bytes: Uint8Array): Promise<string> {
  const camera = (await loadConfig(node.dir)).cameras[0]!.name
  const res = await node.api.fetch('POST /api/clips', { query: { camera, start: Math.floor(Date.now() / 1000) - 3600, duration: 60 }, body: { data: bytes, contentType: 'video/mp4', length: bytes.length } })
  return ((await res.json()) as { cid: string }).cid
}

/** Consents to share `cids` for `request` and resolves with the share once it is delivered (or failed). */
export async function share (node: NatNode, request: string, cids: string[], timeoutMs = 60_000): Promise<{ id: string, state: string, error?: { code: string } }> {
  const consent = await node.api.call('POST /api/inbox/:id/consent', { params: { id: request }, body: { clips: cids } })
  let last: { state: string } | undefined
  await until(`share ${consent.id} of ${node.name} to end`, async () => {
    last = await node.get(`/api/shares/${consent.id}`)
    return last!.state === 'delivered' || last!.state === 'failed'
  }, timeoutMs, 100)
  return last as never
}

/** Whether a node's log so far has a line matching `pattern` (libp2p's debug lines, with `debug` set). */
export async function logHas (node: NatNode, pattern: RegExp): Promise<boolean> {
  return (await readFile(node.log, 'utf8')).split('\n').some((l) => pattern.test(l))
}

/** A node's log so far, one object per JSON line (pino): the node's own record of what it did. */
export async function logLines (node: NatNode): Promise<Array<Record<string, unknown>>> {
  return (await readFile(node.log, 'utf8')).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
}

/** `reachability` from GET /api/node/self (the Reachability part of issue 16), or undefined on a node without it. */
export async function reachabilityOf (node: NatNode): Promise<string | undefined> {
  return ((await node.api.call('GET /api/node/self')) as { reachability?: string }).reachability
}

/**
 * Resident A as a household with a forwarded port: router A forwards the p2p port to it (the DNAT rule a UPnP
 * mapping would add: miniupnpd refuses documentation-range WAN addresses), it announces that port, as its
 * operator would, and holds no reservation (a reachable node needs none). Left stopped: start it after.
 */
export async function forwardPortToResidentA (w: NatWorld): Promise<void> {
  const a = w.residentA!
  await a.stop()
  await w.topology.routerA.forwardPort('wan', p2pPort, natAddresses.homeA.resident)
  await editConfig(a.dir, (c) => {
    c.announce = [`/ip4/${natAddresses.routerA}/tcp/${p2pPort}`]
    c.network = { ...(c.network as object | undefined), reservations: 0 }
  })
}

/** Its circuit addresses (`…/p2p/<relay>/p2p-circuit/p2p/<self>`), by relay peer id. */
export async function circuitAddresses (node: NatNode): Promise<Map<string, string>> {
  const addrs = (await node.api.call('GET /api/node')).addrs
  return new Map(addrs.filter((a) => a.includes('/p2p-circuit')).map((a) => [a.split('/p2p-circuit')[0]!.split('/p2p/').at(-1)!, a]))
}

/** The remote address of each connection `node` has to `peer` (several while a relayed one is being replaced). */
export async function connectionsTo (node: NatNode, peer: NatNode): Promise<string[]> {
  return (await node.api.call('GET /api/peers')).filter((p) => p.peerId === peer.peerId).map((p) => p.addr)
}

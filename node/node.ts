// A Porchlight node: config, keys, store, libp2p, the HTTP API and the role's services, started and stopped
// in one place. Everything belongs to the instance, so a simulation can run a thousand in one process.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EventEmitter } from 'node:events'
import type { PeerId } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { loadConfig, loadKeys, generateKeys, agencyAddress, resolveNetwork, type NodeConfig, type NodeKeys } from './config/index.js'
import { openStore, type Store, type StoreOptions } from './storage/index.js'
import { createPorchlightLibp2p, type PorchlightLibp2p, type PorchlightLibp2pInit } from './p2p/index.js'
import { createApiServer, hostAllowList, type ApiServer } from './api/index.js'
import { loadApiTls, type ApiTls } from './api/tls.js'
import { DeviceBook, deviceRoutes } from './api/devices.js'
import { nodeRoutes } from './node-routes.js'
import { writeNodeInfo, removeNodeInfo, type NodeInfo } from './node-info.js'
import { createLogger, getLogLevel, type Logger } from './logging/index.js'
import type { NodeService, ServiceSpecs, NodeComponents } from './service.js'
import { buildServices, type BuiltService } from './compose.js'
import { uiOrigins } from './ui/index.js'

export interface PorchlightNodeEvents {
  'node:started': [NodeInfo]
  'node:stopped': []
}

export interface CreateNodeInit<S extends Record<string, object> = Record<string, NodeService>> {
  /** The node's directory: config.json, keys/, api-token, db/, node.json. Optional only with `config`. */
  dir?: string
  /** Use this config instead of `<dir>/config.json`. */
  config?: NodeConfig
  /** Use these keys instead of `<dir>/keys` (fresh ones when there is no dir). */
  keys?: NodeKeys
  /** The role's services (node/roles.ts), built and started in dependency order after libp2p and before the API. */
  services?: ServiceSpecs<S>
  /** libp2p options beyond the config (message id, heartbeat, transport, memory latency). */
  libp2p?: Omit<PorchlightLibp2pInit, 'privateKey' | 'listen' | 'announce' | 'bootstrap' | 'mdns' | 'start'>
  /** `false`: routes are registered but no port is opened (simulations). */
  listenApi?: boolean
  /** The UI folder served at `/`, or false. @default <repo>/ui/dist */
  staticDir?: string | false
  store?: StoreOptions
  /** Log through this instead of JSON lines on stdout at the config's level (tests, simulations). */
  logger?: Logger
}

export class PorchlightNode<S extends Record<string, object> = Record<string, NodeService>> extends EventEmitter<PorchlightNodeEvents> {
  readonly config: NodeConfig
  readonly dir: string | undefined
  readonly peerId: PeerId
  readonly keys: NodeKeys
  readonly store: Store
  readonly libp2p: PorchlightLibp2p
  readonly api: ApiServer
  /** The certificate the API serves HTTPS with; undefined for plain HTTP (loopback). */
  readonly apiTls: ApiTls | undefined
  /** The devices paired to reach the UI with tokens of their own (node/api/devices.ts). */
  readonly devices: DeviceBook
  readonly services: S
  readonly logger: Logger
  /** The services in dependency order: started in it, stopped in reverse. */
  private readonly ordered: readonly NodeService[]
  private readonly listenApi: boolean
  private readonly tempDir: string | undefined
  private started = false
  private startedAt = ''

  constructor (components: NodeComponents & { api: ApiServer, apiTls: ApiTls | undefined, devices: DeviceBook, services: readonly BuiltService[], listenApi: boolean, tempDir: string | undefined }) {
    super()
    this.config = components.config
    this.dir = components.dir
    this.peerId = components.peerId
    this.keys = components.keys
    this.store = components.store
    this.libp2p = components.libp2p
    this.api = components.api
    this.apiTls = components.apiTls
    this.devices = components.devices
    this.services = Object.fromEntries(components.services.map((b) => [b.name, b.service])) as S
    this.ordered = components.services.map((b) => b.service)
    this.logger = components.logger
    this.listenApi = components.listenApi
    this.tempDir = components.tempDir
  }

  /** What node.json and `GET /api/node` report (the latter only its public fields). */
  info (): NodeInfo {
    const api = this.api.address()
    return {
      role: this.config.role,
      name: this.config.name,
      peerId: this.peerId.toString(),
      addrs: this.libp2p.getMultiaddrs().map(String),
      reachability: this.libp2p.services.reachability?.status ?? 'unknown',
      ...(api === undefined ? {} : { api: this.apiTls === undefined ? api : { ...api, certificate: this.apiTls.cert, fingerprint: this.apiTls.fingerprint } }),
      ...(this.keys.agencyKey === undefined ? {} : { address: agencyAddress(this.keys.agencyKey) }),
      pid: process.pid,
      startedAt: this.startedAt
    }
  }

  async start (): Promise<void> {
    if (this.started) return
    const undo: Array<() => Promise<void>> = []
    try {
      await this.libp2p.start()
      undo.push(async () => { await this.libp2p.stop() })
      for (const service of this.ordered) {
        await service.start?.()
        undo.push(async () => { await service.stop?.() })
      }
      if (this.listenApi) {
        await this.api.start()
        undo.push(async () => { await this.api.stop() })
      } else {
        await this.api.app.ready()
      }
      this.startedAt = new Date().toISOString()
      if (this.dir !== undefined) await writeNodeInfo(this.dir, this.info())
    } catch (err) {
      for (const step of undo.reverse()) await step().catch(() => {})
      this.logger.error({ err }, 'node: start failed')
      throw err
    }
    this.started = true
    const { peerId, addrs, api } = this.info()
    this.logger.info({ peerId, addrs, api: api?.url, ...(api?.fingerprint === undefined ? {} : { fingerprint: api.fingerprint }) }, 'node: ready')
    this.emit('node:started', this.info())
  }

  /** Stops everything and closes the store; a stopped node is not started again (create a new one). */
  async stop (): Promise<void> {
    const errors: unknown[] = []
    const attempt = async (step: () => Promise<void> | void): Promise<void> => { try { await step() } catch (err) { errors.push(err) } }
    if (this.dir !== undefined) await attempt(async () => { await removeNodeInfo(this.dir!) })
    await attempt(async () => { await this.api.stop() })
    for (const service of [...this.ordered].reverse()) await attempt(async () => { await service.stop?.() })
    await attempt(async () => { await this.libp2p.stop() })
    await attempt(async () => { await this.store.close() })
    if (this.tempDir !== undefined) await attempt(async () => { await rm(this.tempDir!, { recursive: true, force: true }) })
    const wasStarted = this.started
    this.started = false
    if (wasStarted) this.emit('node:stopped')
    for (const err of errors) this.logger.error({ err }, 'node: error while stopping')
    if (wasStarted) this.logger.info('node: stopped')
    if (errors.length > 0) throw new AggregateError(errors, 'errors while stopping the node')
  }
}

/**
 * The address a device opens: the UI at the API's host (for a wildcard, the first name its certificate is
 * for), the token in the fragment, which the browser never sends (ui/src/session/token.ts).
 */
function pairingLink (config: NodeConfig, tls: ApiTls | undefined, port: number | undefined, token: string): string {
  const wildcard = ['0.0.0.0', '::', '[::]'].includes(config.api.host)
  const host = wildcard ? tls?.names[0] ?? 'localhost' : config.api.host.includes(':') && !config.api.host.startsWith('[') ? `[${config.api.host}]` : config.api.host
  return `${tls === undefined ? 'http' : 'https'}://${host}:${port ?? config.api.port}/#token=${token}`
}

function transportOf (listen: string[]): 'tcp' | 'memory' {
  return listen.every((a) => a.startsWith('/memory/')) ? 'memory' : 'tcp'
}

/** Builds a node (not yet started) from its directory, or from a config. */
/** New inbound connections an agency accepts a second from one host (libp2p's default is 5). */
export const AGENCY_INBOUND_CONNECTIONS_PER_SECOND = 64

export async function createNode<S extends Record<string, object> = Record<string, NodeService>> (init: CreateNodeInit<S>): Promise<PorchlightNode<S>> {
  if (init.dir === undefined && init.config === undefined) throw new TypeError('createNode needs a dir or a config')
  const config = init.config ?? await loadConfig(init.dir!)
  const logger = init.logger ?? createLogger({ level: getLogLevel(config.log?.level), base: { role: config.role, node: config.name } })
  const keys = init.keys ?? (init.dir !== undefined ? await loadKeys(init.dir, config.role) : await generateKeys(config.role))
  const tempDir = init.dir === undefined ? await mkdtemp(join(tmpdir(), 'porchlight-node-')) : undefined
  const store = await openStore(init.dir ?? tempDir!, init.store)
  const network = resolveNetwork(config)
  try {
    const libp2p = await createPorchlightLibp2p({
      reservations: network.reservations,
      upnp: network.upnp,
      relayServer: network.relay === false ? false : { maxReservations: network.relay.maxReservations, gossip: network.relay.gossip },
      transport: transportOf(config.listen),
      // An agency takes a new connection for every delivery attempt, deletion request and receipt check
      // (each from a single-use identity, issue 15), and many households share one address behind a carrier
      // NAT: libp2p's 5 a second per host refused honest ones. What one address may cost it past the
      // handshake is bounded by the delivery limits (docs/agency.md).
      ...(config.role === 'agency' ? { inboundConnectionThreshold: AGENCY_INBOUND_CONNECTIONS_PER_SECOND } : {}),
      ...init.libp2p,
      bootstrapKeeper: { log: logger.child({ component: 'bootstrap' }), ...init.libp2p?.bootstrapKeeper },
      reachability: { log: logger.child({ component: 'reachability' }), ...init.libp2p?.reachability },
      privateKey: keys.peerKey,
      listen: config.listen,
      ...(config.announce === undefined ? {} : { announce: config.announce }),
      bootstrap: config.bootstrap,
      mdns: config.mdns,
      start: false
    })
    const apiTls = await loadApiTls(init.dir, config)
    // A phone opens the node by the name or address its certificate is for: those are names it is known by.
    const names = [...config.api.allowedHosts ?? [], ...apiTls?.names ?? []]
    const allowedHosts = hostAllowList({
      host: config.api.host,
      ...(config.announce === undefined ? {} : { announce: config.announce }),
      ...(config.witness?.url === undefined ? {} : { urls: [config.witness.url] }),
      ...(names.length === 0 ? {} : { names })
    })
    const devices = new DeviceBook({ db: store.sublevel<string, string>('devices', { valueEncoding: 'utf8' }), logger: logger.child({ component: 'devices' }) })
    await devices.load()
    const connectOrigins = uiOrigins(config)
    const api = createApiServer({
      token: keys.apiToken, host: config.api.host, port: config.api.port, staticDir: init.staticDir ?? undefined, logger, allowedHosts, devices,
      ...(connectOrigins.length === 0 ? {} : { connectOrigins }),
      ...(apiTls === undefined ? {} : { tls: apiTls })
    })
    const peerId = peerIdFromPrivateKey(keys.peerKey)
    const components: NodeComponents = { config, dir: init.dir, keys, peerId, store, libp2p, logger, api }
    const services = buildServices(init.services ?? {}, components)
    const node: PorchlightNode<S> = new PorchlightNode({ ...components, api, apiTls, devices, services, listenApi: init.listenApi ?? true, tempDir })
    api.addRoutes(nodeRoutes({ info: () => node.info(), libp2p }))
    api.addRoutes(deviceRoutes({ book: devices, link: (token) => pairingLink(config, apiTls, api.address()?.port, token), fingerprint: () => apiTls?.fingerprint }))
    for (const { service, spec } of services) if (spec.routes !== undefined) api.addRoutes(spec.routes(service))
    return node
  } catch (err) {
    await store.close()
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true })
    throw err
  }
}

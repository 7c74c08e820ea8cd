// Real role nodes for footage tests: the embedded chain with its contracts, real witness nodes the council
// registered (one by default, quorum 1: no checkpoint counts without them), an agency node running
// roleSetup('agency') (its own persistent log, request desk and footage desk) registered by the council,
// and resident nodes running roleSetup('resident') with a camera on the incident corner — all over TCP on
// 127.0.0.1, every API on port 0.
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { latLngToCell } from 'h3-js'
import { parseEther } from 'ethers'
import { topicName } from '../../protocol/index.js'
import { ChainClient, startEmbeddedChain, type EmbeddedChain, devCouncil } from '../../node/chain/index.js'
import { initNode, loadConfig, saveConfig, type ChainEndpoint, type NodeConfig } from '../../node/config/index.js'
import { createNode, roleSetup, type AgencyServices, type PorchlightNode, type RelayServices, type ResidentServices } from '../../node/index.js'
import type { RoleInit } from '../../node/roles.js'
import type { ShareRecord } from '../../node/shares/index.js'
import { waitForTopicPeer, type PorchlightLibp2p } from '../../node/p2p/index.js'
import type { PeerId } from '@libp2p/interface'
import { corner, jurisdiction } from './agency-fixture.js'
import { inboxAdded } from './resident-network.js'
import { startRegisteredWitnesses, type Witnesses } from './witnesses.js'

export { corner, draft } from './agency-fixture.js'

export type AgencyNode = PorchlightNode<AgencyServices>
export type ResidentNode = PorchlightNode<ResidentServices>
export type RelayNode = PorchlightNode<RelayServices>

export interface Api { status: number, json: any, headers: Headers, body: Uint8Array }

/** Calls a node's HTTP API with its token (or `token`; null for none). */
export async function call (node: PorchlightNode<any>, method: string, path: string, body?: unknown, token: string | null = node.keys.apiToken): Promise<Api> {
  const headers: Record<string, string> = {}
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(node.info().api!.url + path, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) })
  const bytes = new Uint8Array(await res.arrayBuffer())
  let json: unknown
  try { json = JSON.parse(new TextDecoder().decode(bytes)) } catch { json = undefined }
  return { status: res.status, json, headers: res.headers, body: bytes }
}

export interface FootageWorld {
  chain: EmbeddedChain
  endpoint: ChainEndpoint
  council: ChainClient
  /** The registered witnesses, running. */
  witnesses: Witnesses
  agency: AgencyNode
  address: string
  residents: ResidentNode[]
  /** With `relay`: a relay node on the same chain, on which the agency holds a reservation. */
  relay?: RelayNode
  /**
   * A resident node with a camera `porch` on the corner (and `extra` cameras), dialled to the agency; `config`
   * is merged into its config (e.g. `delivery`); `init` goes to its roleSetup (e.g. a segment index for `ranges`);
   * `staticDir` serves a built UI (browser tests).
   */
  resident (name: string, extra?: Array<{ name: string, lat: number, lng: number }>, config?: Partial<NodeConfig>, init?: RoleInit & { staticDir?: string }): Promise<ResidentNode>
  stop (): Promise<void>
}

/**
 * `agency`: the agency role's init (its log's witnesses, say); `footage`: its config's delivery limits;
 * `witnesses`: how many run, and the quorum. @default 1 of 1. `relay`: start a relay node first (its config's
 * `network.relay`), which the agency bootstraps from and holds a reservation on (its circuit address is among
 * the agency's before the world is handed over). `agencyStaticDir`: a built UI the agency serves (browser tests).
 */
export async function startFootageWorld (opts: { anchorIntervalSeconds?: number, agency?: RoleInit, agencyStaticDir?: string, footage?: NodeConfig['footage'], witnesses?: { count: number, quorum: number }, relay?: NonNullable<NodeConfig['network']>['relay'] } = {}): Promise<FootageWorld> {
  const chain = await startEmbeddedChain({ accounts: 2 })
  const deployment = chain.deployment!
  const endpoint: ChainEndpoint = { rpc: deployment.rpc, chainId: deployment.chainId, contracts: deployment.contracts }
  const council = await ChainClient.connect({ deployment, privateKey: chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(deployment) })
  const dirs: string[] = []
  const tempDir = async (prefix: string): Promise<string> => { const d = await mkdtemp(join(tmpdir(), prefix)); dirs.push(d); return d }

  const agencyDir = await tempDir('porchlight-agency-')
  const { address } = await initNode(agencyDir, { role: 'agency', chain: endpoint, ...(opts.anchorIntervalSeconds === undefined ? {} : { anchorIntervalSeconds: opts.anchorIntervalSeconds }) })
  if (opts.footage !== undefined) await saveConfig(agencyDir, { ...await loadConfig(agencyDir), footage: opts.footage })
  let relay: RelayNode | undefined
  if (opts.relay !== undefined) {
    const relayDir = await tempDir('porchlight-relay-')
    await initNode(relayDir, { role: 'relay', chain: endpoint })
    await saveConfig(relayDir, { ...await loadConfig(relayDir), network: { relay: opts.relay } })
    relay = await createNode({ dir: relayDir, services: roleSetup('relay').services, staticDir: false }) as RelayNode
    await relay.start()
    // Reservations are off on 127.0.0.1 unless asked for (node/config/network.ts).
    await saveConfig(agencyDir, { ...await loadConfig(agencyDir), bootstrap: relay.libp2p.getMultiaddrs().map(String), network: { reservations: 1 } })
  }
  // The agency pays its own anchoring gas.
  await (await council.wallet!.sendTransaction({ to: address!, value: parseEther('1') })).wait()
  await council.registerAgency(address!, { name: 'SF Police', cells: jurisdiction, validUntil: Math.floor(Date.now() / 1000) + 86_400 })
  const witnesses = await startRegisteredWitnesses(council, { chainId: deployment.chainId, ...(opts.witnesses ?? { count: 1, quorum: 1 }) })
  // Chain time is in whole seconds: a request issued (by our clock) within the registration block's second
  // could be, to the auditor, issued by an agency not yet registered. Wait until the next second.
  const registeredAt = (await council.provider.getBlock('latest'))!.timestamp
  const ahead = (registeredAt + 1) * 1000 - Date.now()
  if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead))
  const agency = await createNode({
    dir: agencyDir,
    services: roleSetup('agency', opts.agency).services,
    libp2p: { messageId: roleSetup('agency').messageId, heartbeatIntervalMs: 200 },
    staticDir: opts.agencyStaticDir ?? false
  }) as AgencyNode
  await agency.start()
  if (relay !== undefined) await relayedAddr(agency.libp2p, relay)

  const world: FootageWorld = {
    chain, endpoint, council, witnesses, agency, address: address!, residents: [], ...(relay === undefined ? {} : { relay }),
    async resident (name, extra = [], config = {}, { staticDir, ...init } = {}) {
      const dir = await tempDir(`porchlight-${name}-`)
      await initNode(dir, { role: 'resident', name, chain: endpoint, cameras: [{ name: 'porch', ...corner }, ...extra] })
      if (Object.keys(config).length > 0) await saveConfig(dir, { ...await loadConfig(dir), ...config })
      const node = await createNode({
        dir,
        services: roleSetup('resident', init).services,
        libp2p: { messageId: roleSetup('resident').messageId, heartbeatIntervalMs: 200 },
        staticDir: staticDir ?? false
      }) as ResidentNode
      await node.start()
      world.residents.push(node)
      await node.libp2p.dial(agency.libp2p.getMultiaddrs())
      await waitForTopicPeer(agency.libp2p, topicName(latLngToCell(corner.lat, corner.lng, 7)), { signal: AbortSignal.timeout(15_000) })
      return node
    },
    async stop () {
      for (const r of world.residents) await r.stop().catch(() => {})
      await agency.stop().catch(() => {})
      await relay?.stop().catch(() => {})
      await witnesses.stopAll().catch(() => {})
      await council.close()
      await chain.stop()
      for (const d of dirs) await rm(d, { recursive: true, force: true })
    }
  }
  return world
}

/** Resolves with `libp2p`'s first address through `relay` (`…/p2p/<relay>/p2p-circuit/p2p/<self>`) once it holds a reservation there. */
export async function relayedAddr (libp2p: PorchlightLibp2p, relay: { peerId: PeerId }, signal = AbortSignal.timeout(15_000)): Promise<string> {
  const find = (): string | undefined => libp2p.getMultiaddrs().map(String).find((a) => a.includes(`/p2p/${relay.peerId.toString()}/p2p-circuit`))
  for (;;) {
    const found = find()
    if (found !== undefined) return found
    await once(libp2p, 'self:peer:update', { signal })
  }
}

/** Creates a request on the agency through its API and waits until every resident has it in the inbox. */
export async function issueRequest (world: FootageWorld, body: Record<string, unknown>, residents: ResidentNode[] = world.residents): Promise<{ id: string, json: any }> {
  const created = await call(world.agency, 'POST', '/api/requests', body)
  if (created.status !== 201) throw new Error(`request refused: ${JSON.stringify(created.json)}`)
  const id = created.json.id as string
  for (const r of residents) await inboxAdded(r as any, id, AbortSignal.timeout(15_000))
  return { id, json: created.json }
}

/** Stores `bytes` as a clip of `camera` starting `start` (unix seconds), 60 s long. */
export async function addClip (r: ResidentNode, bytes: Uint8Array, start: number, end = start + 60, camera = 'porch'): Promise<string> {
  const added = await r.services.clips.add((async function * () { yield bytes })(), { camera, start, end, contentType: 'video/mp4' })
  return added.clip.cid
}

/** Resolves with the share once `predicate` holds for it (checked at every change). */
export async function shareWhere (r: ResidentNode, shareId: string, predicate: (s: ShareRecord) => boolean): Promise<ShareRecord> {
  const footage = r.services.footage
  const changed = once(footage, 'share:changed')
  const current = await footage.get(shareId) as unknown as ShareRecord
  if (predicate(current)) return current
  let next = changed
  for (;;) {
    const [s] = await next as [ShareRecord]
    next = once(footage, 'share:changed')
    if (s.id === shareId && predicate(s)) return s
  }
}

/** Holds the clip `cid`'s bytes on `r` after `at` bytes, until `release` (the clip store's stream, gated). */
export function holdClip (r: ResidentNode, cid: string, at: number): { reached: Promise<void>, release: () => void } {
  const store = r.services.clips.store
  const read = store.read.bind(store)
  let reached!: () => void
  let release!: () => void
  const gate = { reached: new Promise<void>((resolve) => { reached = resolve }), released: new Promise<void>((resolve) => { release = resolve }) }
  store.read = (async (c: string, ...rest: unknown[]) => {
    const opened = await (read as (c: string, ...rest: unknown[]) => ReturnType<typeof read>)(c, ...rest)
    if (c !== cid) return opened
    const source = opened.stream
    const gated = Readable.from((async function * () {
      let served = 0
      for await (const chunk of source) {
        if (served >= at) { reached(); await gate.released }
        served += (chunk as Buffer).length
        yield chunk
      }
    })())
    return { ...opened, stream: gated }
  })
  return { reached: gate.reached, release }
}

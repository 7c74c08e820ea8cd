// An agency node on the embedded chain: registered by the council over a ring of res-7 cells, running the
// agency role's services (request network and desk) with the desk on an in-memory log, the node's directory
// on disk (for the identity files).
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cellToBoundary, gridDisk, latLngToCell } from 'h3-js'
import { ChainClient, startEmbeddedChain, type EmbeddedChain, devCouncil } from '../../node/chain/index.js'
import { initNode, type ChainEndpoint } from '../../node/config/index.js'
import { agencyRole, createNode, defineService, type AgencyServices, type PorchlightNode } from '../../node/index.js'
import type { ServiceSpecs } from '../../node/service.js'
import { announcementMessageId } from '../../node/network/index.js'
import type { AgencyWitnessingInit } from '../../node/log/index.js'
import { MemoryRequestLog } from './memory-log.js'

export { announcementMessageId }

/** A res-7 cell in San Francisco, and a point on its corner: a small circle there touches several res-7 cells. */
export const homeCell = latLngToCell(37.7749, -122.4194, 7)
export const corner = (() => { const [lat, lng] = cellToBoundary(homeCell)[0]!; return { lat, lng } })()
export const jurisdiction = gridDisk(homeCell, 2).sort()

export interface AgencyFixture {
  chain: EmbeddedChain
  /** The chain as a node config names it. */
  endpoint: ChainEndpoint
  council: ChainClient
  node: PorchlightNode<AgencyServices>
  /** Stops the node and starts a new one on the same directory (and the same in-memory log). */
  restart (): Promise<void>
  log: MemoryRequestLog
  dir: string
  address: string
  token: string
  url: string
  identityFiles (): Promise<string[]>
  api (method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number, json: any }>
  stop (): Promise<void>
}

/**
 * `deliveryCounts`: what the request views count as deliveries (instead of the footage desk's).
 * `witnesses`: run the real log service, witnessed through these (in place of the in-memory log).
 */
export async function startAgencyFixture (opts: { deliveryCounts?: () => Promise<Map<string, number>>, witnesses?: AgencyWitnessingInit } = {}): Promise<AgencyFixture> {
  const chain = await startEmbeddedChain({ accounts: 2 })
  const deployment = chain.deployment!
  const council = await ChainClient.connect({ deployment, privateKey: chain.accounts[0]!.privateKey, pollingIntervalMs: 0, registrar: devCouncil(deployment) })
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-agency-'))
  const endpoint: ChainEndpoint = { rpc: deployment.rpc, chainId: deployment.chainId, contracts: deployment.contracts }
  const { keys, address } = await initNode(dir, { role: 'agency', chain: endpoint })
  await council.registerAgency(address!, { name: 'SF Police', cells: jurisdiction, validUntil: Math.floor(Date.now() / 1000) + 86_400 })
  const log = new MemoryRequestLog(keys.agencyKey!, deployment.chainId)
  const startNode = async (): Promise<PorchlightNode<AgencyServices>> => {
    const node = await createNode({
      dir,
      // The agency role with an in-memory log in place of the log service, unless witnessed.
      services: opts.witnesses === undefined
        ? { ...agencyRole(), log: defineService(() => ({ log }), { needs: [] }) } as unknown as ServiceSpecs<AgencyServices>
        : agencyRole({ log: { checkpointIntervalMs: 50, witnesses: opts.witnesses } }),
      libp2p: { messageId: announcementMessageId, heartbeatIntervalMs: 200 },
      staticDir: false
    })
    if (opts.deliveryCounts !== undefined) node.services.requests.countDeliveriesWith(opts.deliveryCounts)
    await node.start()
    return node
  }
  const token = keys.apiToken
  let first: PorchlightNode<AgencyServices>
  try {
    first = await startNode()
  } catch (err) {
    // A node that cannot start fails its test; the chain left running would hold the test's process open forever.
    await council.close()
    await chain.stop()
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  const fixture: AgencyFixture = {
    chain, endpoint, council, node: first, log, dir, address: address!, token, url: '',
    async restart () {
      await fixture.node.stop()
      fixture.node = await startNode()
      fixture.url = fixture.node.api.address()!.url
    },
    identityFiles: async () => await readdir(join(dir, 'keys', 'requests')).catch(() => []),
    async api (method, path, body, auth = token) {
      const headers: Record<string, string> = {}
      if (auth !== null) headers.authorization = `Bearer ${auth}`
      if (body !== undefined) headers['content-type'] = 'application/json'
      const res = await fetch(fixture.url + path, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) })
      return { status: res.status, json: await res.json() }
    },
    async stop () {
      await fixture.node.stop()
      await council.close()
      await chain.stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
  fixture.url = fixture.node.api.address()!.url
  return fixture
}

/** A valid draft: a 300 m circle on `corner`, the last hour, 24 h lifetime. */
export function draft (overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now()
  return {
    caseCode: 'SF-2026-0142',
    title: 'Break-in on Market Street',
    details: 'Looking for footage of two people leaving on bicycles.',
    category: 'burglary',
    center: corner,
    radiusMeters: 300,
    windowStart: new Date(now - 3_600_000).toISOString(),
    windowEnd: new Date(now - 60_000).toISOString(),
    lifetimeHours: 24,
    retentionDays: 90,
    ...overrides
  }
}

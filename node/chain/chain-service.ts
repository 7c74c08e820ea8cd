// The node's one view of the chain, as a service: the endpoint its config names, the EIP-712 domain,
// registry reads (cached, bounded, kept current by following the registry's events) and, for the agency and
// the auditor, the client that anchors and reads anchors. Every service that needs the chain depends on
// this one, so a node holds one provider and one registry cache. A simulator that runs a thousand nodes
// in one process hands them all one shared view instead (`sharedChain`).
import { getAddress } from 'ethers'
import type { Domain } from '../../protocol/index.js'
import type { WitnessSet } from '../../protocol/api/witnesses.js'
import { resolveChain, type ChainEndpoint, type NodeConfig } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { AgencyInfo } from './agency-info.js'
import type { AnchorQueueStore } from './anchor-queue.js'
import { ChainClient, type ChainClientOptions } from './chain-client.js'
import type { Deployment } from './deployment.js'

/** What services read of the registry (ChainClient has it). */
export interface RegistryReader {
  agencyInfo (agency: string): Promise<AgencyInfo>
  isActive (agency: string, atSeconds?: number): Promise<boolean>
  jurisdictionOf (agency: string): Promise<string[]>
  /** The council's witness set and quorum, as every node trusts it (malformed entries left out). */
  witnessSet (): Promise<WitnessSet>
  /** Brings cached records up to date with the chain now (rather than at the next poll). */
  sync? (): Promise<void>
  /**
   * Follows changes of agencies' records (ChainClient's event follower emits `agency:changed` with the
   * address, after dropping its cached record). A view without it (a simulator's) never says a record changed.
   */
  on? (event: 'agency:changed', listener: (agency: string) => void): unknown
  off? (event: 'agency:changed', listener: (agency: string) => void): unknown
}

export interface ChainService extends NodeService {
  /** The chain the config names, once started; undefined when it names none. */
  readonly endpoint: ChainEndpoint | undefined
  /** The EIP-712 domain requests, consents and receipts are signed in, once started (undefined without a chain). */
  readonly domain: Domain | undefined
  /** Registry reads, once started (undefined without a chain). */
  readonly registry: RegistryReader | undefined
  /** The client (anchors, anchor reads, events), once started; undefined without a chain or on a shared view. */
  readonly client: ChainClient | undefined
}

export interface ChainServiceInit {
  /** How often registry and anchor events are polled (the cache drops an agency on its events). @default 1000 */
  pollingIntervalMs?: number
}

/** The chain endpoint a config names (a deployment file is read relative to the node's directory). */
export async function chainEndpointOf (config: NodeConfig, dir: string | undefined): Promise<ChainEndpoint | undefined> {
  return await resolveChain(config, dir ?? process.cwd())
}

export function domainOf (endpoint: ChainEndpoint): Domain {
  return { chainId: endpoint.chainId, verifyingContract: getAddress(endpoint.contracts.AgencyRegistry) }
}

/**
 * A client on `deployment`: the one place a ChainClient is made, for node services and CLI commands alike
 * (each command is a process of its own, with a client of its own).
 */
export async function openChainClient (deployment: Deployment, opts: Omit<ChainClientOptions, 'deployment'> = {}): Promise<ChainClient> {
  return await ChainClient.connect({ ...opts, deployment })
}

export type ChainComponents = Pick<NodeComponents, 'config' | 'dir' | 'keys' | 'store' | 'logger'>

export function chainService (init: ChainServiceInit = {}): (components: ChainComponents) => ChainService {
  return ({ config, dir, keys, store, logger }) => {
    const log = logger.child({ component: 'chain' })
    let endpoint: ChainEndpoint | undefined
    let client: ChainClient | undefined
    return {
      get endpoint () { return endpoint },
      get domain () { return endpoint === undefined ? undefined : domainOf(endpoint) },
      get registry () { return client },
      get client () { return client },
      async start () {
        endpoint = await chainEndpointOf(config, dir)
        if (endpoint === undefined) return
        client = await openChainClient(endpoint, {
          pollingIntervalMs: init.pollingIntervalMs ?? 1000,
          ...(endpoint.confirmations === undefined ? {} : { confirmations: endpoint.confirmations }),
          // An agency signs its anchors; queued anchors survive a restart in the node's store.
          ...(keys.agencyKey === undefined
            ? {}
            : { privateKey: keys.agencyKey, anchorQueue: store.sublevel('anchor-queue', { valueEncoding: 'utf8' }) as unknown as AnchorQueueStore })
        })
        // The council registered a witness this node will not trust: say so, once, so an operator can see why
        // the set is smaller than the registry (counted in /metrics as well).
        // A reorg is the chain's doing, not a fault of this node; an operator wants to see it happened.
        client.on('anchor:dropped', ({ anchor, transactionHash, blockNumber }) => {
          log.warn({ treeSize: anchor.treeSize, transactionHash, blockNumber }, 'anchor dropped by a reorg; sending it again')
        })
        client.on('chain:reorged', ({ blockNumber }) => {
          log.warn({ blockNumber, confirmations: client!.confirmations }, 'the chain reorganised below the confirmation depth; cached records dropped')
        })
        client.on('witness:ignored', ({ witness, error }) => {
          log.warn({ witness: witness.name, vkey: witness.vkey, err: error }, 'registered witness ignored')
        })
      },
      async stop () {
        await client?.close()
        client = undefined
      }
    }
  }
}

/** One registry view shared by many nodes in one process (a simulation): starting or stopping a node leaves it be. */
export function sharedChain (view: { registry: RegistryReader, domain: Domain, endpoint?: ChainEndpoint }): () => ChainService {
  return () => ({ endpoint: view.endpoint, domain: view.domain, registry: view.registry, client: undefined })
}

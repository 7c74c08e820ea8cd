// The agency's log as a node service: opens the log in the node's store, serves it over HTTP (public
// routes) and /porchlight/audit/1.0.0, and anchors it on the configured chain every
// `anchorIntervalSeconds`. Without a chain in the config the log is kept and served but not anchored,
// and its origin names the embedded development chain.
import { ChainClient, embeddedChainId, type AnchorQueueStore } from '../chain/index.js'
import { resolveChain, type ChainEndpoint } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import { AgencyLog } from './agency-log.js'
import { Anchorer, type AnchorChain } from './anchorer.js'
import { AUDIT_PROTOCOL, handleAuditProtocol } from './audit-protocol.js'
import { InvalidAgencyKeyError } from './errors.js'
import type { LogDatabase } from './log-database.js'
import { logRoutes } from './log-routes.js'
import { anchorRoutes } from './anchor-history.js'

export interface AgencyLogServiceInit {
  /** @default 500 */
  checkpointIntervalMs?: number
  /** Overrides the config's `anchorIntervalSeconds`, in ms (tests). */
  anchorIntervalMs?: number
  /** Anchor through this instead of a ChainClient on the config's chain (tests); needs `chainId`. */
  chain?: AnchorChain
  /** The chain id for the log's origin when `chain` is given. */
  chainId?: number
}

export interface AgencyLogService extends NodeService {
  /** The open log (undefined before start and after stop). */
  readonly log: AgencyLog | undefined
  readonly anchorer: Anchorer | undefined
  /** The chain client the service made, if it made one. */
  readonly chainClient: ChainClient | undefined
}

export function agencyLog (init: AgencyLogServiceInit = {}): (components: NodeComponents) => AgencyLogService {
  return (components) => {
    const { config, dir, keys, store, libp2p, api } = components
    let log: AgencyLog | undefined
    let anchorer: Anchorer | undefined
    let chainClient: ChainClient | undefined
    api.addRoutes(logRoutes(() => log))
    api.addRoutes(anchorRoutes({
      records: async () => (await anchorer?.anchors()) ?? [],
      ...(init.chain === undefined
        ? {
            onChain: async () => chainClient === undefined ? undefined : await chainClient.getAnchors(chainClient.address),
            blockTime: async (n) => (await chainClient?.provider.getBlock(n))?.timestamp ?? 0
          }
        : {})
    }))

    async function endpoint (): Promise<ChainEndpoint | undefined> {
      if (dir !== undefined) return await resolveChain(config, dir)
      return typeof config.chain === 'object' ? config.chain : undefined
    }

    async function stop (): Promise<void> {
      anchorer?.stop()
      await libp2p.unhandle(AUDIT_PROTOCOL).catch(() => {})
      await chainClient?.close()
      await log?.close()
      log = undefined
      anchorer = undefined
      chainClient = undefined
    }

    async function start (): Promise<void> {
      if (keys.agencyKey === undefined) throw new InvalidAgencyKeyError(new Error('the node has no agency key'))
      const chain = init.chain === undefined ? await endpoint() : undefined
      log = await AgencyLog.open({
        db: store.sublevel('log') as unknown as LogDatabase,
        agencyKey: keys.agencyKey,
        chainId: init.chainId ?? chain?.chainId ?? embeddedChainId,
        ...(init.checkpointIntervalMs === undefined ? {} : { checkpointIntervalMs: init.checkpointIntervalMs })
      })
      await handleAuditProtocol(libp2p, log)
      if (chain !== undefined) {
        chainClient = await ChainClient.connect({
          deployment: chain,
          privateKey: keys.agencyKey,
          anchorQueue: store.sublevel('anchor-queue', { valueEncoding: 'utf8' }) as unknown as AnchorQueueStore,
          pollingIntervalMs: 0
        })
      }
      const anchorChain = init.chain ?? chainClient
      if (anchorChain !== undefined) {
        anchorer = await Anchorer.open({
          log,
          chain: anchorChain,
          db: store.sublevel('anchors') as unknown as LogDatabase,
          anchorIntervalMs: init.anchorIntervalMs ?? (config.anchorIntervalSeconds ?? 600) * 1000
        })
        anchorer.start()
      }
    }

    return {
      get log () { return log },
      get anchorer () { return anchorer },
      get chainClient () { return chainClient },
      async start () {
        // The node stops only services that started: undo a partial start here.
        try { await start() } catch (err) { await stop().catch(() => {}); throw err }
      },
      stop
    }
  }
}

// The agency's log as a node service: opens the log in the node's store, serves it over
// /porchlight/audit/1.0.0 (its HTTP routes are in log-routes.ts and anchor-history.ts), and anchors it through
// the node's chain every `anchorIntervalSeconds`. Without a chain in the config the log is kept and served but
// not anchored, and its origin names the embedded development chain.
import { embeddedChainId } from '../chain/index.js'
import type { ChainService } from '../chain/chain-service.js'
import type { NodeComponents, NodeService } from '../service.js'
import { AgencyLog } from './agency-log.js'
import { Anchorer } from './anchorer.js'
import { AUDIT_PROTOCOL, handleAuditProtocol } from './audit-protocol.js'
import { InvalidAgencyKeyError } from './errors.js'

export interface AgencyLogServiceInit {
  /** @default 500 */
  checkpointIntervalMs?: number
  /** Overrides the config's `anchorIntervalSeconds`, in ms (tests). */
  anchorIntervalMs?: number
}

export interface AgencyLogService extends NodeService {
  /** The open log (undefined before start and after stop). */
  readonly log: AgencyLog | undefined
  readonly anchorer: Anchorer | undefined
  /** The node's chain, where the log is anchored. */
  readonly chain: ChainService
}

export type AgencyLogComponents = Pick<NodeComponents, 'config' | 'keys' | 'store' | 'libp2p'> & { chain: ChainService }

export function agencyLog (init: AgencyLogServiceInit = {}): (components: AgencyLogComponents) => AgencyLogService {
  return (components) => {
    const { config, keys, store, libp2p, chain } = components
    let log: AgencyLog | undefined
    let anchorer: Anchorer | undefined

    async function stop (): Promise<void> {
      anchorer?.stop()
      await libp2p.unhandle(AUDIT_PROTOCOL).catch(() => {})
      await log?.close()
      log = undefined
      anchorer = undefined
    }

    async function start (): Promise<void> {
      if (keys.agencyKey === undefined) throw new InvalidAgencyKeyError(new Error('the node has no agency key'))
      log = await AgencyLog.open({
        db: store.sublevel('log'),
        agencyKey: keys.agencyKey,
        chainId: chain.endpoint?.chainId ?? embeddedChainId,
        ...(init.checkpointIntervalMs === undefined ? {} : { checkpointIntervalMs: init.checkpointIntervalMs })
      })
      await handleAuditProtocol(libp2p, log)
      if (chain.client !== undefined) {
        anchorer = await Anchorer.open({
          log,
          chain: chain.client,
          db: store.sublevel('anchors'),
          anchorIntervalMs: init.anchorIntervalMs ?? (config.anchorIntervalSeconds ?? 600) * 1000
        })
        anchorer.start()
      }
    }

    return {
      get log () { return log },
      get anchorer () { return anchorer },
      chain,
      async start () {
        // The node stops only services that started: undo a partial start here.
        try { await start() } catch (err) { await stop().catch(() => {}); throw err }
      },
      stop
    }
  }
}

// The agency's log as a node service: opens the log in the node's store, serves it over
// /porchlight/audit/1.0.0 (its HTTP routes are in log-routes.ts and anchor-history.ts), and anchors it through
// the node's chain every `anchorIntervalSeconds`. Without a chain in the config the log is kept and served but
// not anchored, and its origin names the embedded development chain.
//
// Every checkpoint goes to the council's witnesses (cosigner.ts); `witnessedProof` is what the desk announces
// and receipts carry, and /checkpoint (HTTP and the audit protocol) carries the cosignatures collected.
import { embeddedChainId } from '../chain/index.js'
import type { ChainService } from '../chain/chain-service.js'
import type { NodeComponents, NodeService } from '../service.js'
import { AgencyLog, type EntryProof } from './agency-log.js'
import { Cosigner, type CosignatureStore, type CosignerInit } from './cosigner.js'
import type { WitnessClientFactory, WitnessSetSource } from './witness-port.js'
import { witnessClient } from '../witness/client.js'
import { Anchorer } from './anchorer.js'
import { AUDIT_PROTOCOL, handleAuditProtocol } from './audit-protocol.js'
import { InvalidAgencyKeyError, LogClosedError } from './errors.js'

export interface AgencyLogServiceInit {
  /** @default 500 */
  checkpointIntervalMs?: number
  /** Overrides the config's `anchorIntervalSeconds`, in ms (tests). */
  anchorIntervalMs?: number
  witnesses?: AgencyWitnessingInit
}

export interface AgencyWitnessingInit extends Pick<CosignerInit, 'attemptTimeoutMs' | 'quorumTimeoutMs' | 'minBackoffMs' | 'maxBackoffMs'> {
  /** The witness set. @default the chain service's `registry.witnessSet()` */
  set?: WitnessSetSource
  /** A client per witness (node/witness's `witnessClient` on the node's libp2p). */
  client?: WitnessClientFactory
}

export interface AgencyLogService extends NodeService {
  /** The open log (undefined before start and after stop). */
  readonly log: AgencyLog | undefined
  readonly anchorer: Anchorer | undefined
  /** The node's chain, where the log is anchored. */
  readonly chain: ChainService
  /** Sends each checkpoint to the witnesses (undefined before start, and without a witness set to read). */
  readonly cosigner: Cosigner | undefined
  /**
   * The inclusion proof of entry `index` against the first checkpoint covering it that a quorum of witnesses
   * cosigned: what may be announced or handed out. WitnessQuorumUnreachedError after the quorum bound.
   */
  witnessedProof (index: number): Promise<EntryProof>
  /** The latest checkpoint with its cosignatures, as /checkpoint serves it (undefined: the log's own note). */
  checkpointNote (): string | undefined
}

export type AgencyLogComponents = Pick<NodeComponents, 'config' | 'keys' | 'store' | 'libp2p'> & Partial<Pick<NodeComponents, 'logger'>> & { chain: ChainService }

/** The council's witness set on the node's chain (WitnessRegistry); none without a chain. */
function registryWitnessSet (chain: ChainService): WitnessSetSource | undefined {
  const registry = chain.registry
  return registry === undefined ? undefined : async () => await registry.witnessSet()
}

export function agencyLog (init: AgencyLogServiceInit = {}): (components: AgencyLogComponents) => AgencyLogService {
  return (components) => {
    const { config, keys, store, libp2p, chain } = components
    const logger = components.logger?.child({ component: 'log' })
    let log: AgencyLog | undefined
    let anchorer: Anchorer | undefined
    let cosigner: Cosigner | undefined
    const checkpointNote = (): string | undefined => cosigner?.checkpointNote

    async function stop (): Promise<void> {
      anchorer?.stop()
      await cosigner?.stop()
      cosigner = undefined
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
      const witnessSet = init.witnesses?.set ?? registryWitnessSet(chain)
      if (witnessSet === undefined) {
        // Only a node without a chain (it has no witness set to read): its proofs are
        // signed by the agency alone, and no relay that requires the quorum accepts what carries them.
        logger?.warn('log: no witness set to read; checkpoints are not witnessed')
      } else {
        const { set: _set, client, ...timing } = init.witnesses ?? {}
        cosigner = await Cosigner.start({
          log,
          witnessSet,
          client: (w) => (client ?? witnessClient)(w, libp2p),
          db: store.sublevel('cosignatures', { valueEncoding: 'json' }) as unknown as CosignatureStore,
          ...(logger === undefined ? {} : { logger }),
          ...timing
        })
      }
      await handleAuditProtocol(libp2p, log, {}, checkpointNote)
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
      get cosigner () { return cosigner },
      async witnessedProof (index) {
        if (log === undefined) throw new LogClosedError()
        return cosigner === undefined ? await log.proof(index) : await cosigner.witnessedProof(index)
      },
      checkpointNote,
      async start () {
        // The node stops only services that started: undo a partial start here.
        try { await start() } catch (err) { await stop().catch(() => {}); throw err }
      },
      stop
    }
  }
}

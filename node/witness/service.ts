// The witness role's service: the key from keys/witness.key, state in the node's store (sublevel `witness`),
// the chain id of the chain it reads (or `witness.chainId` without one), and the libp2p protocol. Its
// HTTP routes are routes.ts.
import type { WitnessView } from '../../protocol/index.js'
import type { ChainService } from '../chain/chain-service.js'
import type { NodeComponents, NodeService } from '../service.js'
import { WitnessConfigError } from './errors.js'
import { WITNESS_PROTOCOL, handleWitnessProtocol } from './transport.js'
import { Witness, type WitnessDatabase, type WitnessRecord } from './witness.js'

export interface WitnessServiceInit {
  /** Unix ms, for cosignature timestamps. @default Date.now */
  now?: () => number
}

export type WitnessComponents = Pick<NodeComponents, 'config' | 'keys' | 'store' | 'libp2p' | 'logger'> & { chain: ChainService }

export interface WitnessService extends NodeService {
  /** The witness, once started. */
  readonly witness: Witness | undefined
  /** What `GET /api/witness` answers, once started. */
  view (): WitnessView | undefined
}

/** The chain id a witness follows: its chain's, or its config's when it has no chain; never two that differ. */
function chainIdOf (chain: ChainService, configured: number | undefined): number {
  const domainId = chain.domain?.chainId
  const fromChain = chain.endpoint?.chainId ?? (domainId === undefined ? undefined : Number(domainId))
  if (fromChain !== undefined && configured !== undefined && fromChain !== configured) {
    throw new WitnessConfigError('witness.chainId differs from the chain\'s', { configured, chain: fromChain })
  }
  const chainId = fromChain ?? configured
  if (chainId === undefined) throw new WitnessConfigError('no chain in the config and no witness.chainId')
  return chainId
}

export function witnessService (init: WitnessServiceInit = {}): (components: WitnessComponents) => WitnessService {
  return ({ config, keys, store, libp2p, logger, chain }) => {
    const db = store.sublevel<string, WitnessRecord>('witness', { valueEncoding: 'json' }) as unknown as WitnessDatabase
    const log = logger.child({ component: 'witness' })
    let witness: Witness | undefined
    return {
      get witness () { return witness },
      view () {
        if (witness === undefined) return undefined
        const url = config.witness?.url
        return { name: witness.name, vkey: witness.vkey, multiaddrs: libp2p.getMultiaddrs().map(String), ...(url === undefined ? {} : { url }) }
      },
      async start () {
        if (keys.witnessKey === undefined || config.witness === undefined) throw new WitnessConfigError('a witness node needs keys/witness.key and a witness section')
        const registry = chain.registry
        witness = await Witness.open({
          name: config.witness.name,
          secretKey: keys.witnessKey,
          chainId: chainIdOf(chain, config.witness.chainId),
          db,
          ...(registry === undefined ? {} : { isRegistered: async (agency: string) => (await registry.agencyInfo(agency)).status !== 'none' }),
          ...(config.witness.maxOrigins === undefined ? {} : { maxOrigins: config.witness.maxOrigins }),
          ...(init.now === undefined ? {} : { now: init.now }),
          logger: log
        })
        await handleWitnessProtocol(libp2p, witness)
        log.info({ vkey: witness.vkey, chainId: witness.chainId, origins: witness.origins }, 'witness: ready')
      },
      async stop () {
        await libp2p.unhandle(WITNESS_PROTOCOL).catch(() => {})
        witness = undefined
      }
    }
  }
}

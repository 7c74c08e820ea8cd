// A chain service without a chain, for nodes whose tests decide what the registry says: the registry
// answers from `agencyInfo`, the witness set is `witnessSet` (TestAgency's witnesses by default), requests
// are signed in `domain`.
import { sharedChain, type AgencyInfo, type ChainService } from '../../node/chain/index.js'
import type { Domain, WitnessSet } from '../../protocol/index.js'
import { TEST_WITNESS_SET } from './announcements.js'
import { DOMAIN } from './messages.js'

export function stubChain (agencyInfo: (agency: string) => Promise<AgencyInfo>, domain: Domain = DOMAIN, witnessSet: () => Promise<WitnessSet> = async () => TEST_WITNESS_SET): () => ChainService {
  return sharedChain({
    domain,
    registry: {
      agencyInfo,
      isActive: async (agency, at = Math.floor(Date.now() / 1000)) => {
        const info = await agencyInfo(agency)
        return info.status === 'active' && at <= info.validUntil
      },
      jurisdictionOf: async (agency) => (await agencyInfo(agency)).cells,
      witnessSet
    }
  })
}

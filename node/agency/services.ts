// What an agency node runs: its public log (served, anchored), the request network (it relays and
// validates like every node, and answers catch-up questions), the request desk, which logs every
// request in that log and whose live announcements the network serves on catch-up, and the footage desk,
// which receives deliveries for the desk's requests and logs them (and every use of them) in the same log.
import { agencyLog, type AgencyLogService, type AgencyLogServiceInit } from '../log/index.js'
import { requestNetwork, type RequestNetwork, type RequestNetworkInit } from '../network/index.js'
import { agencyFootage, type AgencyFootage, type AgencyFootageInit } from '../footage/agency-footage.js'
import type { FootageLog } from '../footage/receiver.js'
import type { NodeServiceFactories } from '../service.js'
import { requestBookOf } from './request-book.js'
import { agencyRequests, type AgencyRequests, type AgencyRequestsInit } from './service.js'

export interface AgencyServicesInit {
  log?: AgencyLogServiceInit
  network?: RequestNetworkInit
  requests?: AgencyRequestsInit
  /** Overrides for the footage desk (its book, log and domain come from the services above). */
  footage?: Partial<Omit<AgencyFootageInit, 'book' | 'log' | 'domain'>>
}

export interface AgencyServices {
  log: AgencyLogService
  network: RequestNetwork
  requests: AgencyRequests
  footage: AgencyFootage
  [name: string]: AgencyLogService | RequestNetwork | AgencyRequests | AgencyFootage
}

export function agencyServices (init: AgencyServicesInit = {}): NodeServiceFactories<AgencyServices> {
  let log: AgencyLogService | undefined
  let network: RequestNetwork | undefined
  let requests: AgencyRequests | undefined
  let footage: AgencyFootage | undefined
  // One log for requests and what happens to their footage: the desk's (a test may give it another).
  const requestLog = init.requests?.log ?? (() => log?.log)
  const footageLog = (): FootageLog => {
    const current = requestLog()
    if (current === undefined) throw new Error('agencyServices: the log is not open')
    return current
  }
  return {
    // Services start in this order: the log is open before the desk can append to it, and the desk has
    // its chain (the EIP-712 domain) before the footage desk starts.
    log: (components) => (log = agencyLog(init.log)(components)),
    network: (components) => (network = requestNetwork(init.network)(components)),
    requests: (components) => {
      if (network === undefined) throw new Error('agencyServices: the network service must be built first')
      requests = agencyRequests({
        log: () => log?.log,
        deliveryCounts: async () => await footage?.keeper.deliveryCounts() ?? new Map(),
        ...init.requests
      })(components)
      network.addSource(requests)
      return requests
    },
    footage: (components) => {
      if (requests === undefined) throw new Error('agencyServices: the requests service must be built first')
      const desk = requests
      footage = agencyFootage({
        isActiveAgency: async (address, at) => {
          const registry = desk.registry
          if (registry === undefined) return false
          await registry.sync?.()
          return await registry.isActive(address, at)
        },
        ...init.footage,
        book: () => requestBookOf(desk.desk, desk.identities),
        log: footageLog,
        domain: () => desk.domain
      })(components)
      return footage
    }
  }
}

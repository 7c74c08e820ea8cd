// What /readyz checks on a node: libp2p listening, the agency's log open, the configured chain reachable.
import type { PorchlightLibp2p } from '../p2p/index.js'
import type { AgencyLogService } from '../log/index.js'
import { probeChain } from './chain-probe.js'
import { LogNotOpenError, NotListeningError } from './errors.js'
import type { ReadinessCheck } from './readiness.js'

export interface NodeCheckSources {
  libp2p: PorchlightLibp2p
  /** Agencies. */
  log?: Pick<AgencyLogService, 'log'>
  /** The chain's RPC URL, when the node has a chain configured (resolved when first checked). */
  chainRpc?: () => Promise<string | undefined>
  /** @default 2000 */
  chainTimeoutMs?: number
}

export function nodeChecks (sources: NodeCheckSources): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [{
    name: 'libp2p',
    check: async () => {
      if (sources.libp2p.status !== 'started' || sources.libp2p.getMultiaddrs().length === 0) throw new NotListeningError()
    }
  }]
  const log = sources.log
  if (log !== undefined) checks.push({ name: 'log', check: async () => { if (log.log === undefined) throw new LogNotOpenError() } })
  const chainRpc = sources.chainRpc
  if (chainRpc !== undefined) {
    checks.push({
      name: 'chain',
      check: async () => {
        const rpc = await chainRpc()
        if (rpc !== undefined) await probeChain({ rpc, ...(sources.chainTimeoutMs === undefined ? {} : { timeoutMs: sources.chainTimeoutMs }) })
      }
    })
  }
  return checks
}

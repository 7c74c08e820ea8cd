// The bootstrap keeper's dials (node/p2p/bootstrap-keeper.ts): how often a node dialled a bootstrap peer it
// was not connected to, how often that failed, and how many such peers it lacks now. No peer label: which
// agency a home bootstraps from says where it is, and a node has a handful of bootstrap peers at most.
import { Counter, Gauge, type Registry } from 'prom-client'
import type { BootstrapKeeper } from '../p2p/index.js'

export function bootstrapMetrics (registry: Registry, keeper: BootstrapKeeper): () => void {
  const dials = new Counter({
    name: 'porchlight_p2p_bootstrap_dials_total',
    help: 'Dials to bootstrap peers that were not connected (the first at start, then every retry)',
    registers: [registry]
  })
  const failures = new Counter({
    name: 'porchlight_p2p_bootstrap_dial_failures_total',
    help: 'Bootstrap dials that failed (refused, unreachable, timed out); each is retried after a backoff',
    registers: [registry]
  })
  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_p2p_bootstrap_peers_disconnected',
    help: 'Bootstrap peers with no open connection now',
    registers: [registry],
    collect () { this.set(keeper.disconnected()) }
  })
  const onAttempted = (): void => { dials.inc() }
  const onFailed = (): void => { failures.inc() }
  keeper.on('dial:attempted', onAttempted)
  keeper.on('dial:failed', onFailed)
  return () => { keeper.off('dial:attempted', onAttempted); keeper.off('dial:failed', onFailed) }
}

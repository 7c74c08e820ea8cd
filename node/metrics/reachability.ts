// Reachability (node/p2p/reachability.ts): the node's status, what its dial-back requests were answered,
// the verdicts it drew, and on the serving side what it dialled and what it refused. No peer or address
// label: a household's addresses are its own, and the refusal codes are a closed list.
import { Counter, Gauge, type Registry } from 'prom-client'
import type { Reachability, ReachabilityEvents, ReachabilityStatus } from '../p2p/reachability.js'

const statuses: readonly ReachabilityStatus[] = ['public', 'private', 'unknown']

export function reachabilityMetrics (registry: Registry, reachability: Reachability): () => void {
  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_p2p_reachability',
    help: 'Whether peers can dial this node: 1 for its status now (public, private or unknown), 0 for the others',
    labelNames: ['status'] as const,
    registers: [registry],
    collect () { for (const s of statuses) this.set({ status: s }, reachability.status === s ? 1 : 0) }
  })
  const checks = new Counter({
    name: 'porchlight_p2p_reachability_checks_total',
    help: 'Answers to our dial-back requests, one per address and server: ok, unreachable, refused, unproven (an ok without proof), failed (no answer)',
    labelNames: ['result'] as const,
    registers: [registry]
  })
  const verdicts = new Counter({
    name: 'porchlight_p2p_reachability_verdicts_total',
    help: 'Own addresses confirmed (dialled back by enough peers) or refuted (by enough, and by none reached)',
    labelNames: ['verdict'] as const,
    registers: [registry]
  })
  const served = new Counter({
    name: 'porchlight_p2p_dial_back_served_total',
    help: 'Addresses dialled back for peers: ok, unreachable, or refused (not the IP the request came from, not plain TCP)',
    labelNames: ['result'] as const,
    registers: [registry]
  })
  const refused = new Counter({
    name: 'porchlight_p2p_dial_back_refused_total',
    help: 'Dial-back requests refused whole, by error code (rate limit, busy, malformed, unreadable)',
    labelNames: ['code'] as const,
    registers: [registry]
  })
  const handlers: { [K in keyof ReachabilityEvents]?: (...args: ReachabilityEvents[K]) => void } = {
    'check:answered': ({ outcomes }) => { for (const o of outcomes) checks.inc({ result: o }) },
    'check:failed': () => { checks.inc({ result: 'failed' }) },
    'address:confirmed': () => { verdicts.inc({ verdict: 'confirmed' }) },
    'address:refuted': () => { verdicts.inc({ verdict: 'refuted' }) },
    'dial-back:answered': ({ results }) => { for (const r of results) served.inc({ result: r }) },
    'dial-back:refused': ({ code }) => { refused.inc({ code }) }
  }
  const entries = Object.entries(handlers) as Array<[keyof ReachabilityEvents, (...args: unknown[]) => void]>
  for (const [event, handler] of entries) reachability.on(event, handler)
  return () => { for (const [event, handler] of entries) reachability.off(event, handler) }
}

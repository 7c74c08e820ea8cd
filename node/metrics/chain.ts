// Failed chain RPC calls, by error code (CHAIN_UNAVAILABLE, a contract's revert, …), summed over the node's
// chain clients when scraped: the clients count their own failures (ChainClient.rpcErrors), so failures
// from before the first scrape, or from a client made while a service started, are not lost.
import { Counter, type Registry } from 'prom-client'
import type { ChainClient } from '../chain/index.js'

export function chainMetrics (registry: Registry, clients: () => Iterable<ChainClient>): Counter<'error'> {
  // What each client had counted at the last scrape, so the counter only ever grows by the difference.
  const seen = new WeakMap<ChainClient, Map<string, number>>()
  const errors = new Counter({
    name: 'porchlight_chain_rpc_errors_total',
    help: 'Chain RPC calls that failed, by error code',
    labelNames: ['error'] as const,
    registers: [registry],
    collect () {
      for (const client of clients()) {
        const before = seen.get(client) ?? new Map<string, number>()
        for (const [code, n] of client.rpcErrors) {
          const delta = n - (before.get(code) ?? 0)
          if (delta > 0) this.inc({ error: code }, delta)
          before.set(code, n)
        }
        seen.set(client, before)
      }
    }
  })
  // Registered witnesses the clients leave out of the set (a malformed or duplicated key): refused entries.
  const ignored = new WeakMap<ChainClient, number>()
  new Counter({
    name: 'porchlight_chain_witness_entries_ignored_total',
    help: 'Registered witnesses left out of the trusted set (vkey malformed, of another name, or a repeated key)',
    registers: [registry],
    collect () {
      for (const client of clients()) {
        const delta = client.ignoredWitnessEntries - (ignored.get(client) ?? 0)
        if (delta > 0) this.inc(delta)
        ignored.set(client, client.ignoredWitnessEntries)
      }
    }
  })
  // Reorgs seen: mined anchors dropped before their confirmations (sent again), and reorgs below the depth.
  const reorgs = new WeakMap<ChainClient, { dropped: number, deep: number }>()
  new Counter({
    name: 'porchlight_chain_reorgs_total',
    help: 'Reorganisations the chain client saw: a mined anchor dropped before its confirmations (kind="anchor-dropped", sent again), or one below the confirmation depth (kind="below-depth")',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect () {
      for (const client of clients()) {
        const before = reorgs.get(client) ?? { dropped: 0, deep: 0 }
        const { anchorsDropped, reorgsBelowDepth } = client
        if (anchorsDropped > before.dropped) this.inc({ kind: 'anchor-dropped' }, anchorsDropped - before.dropped)
        if (reorgsBelowDepth > before.deep) this.inc({ kind: 'below-depth' }, reorgsBelowDepth - before.deep)
        reorgs.set(client, { dropped: anchorsDropped, deep: reorgsBelowDepth })
      }
    }
  })
  return errors
}

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
  return errors
}

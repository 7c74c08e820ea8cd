// How the node reaches and is reached across routers: the relay reservations it holds (its `/p2p-circuit`
// addresses), its connections by kind (a relayed one is limited by the relay and waits for DCUtR), and, on a
// node that relays, the reservations it serves. Read when scraped. No peer labels: which relay a home uses
// says where it is.
import { Gauge, type Registry } from 'prom-client'
import type { PorchlightLibp2p } from '../p2p/index.js'

export type RelayMetricsSource = Pick<PorchlightLibp2p, 'getMultiaddrs' | 'getConnections'> & { services: Pick<PorchlightLibp2p['services'], 'relay'> }

const isRelayed = (addr: { toString: () => string }): boolean => addr.toString().includes('/p2p-circuit')

export function relayMetrics (registry: Registry, libp2p: RelayMetricsSource): void {
  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_p2p_relay_reservations_held',
    help: 'Relay reservations this node holds (its relayed addresses)',
    registers: [registry],
    collect () { this.set(libp2p.getMultiaddrs().filter(isRelayed).length) }
  })
  new Gauge({
    name: 'porchlight_p2p_connections',
    help: 'Open libp2p connections, direct or through a relay',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect () {
      const relayed = libp2p.getConnections().filter((c) => isRelayed(c.remoteAddr)).length
      this.set({ kind: 'relayed' }, relayed)
      this.set({ kind: 'direct' }, libp2p.getConnections().length - relayed)
    }
  })
  const relay = libp2p.services.relay
  if (relay !== undefined) {
    new Gauge({
      name: 'porchlight_relay_reservations_served',
      help: 'Reservations other nodes hold on this relay',
      registers: [registry],
      collect () { this.set(relay.reservations.size) }
    })
  }
}

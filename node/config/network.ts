// A node's network settings with its role's defaults filled in. A household's node sits behind a home router:
// it asks the router for a port (UPnP) and holds relay reservations so others can reach it anyway. Servers
// (agencies, relays, witnesses, auditors) are configured by their operators: no UPnP, and agencies and relays
// relay for the households (docs/network.md).
import { defaults, type DeliveryVia, type NodeConfig, type RelayServerConfig } from './schema.js'

export interface NetworkSettings {
  upnp: boolean
  /** Relay reservations to hold (each a `/p2p-circuit` listen address). */
  reservations: number
  /** The circuit relay server's settings, or false when the node does not relay. */
  relay: RelayServerConfig | false
  deliveryVia: DeliveryVia
}

/** Only loopback (or in-process) addresses: a test or a simulator, where no router is asked and no relay is needed. */
export function localOnly (listen: readonly string[]): boolean {
  return listen.every((a) => /^\/(ip4\/127\.|ip6\/::1\/|memory\/)/.test(a))
}

export function resolveNetwork (config: Pick<NodeConfig, 'role' | 'network' | 'delivery' | 'listen'>): NetworkSettings {
  const resident = config.role === 'resident'
  // Defaults that reach outside the machine (a UPnP request to the router, reservations) apply to nodes that
  // listen beyond loopback; set explicitly they apply everywhere (the relay tests run on 127.0.0.1).
  const exposed = !localOnly(config.listen)
  const serves = config.role === 'agency' || config.role === 'relay'
  const relay = config.network?.relay ?? (serves ? {} : false)
  return {
    upnp: config.network?.upnp ?? (resident && exposed),
    // An agency holds reservations too: its relayed addresses go into its requests, so a household that
    // delivers through a relay (`delivery.via: "relay"`) has a path that never shows the agency its IP.
    reservations: config.network?.reservations ?? ((resident || config.role === 'agency') && exposed ? defaults.reservations : 0),
    relay: relay === false
      ? false
      : {
          maxReservations: relay.maxReservations ?? defaults.relay.maxReservations,
          gossip: { ...defaults.relay.gossip, ...relay.gossip },
          footage: { ...defaults.relay.footage, ...relay.footage }
        },
    deliveryVia: config.delivery?.via ?? 'direct'
  }
}

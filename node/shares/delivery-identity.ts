// The single-use libp2p identity a delivery is sent from. A consent is signed by a key made for it alone,
// but a dial from the node's own libp2p would hand the agency the peer id that the node publishes and that
// the gossip mesh shows beside the household's res-7 cell — linking every consent of a household to it
// and to each other. So each delivery attempt (and each later message about it) runs over a node made for
// it: a fresh Ed25519 key, TCP + Noise + Yamux (and the circuit relay transport, to dial through a relay)
// only, no listening address, no reservation, no identify (no agent version, no protocol list, no listen
// addresses sent), no gossip, no ping, no discovery; stopped when it is done.
// What it does not hide on its own is the IP address, the same as the gossip node's: `delivery.via: "relay"`
// (issue 16) dials the agency only through a relay, so the agency sees the relay's address and the relay
// sees the household's address and only ciphertext (`routedDialer`).
import { createLibp2p, type Libp2p } from 'libp2p'
import PQueue from 'p-queue'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { serviceCapabilities, type PeerId } from '@libp2p/interface'
import { isMultiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { Circuit } from '@multiformats/multiaddr-matcher'
import type { DeliveryVia } from '../config/index.js'
import { NoRelayPathError } from '../footage/errors.js'

/** All a delivery needs of a libp2p node: to open a stream to the agency the request names. */
export type FootageDialer = Pick<Libp2p, 'dialProtocol'>

/**
 * How long the agency's own addresses are tried before its relayed ones (`via: "direct"`): a TCP dial to an
 * address behind a router that drops it hangs until this, and the caller's own deadline must leave room.
 */
export const DIRECT_FIRST_MS = 5000

/**
 * `libp2p` dialling the household's way (config `delivery.via`). `direct`: the agency's own addresses first,
 * its relayed (`/p2p-circuit`) ones only if those fail. `relay`: ONLY its relayed ones, never a direct
 * address (that would hand the agency the IP address the household asked to hide); none → NoRelayPathError,
 * before anything is dialled. Every dial may run over a relayed connection (the agency's footage, deletion
 * and log protocols allow it); the relay's limits for the agency say how much it carries.
 */
export function routedDialer (libp2p: FootageDialer, via: DeliveryVia): FootageDialer {
  return {
    async dialProtocol (target, protocols, options = {}) {
      const addrs = addrsOf(target)
      const relayed = addrs.filter((a) => Circuit.matches(a))
      const own = addrs.filter((a) => !Circuit.matches(a))
      const dial = async (to: Multiaddr[], signal = options.signal): Promise<Awaited<ReturnType<FootageDialer['dialProtocol']>>> =>
        await libp2p.dialProtocol(to, protocols, { ...options, ...(signal === undefined ? {} : { signal }), runOnLimitedConnection: true })
      if (via === 'relay') {
        if (relayed.length === 0) throw new NoRelayPathError({ addrs: addrs.length })
        return await dial(relayed)
      }
      if (own.length === 0 || relayed.length === 0) return await dial(addrs)
      try {
        return await dial(own, options.signal === undefined ? AbortSignal.timeout(DIRECT_FIRST_MS) : AbortSignal.any([options.signal, AbortSignal.timeout(DIRECT_FIRST_MS)]))
      } catch (err) {
        if (options.signal?.aborted === true) throw err
        return await dial(relayed)
      }
    }
  }
}

function addrsOf (target: PeerId | Multiaddr | Multiaddr[]): Multiaddr[] {
  if (Array.isArray(target)) return target
  // A peer id says nothing of the path: the delivery code always dials the request's addresses.
  if (!isMultiaddr(target)) throw new TypeError('a delivery dials addresses, not a peer id')
  return [target]
}

/**
 * Stands in for identify, which the circuit relay transport declares it needs only to discover relays among
 * identified peers (it always builds its discovery): a single-use node discovers nothing and reserves
 * nothing, and must not tell the agency its agent version and protocols. It runs no protocol at all.
 */
function withoutIdentify (): () => object {
  return () => ({ [serviceCapabilities]: ['@libp2p/identify'], [Symbol.toStringTag]: 'porchlight/without-identify' })
}

/** A started libp2p node with a fresh key that can only dial out (directly, or through a relay). */
export async function createDeliveryLibp2p (): Promise<Libp2p> {
  return await createLibp2p({
    addresses: { listen: [] },
    // No `/p2p-circuit` listen address: the relay transport here only dials, it never reserves. It still
    // names the relay's stop protocol, but takes no stream on it: a peer cannot relay a connection to this
    // node, nor make it reserve on that peer (the transport starts listening on a relay that sends a stop).
    transports: [tcp(), circuitRelayTransport({ maxInboundStopStreams: 0 })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // It lives for one transfer, whose per-frame timeouts notice a dead agency; pings would only add traffic.
    connectionMonitor: { enabled: false },
    services: { withoutIdentify: withoutIdentify() }
  })
}

/**
 * Runs `use` over a fresh single-use identity and stops that node afterwards, whether `use` resolved or
 * threw, so no key or connection outlives the one exchange.
 */
export async function withDeliveryIdentity<T> (use: (libp2p: FootageDialer) => Promise<T>, options: { via?: DeliveryVia } = {}): Promise<T> {
  const libp2p = await createDeliveryLibp2p()
  try {
    return await use(routedDialer(libp2p, options.via ?? 'direct'))
  } finally {
    await libp2p.stop()
  }
}

/** How many single-use nodes may start per second: below libp2p's default inbound limit per host (5 a second). */
export const DELIVERY_IDENTITIES_PER_SECOND = 4

export interface DeliveryIdentitiesInit {
  /** @default DELIVERY_IDENTITIES_PER_SECOND */
  perSecond?: number
  /** How every identity dials the agency (config `delivery.via`). @default 'direct' */
  via?: DeliveryVia
}

/**
 * One resident's single-use identities. Each is a new connection to the agency, and a libp2p node refuses
 * more than 5 new connections a second from one host by default (`inboundConnectionThreshold`; Porchlight's
 * agency role raises it to 64, node/node.ts, but a resident cannot know what the agency runs): a node
 * restarting with many pending shares, or a household consenting to several requests at once, would see
 * the sixth refused. So new identities start at most `perSecond` a second (a rolling window); a transfer, once
 * started, runs as long as it needs.
 */
export class DeliveryIdentities {
  readonly #queue: PQueue
  readonly via: DeliveryVia

  constructor (init: DeliveryIdentitiesInit = {}) {
    this.via = init.via ?? 'direct'
    this.#queue = new PQueue({ intervalCap: init.perSecond ?? DELIVERY_IDENTITIES_PER_SECOND, interval: 1000, strict: true })
  }

  /** `withDeliveryIdentity`, once a start is free; an abort while waiting takes it out of the line. */
  async use<T> (use: (libp2p: FootageDialer) => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    return await this.#queue.add(async () => await withDeliveryIdentity(use, { via: this.via }), options.signal === undefined ? {} : { signal: options.signal })
  }
}

// The single-use libp2p identity a delivery is sent from. A consent is signed by a key made for it alone,
// but a dial from the node's own libp2p would hand the agency the peer id that the node publishes and that
// the gossip mesh shows beside the household's res-7 cell — linking every consent of a household to it
// and to each other. So each delivery attempt (and each later message about it) runs over a node made for
// it: a fresh Ed25519 key, TCP + Noise + Yamux only, no listening address, no identify (no agent version,
// no protocol list, no listen addresses sent), no gossip, no ping, no discovery; stopped when it is done.
// What it does not hide is the IP address, the same as the gossip node's (relays: issue 16).
import { createLibp2p, type Libp2p } from 'libp2p'
import PQueue from 'p-queue'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'

/** All a delivery needs of a libp2p node: to open a stream to the agency the request names. */
export type FootageDialer = Pick<Libp2p, 'dialProtocol'>

/** A started libp2p node with a fresh key that can only dial out. */
export async function createDeliveryLibp2p (): Promise<Libp2p> {
  return await createLibp2p({
    addresses: { listen: [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // It lives for one transfer, whose per-frame timeouts notice a dead agency; pings would only add traffic.
    connectionMonitor: { enabled: false },
    services: {}
  })
}

/**
 * Runs `use` over a fresh single-use identity and stops that node afterwards, whether `use` resolved or
 * threw, so no key or connection outlives the one exchange.
 */
export async function withDeliveryIdentity<T> (use: (libp2p: Libp2p) => Promise<T>): Promise<T> {
  const libp2p = await createDeliveryLibp2p()
  try {
    return await use(libp2p)
  } finally {
    await libp2p.stop()
  }
}

/** How many single-use nodes may start per second: below libp2p's default inbound limit per host (5 a second). */
export const DELIVERY_IDENTITIES_PER_SECOND = 4

export interface DeliveryIdentitiesInit {
  /** @default DELIVERY_IDENTITIES_PER_SECOND */
  perSecond?: number
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

  constructor (init: DeliveryIdentitiesInit = {}) {
    this.#queue = new PQueue({ intervalCap: init.perSecond ?? DELIVERY_IDENTITIES_PER_SECOND, interval: 1000, strict: true })
  }

  /** `withDeliveryIdentity`, once a start is free; an abort while waiting takes it out of the line. */
  async use<T> (use: (libp2p: Libp2p) => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    return await this.#queue.add(async () => await withDeliveryIdentity(use), options.signal === undefined ? {} : { signal: options.signal })
  }
}

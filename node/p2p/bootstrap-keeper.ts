// Keeps a node connected to its bootstrap peers while it runs. @libp2p/bootstrap dials each once, and
// libp2p's reconnect queue redials a keep-alive peer only after it disconnects, five times, then drops its
// tag: a first dial that was refused (libp2p's inbound rate limit, issue 15 item 8) or that met an agency
// still down at boot was never tried again, and a home node stayed cut off from its agency. This service
// dials every bootstrap peer that is not connected, with exponential backoff and jitter, until it is.
import { EventEmitter } from 'node:events'
import pRetry, { AbortError } from 'p-retry'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { ComponentLogger, Libp2p, PeerId, PeerStore } from '@libp2p/interface'
import type { Logger } from '../logging/index.js'
import { BootstrapDialFailedError } from './errors.js'
import { componentLog } from './component-log.js'

/** The tag @libp2p/bootstrap puts on bootstrap peers; its `keep-alive` prefix makes libp2p redial on a drop. */
export const BOOTSTRAP_TAG = 'keep-alive-bootstrap'
const BOOTSTRAP_TAG_VALUE = 50

export interface BootstrapKeeperInit {
  /** Bootstrap multiaddrs, each with a /p2p/ peer id (others are ignored, as @libp2p/bootstrap does). @default [] */
  list?: string[]
  /** Delay before the second dial; each later one doubles it, times a random factor in [1, 2). @default 1000 */
  minDelayMs?: number
  /** The longest delay between two dials. @default 60000 */
  maxDelayMs?: number
  /** Where it says what it does (the node's pino logger). @default libp2p's debug logger */
  log?: Pick<Logger, 'debug' | 'info'>
}

/** What it uses of libp2p's components: a libp2p service gets them all, a unit test hands it stubs. */
export interface BootstrapKeeperComponents {
  peerId: PeerId
  connectionManager: {
    openConnection: (target: Multiaddr, options: { signal: AbortSignal }) => Promise<unknown>
    getConnections: (peerId?: PeerId) => unknown[]
  }
  peerStore: Pick<PeerStore, 'get' | 'merge'>
  events: Pick<Libp2p, 'addEventListener' | 'removeEventListener'>
  logger: ComponentLogger
}

export interface BootstrapDial {
  peerId: string
  /** 1 for the first dial of a run, counting up until the peer is connected. */
  attempt: number
}

export interface BootstrapKeeperEvents {
  'dial:attempted': [BootstrapDial]
  'dial:failed': [BootstrapDial & { error: BootstrapDialFailedError }]
  'dial:connected': [BootstrapDial]
}

interface Kept {
  peerId: PeerId
  addr: Multiaddr
  /** The running redial loop, if any: aborted when the peer connects or the keeper stops. */
  run?: { controller: AbortController, done: Promise<void> }
}

export class BootstrapKeeper extends EventEmitter<BootstrapKeeperEvents> {
  readonly #components: BootstrapKeeperComponents
  readonly #peers: Kept[]
  readonly #minDelayMs: number
  readonly #maxDelayMs: number
  readonly #log: Pick<Logger, 'debug' | 'info'>
  #started = false

  constructor (components: BootstrapKeeperComponents, init: BootstrapKeeperInit = {}) {
    super()
    this.#components = components
    this.#minDelayMs = init.minDelayMs ?? 1000
    this.#maxDelayMs = init.maxDelayMs ?? 60_000
    this.#log = init.log ?? componentLog(components.logger, 'porchlight:bootstrap-keeper')
    this.#peers = (init.list ?? []).flatMap((s) => {
      const addr = multiaddr(s)
      const id = addr.getComponents().findLast((c) => c.name === 'p2p')?.value
      if (id === undefined) return []
      const peerId = peerIdFromString(id)
      // A shared bootstrap list may name the node itself; dialling self fails every time, forever.
      return peerId.equals(components.peerId) ? [] : [{ peerId, addr }]
    })
  }

  /** How many bootstrap peers have no open connection now. */
  disconnected (): number {
    return this.#peers.filter((p) => !this.#isConnected(p)).length
  }

  /** Whether a redial loop is running or waiting for any peer (false after stop). */
  redialling (): boolean {
    return this.#peers.some((p) => p.run !== undefined)
  }

  start (): void {
    if (this.#peers.length === 0) return
    this.#started = true
    this.#components.events.addEventListener('peer:connect', this.#onConnect)
    this.#components.events.addEventListener('peer:disconnect', this.#onDisconnect)
    this.#components.events.addEventListener('peer:reconnect-failure', this.#onReconnectFailure)
  }

  /** After libp2p's own start (its connection manager dials only then): every peer not connected is kept. */
  afterStart (): void {
    for (const peer of this.#peers) this.#keep(peer)
  }

  async stop (): Promise<void> {
    if (!this.#started) return
    this.#started = false
    this.#components.events.removeEventListener('peer:connect', this.#onConnect)
    this.#components.events.removeEventListener('peer:disconnect', this.#onDisconnect)
    this.#components.events.removeEventListener('peer:reconnect-failure', this.#onReconnectFailure)
    const runs = this.#peers.flatMap((p) => p.run === undefined ? [] : [p.run])
    for (const run of runs) run.controller.abort()
    // Aborting clears p-retry's timer and the pending dial; waiting here means none outlives the node.
    await Promise.all(runs.map(async (r) => { await r.done }))
  }

  #find (peerId: PeerId): Kept | undefined {
    return this.#peers.find((p) => p.peerId.equals(peerId))
  }

  #isConnected (peer: Kept): boolean {
    return this.#components.connectionManager.getConnections(peer.peerId).length > 0
  }

  readonly #onConnect = (evt: CustomEvent<PeerId>): void => {
    const peer = this.#find(evt.detail)
    if (peer === undefined) return
    peer.run?.controller.abort()
    // libp2p drops the keep-alive tag when its reconnects give up; put it back, so that libp2p again
    // redials this peer at once when it drops and spares its connection when it prunes.
    this.#components.peerStore.merge(peer.peerId, { tags: { [BOOTSTRAP_TAG]: { value: BOOTSTRAP_TAG_VALUE } } })
      .catch((err: unknown) => { this.#log.debug({ err, peer: peer.peerId.toString() }, 'bootstrap: could not tag peer') })
  }

  readonly #onDisconnect = (evt: CustomEvent<PeerId>): void => {
    const peer = this.#find(evt.detail)
    if (peer === undefined) return
    // With the keep-alive tag libp2p's reconnect queue redials first, and says when it gives up (below).
    this.#components.peerStore.get(peer.peerId)
      .then((p) => [...p.tags.keys()].some((t) => t.startsWith('keep-alive')), () => false)
      .then((tagged) => { if (!tagged) this.#keep(peer) }, () => {})
  }

  readonly #onReconnectFailure = (evt: CustomEvent<PeerId>): void => {
    const peer = this.#find(evt.detail)
    if (peer === undefined) return
    this.#log.info({ peer: peer.peerId.toString() }, 'bootstrap: libp2p stopped reconnecting; redialling with backoff')
    this.#keep(peer)
  }

  #keep (peer: Kept): void {
    if (!this.#started || peer.run !== undefined || this.#isConnected(peer)) return
    const controller = new AbortController()
    const id = peer.peerId.toString()
    const dial = async (attempt: number): Promise<void> => {
      if (this.#isConnected(peer)) return
      this.emit('dial:attempted', { peerId: id, attempt })
      try {
        await this.#components.connectionManager.openConnection(peer.addr, { signal: controller.signal })
      } catch (err) {
        // Stopped or connected meanwhile: not a failure, and no retry.
        if (controller.signal.aborted) throw new AbortError(err instanceof Error ? err : String(err))
        // Every other failure is retried: p-retry would give up on a TypeError, this error is none.
        throw new BootstrapDialFailedError({ peer: id, attempt }, { cause: err })
      }
      this.emit('dial:connected', { peerId: id, attempt })
      if (attempt > 1) this.#log.info({ peer: id, attempts: attempt }, 'bootstrap: peer reached')
    }
    const done = pRetry(dial, {
      retries: Infinity,
      factor: 2,
      minTimeout: this.#minDelayMs,
      maxTimeout: this.#maxDelayMs,
      // ×[1, 2) per delay: nodes refused together (one agency's rate limit) do not come back together.
      randomize: true,
      signal: controller.signal,
      onFailedAttempt: ({ error, attemptNumber }) => {
        const failure = error as BootstrapDialFailedError
        this.emit('dial:failed', { peerId: id, attempt: attemptNumber, error: failure })
        const level = attemptNumber === 1 ? 'info' : 'debug'
        this.#log[level]({ peer: id, attempt: attemptNumber, err: failure.cause }, 'bootstrap: dial failed; redialling with backoff')
      }
    }).catch(() => {
      // Only an abort ends the loop (the peer connected, or the keeper stopped); it is not an error.
    }).finally(() => {
      if (peer.run?.controller === controller) delete peer.run
    })
    peer.run = { controller, done }
  }
}

/** A libp2p service (`services: { bootstrapKeeper: bootstrapKeeper({ list }) }`), started and stopped with the node. */
export function bootstrapKeeper (init: BootstrapKeeperInit = {}): (components: BootstrapKeeperComponents) => BootstrapKeeper {
  return (components) => new BootstrapKeeper(components, init)
}

// The agency's side of relayed footage: every relay it holds a reservation on (a `/p2p-circuit` address among
// its own) is sent a proof that this peer is the registered agency (node/p2p/relay-limits.ts), so that
// relay gives the connections of households delivering through it footage-sized limits instead of gossip's.
// Sent when a reservation appears (libp2p's `self:peer:update`), renewed before the proof expires, and tried
// again with backoff when a relay refused or could not be reached; a relay whose reservation is gone is
// forgotten, so a new reservation there is proven anew.
import { EventEmitter } from 'node:events'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { NodeComponents, NodeService } from '../service.js'
import { sendRequest } from '../p2p/index.js'
import { RELAY_AGENCY_PROTOCOL, signRelayProof, type RelayProofAnswer } from '../p2p/relay-limits.js'

/** How long an agency's proof lasts; renewed a quarter before. A relay that stops following the chain keeps an agency's limits no longer. */
export const RELAY_PROOF_SECONDS = 3600
/** The first retry after a refusal or a failed dial; doubled up to RELAY_PROOF_SECONDS. */
export const RELAY_PROOF_RETRY_MS = 30_000

export interface AgencyRelayProofsEvents {
  'relay:proven': [{ relay: string, expiresAt: number }]
  'relay:refused': [{ relay: string, error: Error }]
}

export interface AgencyRelayProofsInit {
  /** @default RELAY_PROOF_SECONDS */
  lifetimeSeconds?: number
  /** @default RELAY_PROOF_RETRY_MS */
  retryMs?: number
  /** Unix seconds. @default the system clock */
  now?: () => number
}

type Components = Pick<NodeComponents, 'libp2p' | 'keys' | 'logger'>

/** The relays among `addrs`: the peer before each `/p2p-circuit`. */
export function relaysOf (addrs: readonly Multiaddr[]): Set<string> {
  const relays = new Set<string>()
  for (const addr of addrs) {
    const parts = addr.getComponents()
    const circuit = parts.findIndex((c) => c.name === 'p2p-circuit')
    const relay = circuit > 0 ? parts[circuit - 1] : undefined
    if (relay?.name === 'p2p' && relay.value !== undefined) relays.add(relay.value)
  }
  return relays
}

interface Standing { timer?: NodeJS.Timeout, retryMs: number }

export class AgencyRelayProofs extends EventEmitter<AgencyRelayProofsEvents> implements NodeService {
  readonly #components: Components
  readonly #lifetime: number
  readonly #firstRetryMs: number
  readonly #now: () => number
  readonly #log: Components['logger']
  /** Relays this agency holds a reservation on now, each with its next proof's timer. */
  readonly #relays = new Map<string, Standing>()
  #stopped = false

  constructor (components: Components, init: AgencyRelayProofsInit = {}) {
    super()
    this.#components = components
    this.#lifetime = init.lifetimeSeconds ?? RELAY_PROOF_SECONDS
    this.#firstRetryMs = init.retryMs ?? RELAY_PROOF_RETRY_MS
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
    this.#log = components.logger.child({ component: 'relay-proofs' })
  }

  async start (): Promise<void> {
    if (this.#components.keys.agencyKey === undefined) return
    this.#components.libp2p.addEventListener('self:peer:update', this.#onUpdate)
    this.#onUpdate()
  }

  async stop (): Promise<void> {
    this.#stopped = true
    this.#components.libp2p.removeEventListener('self:peer:update', this.#onUpdate)
    for (const s of this.#relays.values()) clearTimeout(s.timer)
    this.#relays.clear()
  }

  readonly #onUpdate = (): void => {
    if (this.#stopped) return
    const now = relaysOf(this.#components.libp2p.getMultiaddrs())
    for (const [relay, s] of this.#relays) {
      if (!now.has(relay)) { clearTimeout(s.timer); this.#relays.delete(relay) }
    }
    for (const relay of now) {
      if (this.#relays.has(relay)) continue
      const s: Standing = { retryMs: this.#firstRetryMs }
      this.#relays.set(relay, s)
      void this.#prove(relay, s)
    }
  }

  async #prove (relay: string, s: Standing): Promise<void> {
    const { libp2p, keys } = this.#components
    const proof = signRelayProof({ agencyPeer: libp2p.peerId.toString(), relayPeer: relay, expiresAt: this.#now() + this.#lifetime }, keys.agencyKey!)
    let next: number
    try {
      const answer = await sendRequest<unknown, RelayProofAnswer>(libp2p, peerIdFromString(relay), RELAY_AGENCY_PROTOCOL, proof, { maxFrameBytes: 1024, timeoutMs: 10_000 })
      if (typeof answer?.expiresAt !== 'number') throw new TypeError('not a relay proof answer')
      s.retryMs = this.#firstRetryMs
      // Renewed a quarter of its life before it ends (or at once if the relay cut it short, to an agency's validUntil).
      next = Math.max(1000, (answer.expiresAt - this.#lifetime / 4 - this.#now()) * 1000)
      this.#log.info({ relay, expiresAt: answer.expiresAt }, 'relay-proofs: footage limits granted by a relay')
      this.emit('relay:proven', { relay, expiresAt: answer.expiresAt })
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err))
      next = s.retryMs
      s.retryMs = Math.min(s.retryMs * 2, this.#lifetime * 1000)
      // A relay of another town, or one without a chain, refuses: households delivering through it get gossip's limits.
      this.#log.warn({ err: error, relay, retryMs: next }, 'relay-proofs: a relay refused this agency\'s proof')
      this.emit('relay:refused', { relay, error })
    }
    if (this.#stopped || this.#relays.get(relay) !== s) return
    s.timer = setTimeout(() => { void this.#prove(relay, s) }, next)
    s.timer.unref()
  }
}

/** The agency's relay proofs as a node service. */
export function agencyRelayProofs (init: AgencyRelayProofsInit = {}): (components: Components) => AgencyRelayProofs {
  return (components) => new AgencyRelayProofs(components, init)
}

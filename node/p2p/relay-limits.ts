// Footage-sized limits on a relay, for active agencies only. Circuit relay v2 limits a relayed connection by
// its destination's reservation, and the library gives every reservation the server's default (sized for
// gossip and catch-up, libp2p.ts). A household that delivers through a relay (`delivery.via: "relay"`)
// needs far more than that to reach its agency, but a relay handing footage-sized limits to anyone would be
// a free bulk relay. So an agency proves itself over /porchlight/relay/agency/1.0.0, after it reserved: an
// EIP-191 signature by its registered key over a fixed text naming its peer id, this relay's peer id and an
// expiry. The relay checks the text, the signature and its chain's registry (active now), and then sets
// that one reservation's `limit` in the server's public `reservations` map; the server reads it at each
// new relayed connection to the agency. The limit goes back to gossip's at the proof's expiry and as soon
// as the registry says the agency is no longer active. A relay without a chain cannot tell an agency from
// anyone else: it refuses every proof (RELAY_WITHOUT_REGISTRY) and relays gossip only (docs/footage.md).
import { EventEmitter } from 'node:events'
import { Wallet, verifyMessage } from 'ethers'
import type { PeerId } from '@libp2p/interface'
import { RateLimiter } from '@libp2p/utils'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { isPorchlightError } from '../../protocol/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { ChainService } from '../chain/chain-service.js'
import { isActiveRecord } from '../chain/agency-info.js'
import { AgencyNotActiveError } from '../network/errors.js'
import { resolveNetwork, type RelayLimit } from '../config/index.js'
import { handleRequests } from './request-response.js'
import { InvalidRelayProofError, NoReservationError, RelayProofRateLimitedError, RelayWithoutRegistryError } from './errors.js'

export const RELAY_AGENCY_PROTOCOL = '/porchlight/relay/agency/1.0.0'

/** A relay accepts proofs that expire at most this far ahead: an agency suspended on a chain the relay no longer follows keeps its limits no longer. */
export const MAX_RELAY_PROOF_SECONDS = 24 * 3600

/** Proof checks one peer may ask for a minute: an honest agency sends one per reservation and renewal. */
export const RELAY_PROOFS_PER_PEER_MINUTE = 4
/**
 * Proof checks a relay makes a minute, from all peers: a proof naming an unknown key costs a registry read
 * on chain (an LRU caches the known), and fresh peer ids are free. A town has a handful of agencies.
 */
export const RELAY_PROOFS_PER_MINUTE = 60

/** What an agency sends a relay. `signature` is EIP-191 over `relayProofText` of the other fields. */
export interface RelayProof {
  agencyPeer: string
  relayPeer: string
  /** Unix seconds. */
  expiresAt: number
  signature: string
}

/** The text an agency signs: fixed, so a wallet shows exactly what it grants (nothing but these limits). */
export function relayProofText (proof: Pick<RelayProof, 'agencyPeer' | 'relayPeer' | 'expiresAt'>): string {
  return `Porchlight relay footage limits\nagency peer: ${proof.agencyPeer}\nrelay peer: ${proof.relayPeer}\nexpires at: ${proof.expiresAt}\n`
}

export function signRelayProof (fields: Pick<RelayProof, 'agencyPeer' | 'relayPeer' | 'expiresAt'>, agencyKey: string): RelayProof {
  return { ...fields, signature: new Wallet(agencyKey).signMessageSync(relayProofText(fields)) }
}

/** The proof's fields as sent, or undefined when it is not a proof's shape. */
export function asRelayProof (frame: unknown): RelayProof | undefined {
  if (frame === null || typeof frame !== 'object') return undefined
  const f = frame as Record<string, unknown>
  if (Object.keys(f).length !== 4) return undefined
  const short = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max
  if (!short(f.agencyPeer, 128) || !short(f.relayPeer, 128) || !short(f.signature, 132)) return undefined
  if (typeof f.expiresAt !== 'number' || !Number.isSafeInteger(f.expiresAt)) return undefined
  return { agencyPeer: f.agencyPeer, relayPeer: f.relayPeer, expiresAt: f.expiresAt, signature: f.signature }
}

/**
 * The agency address that signed `frame` for `expected` (the connection's peer and this relay), checked in the
 * order of cost; throws InvalidRelayProofError with the failing check's reason.
 */
export function verifyRelayProof (frame: unknown, expected: { agencyPeer: string, relayPeer: string, now: number, maxSeconds?: number }): { agency: string, proof: RelayProof } {
  const proof = asRelayProof(frame)
  if (proof === undefined) throw new InvalidRelayProofError({ reason: 'malformed' })
  if (proof.relayPeer !== expected.relayPeer) throw new InvalidRelayProofError({ reason: 'relay' })
  if (proof.agencyPeer !== expected.agencyPeer) throw new InvalidRelayProofError({ reason: 'peer' })
  if (proof.expiresAt <= expected.now) throw new InvalidRelayProofError({ reason: 'expired' })
  if (proof.expiresAt > expected.now + (expected.maxSeconds ?? MAX_RELAY_PROOF_SECONDS)) throw new InvalidRelayProofError({ reason: 'too-long' })
  let agency: string
  try { agency = verifyMessage(relayProofText(proof), proof.signature) } catch (err) { throw new InvalidRelayProofError({ reason: 'signature' }, { cause: err }) }
  return { agency, proof }
}

/** What the relay answers an accepted proof. */
export interface RelayProofAnswer {
  /** When the footage limits end unless renewed (the proof's expiry, or the agency's `validUntil` if sooner). */
  expiresAt: number
  limit: RelayLimit
}

/** A circuit relay v2 reservation's limit as the server reads it: duration in ms, as libp2p.ts sets the defaults. */
export function reservationLimit (limit: RelayLimit): { duration: number, data: bigint } {
  return { duration: limit.durationSeconds * 1000, data: BigInt(limit.dataBytes) }
}

export interface RelayFootageLimitsEvents {
  'proof:accepted': [{ peer: string, agency: string, expiresAt: number }]
  'proof:refused': [{ peer: string, error: Error }]
  /** An agency's reservation went back to gossip's limits: its proof expired, or the registry no longer has it active. */
  'limit:revoked': [{ peer: string, agency: string, reason: 'expired' | 'not-active' }]
}

export interface RelayFootageLimitsInit {
  /** Unix seconds. @default the system clock */
  now?: () => number
  /** @default MAX_RELAY_PROOF_SECONDS */
  maxProofSeconds?: number
  /** @default RELAY_PROOFS_PER_PEER_MINUTE */
  proofsPerPeerMinute?: number
  /** @default RELAY_PROOFS_PER_MINUTE */
  proofsPerMinute?: number
}

export type RelayFootageLimitsComponents = Pick<NodeComponents, 'config' | 'libp2p' | 'logger'> & { chain: ChainService }

interface Standing { peerId: PeerId, agency: string, expiresAt: number, timer: NodeJS.Timeout }

export class RelayFootageLimits extends EventEmitter<RelayFootageLimitsEvents> implements NodeService {
  readonly #components: RelayFootageLimitsComponents
  readonly #init: RelayFootageLimitsInit
  readonly #now: () => number
  readonly #perPeer: RateLimiter
  readonly #overall: RateLimiter
  /** Proven agencies, by peer id: at most one entry a peer, each removed at its expiry. */
  readonly #standing = new Map<string, Standing>()
  readonly #log: RelayFootageLimitsComponents['logger']
  #relay: CircuitRelayService | undefined
  /** The relay's configured limits (`network.relay`), once started on a node that relays. */
  #limits: { footage: RelayLimit, gossip: RelayLimit } | undefined

  constructor (components: RelayFootageLimitsComponents, init: RelayFootageLimitsInit = {}) {
    super()
    this.#components = components
    this.#init = init
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
    this.#perPeer = new RateLimiter({ points: init.proofsPerPeerMinute ?? RELAY_PROOFS_PER_PEER_MINUTE, duration: 60 })
    this.#overall = new RateLimiter({ points: init.proofsPerMinute ?? RELAY_PROOFS_PER_MINUTE, duration: 60 })
    this.#log = components.logger.child({ component: 'relay' })
  }

  /** Agencies whose reservations carry footage limits now. */
  get proven (): number { return this.#standing.size }

  async start (): Promise<void> {
    const { libp2p, config, chain } = this.#components
    const network = resolveNetwork(config)
    this.#relay = libp2p.services.relay
    // A node that does not relay has no reservations to set limits on.
    if (this.#relay === undefined || network.relay === false) return
    this.#limits = { footage: network.relay.footage, gossip: network.relay.gossip }
    chain.registry?.on?.('agency:changed', this.#onAgencyChanged)
    // Only on a direct connection: a reservation is never made over a relayed one, so neither is its proof.
    await handleRequests<unknown, RelayProofAnswer>(libp2p, RELAY_AGENCY_PROTOCOL, async (frame, { peer }) => await this.#accept(frame, peer), { maxFrameBytes: 1024, timeoutMs: 5000 })
  }

  async stop (): Promise<void> {
    this.#components.chain.registry?.off?.('agency:changed', this.#onAgencyChanged)
    for (const s of this.#standing.values()) clearTimeout(s.timer)
    this.#standing.clear()
    if (this.#relay !== undefined) await this.#components.libp2p.unhandle(RELAY_AGENCY_PROTOCOL).catch(() => {})
  }

  async #accept (frame: unknown, peer: PeerId): Promise<RelayProofAnswer> {
    try {
      return await this.#check(frame, peer)
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err))
      // The sender's doing (info), unless ours — a chain error, no chain — (warn): an operator sees which.
      this.#log[isPorchlightError(error) && (error.status ?? 500) < 500 ? 'info' : 'warn']({ err: error, peer: peer.toString() }, 'relay: agency proof refused')
      this.emit('proof:refused', { peer: peer.toString(), error })
      throw error
    }
  }

  async #check (frame: unknown, peer: PeerId): Promise<RelayProofAnswer> {
    const key = peer.toString()
    try {
      this.#perPeer.consume(key)
      this.#overall.consume('all')
    } catch { throw new RelayProofRateLimitedError({ peer: key }) }
    const registry = this.#components.chain.registry
    if (registry === undefined) throw new RelayWithoutRegistryError()
    const now = this.#now()
    // Cheap checks first; the signature and the registry read only for a peer holding a reservation here.
    const { agency, proof } = verifyRelayProof(frame, {
      agencyPeer: key,
      relayPeer: this.#components.libp2p.peerId.toString(),
      now,
      ...(this.#init.maxProofSeconds === undefined ? {} : { maxSeconds: this.#init.maxProofSeconds })
    })
    if (this.#relay!.reservations.get(peer) === undefined) throw new NoReservationError({ peer: key })
    // The cached record (kept current by the chain client's event follower): a peer must not make the relay call its RPC at will.
    const info = await registry.agencyInfo(agency)
    if (!isActiveRecord(info, now)) throw new AgencyNotActiveError({ agency, status: info.status, validUntil: info.validUntil })
    const expiresAt = Math.min(proof.expiresAt, info.validUntil)
    this.#grant(peer, agency, expiresAt)
    this.#log.info({ peer: key, agency, expiresAt }, 'relay: footage limits for an agency')
    this.emit('proof:accepted', { peer: key, agency, expiresAt })
    return { expiresAt, limit: this.#limits!.footage }
  }

  #grant (peerId: PeerId, agency: string, expiresAt: number): void {
    const key = peerId.toString()
    const before = this.#standing.get(key)
    if (before !== undefined) clearTimeout(before.timer)
    const timer = setTimeout(() => { this.#revoke(key, 'expired') }, Math.max(0, expiresAt * 1000 - Date.now()))
    timer.unref()
    this.#standing.set(key, { peerId, agency, expiresAt, timer })
    const reservation = this.#relay!.reservations.get(peerId)
    if (reservation !== undefined) reservation.limit = reservationLimit(this.#limits!.footage)
  }

  #revoke (key: string, reason: 'expired' | 'not-active'): void {
    const s = this.#standing.get(key)
    if (s === undefined) return
    clearTimeout(s.timer)
    this.#standing.delete(key)
    const reservation = this.#relay?.reservations.get(s.peerId)
    if (reservation !== undefined) reservation.limit = reservationLimit(this.#limits!.gossip)
    this.#log.info({ peer: key, agency: s.agency, reason }, 'relay: footage limits revoked')
    this.emit('limit:revoked', { peer: key, agency: s.agency, reason })
  }

  readonly #onAgencyChanged = (address: string): void => {
    const holders = [...this.#standing.entries()].filter(([, s]) => s.agency === address)
    if (holders.length === 0) return
    void (async () => {
      let active = false
      try { active = isActiveRecord(await this.#components.chain.registry!.agencyInfo(address), this.#now()) } catch (err) {
        // Unknown status: fail closed, as the agency's own receiver does.
        this.#log.warn({ err, agency: address }, 'relay: an agency\'s record could not be read; its footage limits are revoked')
      }
      if (!active) for (const [key] of holders) this.#revoke(key, 'not-active')
    })()
  }
}

/** The relay's footage limits as a node service (relay and agency roles: both relay). */
export function relayFootageLimits (init: RelayFootageLimitsInit = {}): (components: RelayFootageLimitsComponents) => RelayFootageLimits {
  return (components) => new RelayFootageLimits(components, init)
}

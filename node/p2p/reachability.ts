// Whether this node can be dialled from outside, decided by the peers of a town. A libp2p service (tcp
// nodes): it serves `/porchlight/dial-back/1.0.0` to its peers, and asks up to three of them to dial back
// the public addresses libp2p's address manager holds unverified (a public listen address, a UPnP mapping,
// an observed address). An address two of them reached (or the only one, when it knows one) is confirmed in
// the address manager, so libp2p advertises it; one two of them could not reach and none could is removed.
// The node's status — `public`, `private` or `unknown` — is what `node.info().reachability` reports.
// The library's AutoNAT v2 stays beside it: it confirms a listen address on one dial-back too, but refutes
// only after eight failures from eight /8s, never in a town; see docs/network.md.
import { EventEmitter } from 'node:events'
import { setTimeout as delay } from 'node:timers/promises'
import { RateLimiter, getNetConfig, isGlobalUnicast, isLinkLocal, isPrivate } from '@libp2p/utils'
import type { ComponentLogger, Connection, IdentifyResult, Libp2p, PeerId, PeerStore } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Logger } from '../logging/index.js'
import type { ReachabilityStatus } from '../../protocol/api/index.js'
import { handleRequests, type ProtocolRegistrar } from './request-response.js'
import { componentLog } from './component-log.js'
import { DELIVERY_IDENTITIES_PER_SECOND } from '../shares/delivery-identity.js'
import {
  DIAL_BACK_PROOF_PROTOCOL, DIAL_BACK_PROTOCOL, DIAL_BACK_TIMEOUT_MS, MAX_DIAL_BACK_ADDRS, MAX_DIAL_BACK_FRAME_BYTES, DialBackBusyError, DialBackProofs,
  DialBackRateLimitedError, checkDialBackRequest, dialBack, isTcpAddress, mayDialBack, remoteHost, requestDialBack,
  type DialBackAnswer, type DialBackOutcome, type DialBackProof, type DialBackResult
} from './dial-back.js'

export type { ReachabilityStatus }

/** An address as libp2p's address manager reports it (`getAddressesWithMetadata()`). */
export interface NodeAddress {
  multiaddr: Multiaddr
  verified: boolean
  /** When it should be checked again (ms); 0 for one never checked. */
  expires: number
  type: string
}

/** The relay protocol's hop: a peer that serves it is a relay or an agency, the peers a town keeps up. */
const RELAY_HOP_PROTOCOL = '/libp2p/circuit/relay/0.2.0/hop'

export interface ReachabilityInit {
  /**
   * Whether an address's host is public. Tests on 127.0.0.1 replace it; the netns test instead makes
   * libp2p's own list treat 203.0.113.0/24 as public (test/support). @default not private, link-local or
   * non-global IPv6, per @libp2p/utils
   */
  isPublicHost?: (ma: Multiaddr) => boolean
  /** Every address is checked again this often (and the answers gathered so far forgotten). @default 600000 */
  recheckMs?: number
  /** A change (new addresses, a new server) is checked after this pause, which gathers a burst. @default 1000 */
  settleMs?: number
  /** One server is asked at most once in this time. @default 30000 */
  askAgainMs?: number
  /** Servers asked in one round. @default 3 */
  maxServers?: number
  /** Dial-back requests served a minute to one peer, and to one IP address. @default { peer: 4, host: 16 } */
  perMinute?: { peer: number, host: number }
  /** Dial-back requests served at once. @default 4 */
  maxInFlight?: number
  /** The time one dial-back may take, serving (a dial) and asking (× addresses + 1). @default 5000 */
  dialTimeoutMs?: number
  /** How the server dials an address back (a test stands in a dial that hangs or lies). @default dialBack */
  dial?: typeof dialBack
  /** How a server is asked (unit tests). @default requestDialBack on the connection */
  ask?: (connection: Connection, addrs: string[], signal: AbortSignal) => Promise<DialBackOutcome[]>
  /** Where it says what it does (the node's pino logger). @default libp2p's debug logger */
  log?: Pick<Logger, 'debug' | 'info'>
}

/** What it uses of libp2p's components (a unit test hands it stubs). */
export interface ReachabilityComponents {
  addressManager: {
    getAddressesWithMetadata: () => NodeAddress[]
    confirmObservedAddr: (addr: Multiaddr) => void
    removeObservedAddr: (addr: Multiaddr) => void
  }
  connectionManager: { getConnections: () => Connection[] }
  peerStore: Pick<PeerStore, 'get'>
  registrar: ProtocolRegistrar & { unhandle: (protocol: string) => Promise<void> }
  events: Pick<Libp2p, 'addEventListener' | 'removeEventListener'>
  logger: ComponentLogger
}

export interface ReachabilityEvents {
  'reachability:change': [{ status: ReachabilityStatus, previous: ReachabilityStatus }]
  /** A server answered our request: one outcome per address asked. */
  'check:answered': [{ peer: string, addrs: string[], outcomes: DialBackOutcome[] }]
  'check:failed': [{ peer: string, error: unknown }]
  'address:confirmed': [{ addr: string }]
  'address:refuted': [{ addr: string }]
  /** We served a request: one result per address. */
  'dial-back:answered': [{ results: DialBackResult[] }]
  /** We refused a request (rate, busy, malformed or unreadable); `code` is the error's. */
  'dial-back:refused': [{ code: string }]
}

/** How many agreeing servers decide: two, or every one there is when there are fewer. */
export function verdictOf (tally: { ok: number, unreachable: number }, servers: number): 'confirmed' | 'refuted' | undefined {
  const needed = Math.max(1, Math.min(2, servers))
  if (tally.ok >= needed) return 'confirmed'
  if (tally.ok === 0 && tally.unreachable >= needed) return 'refuted'
  return undefined
}

function isCircuit (ma: Multiaddr): boolean {
  return ma.getComponents().some((c) => c.name === 'p2p-circuit')
}

/** The default `isPublicHost`: libp2p's own idea of private (which the netns test adjusts). */
export function isPublicHost (ma: Multiaddr): boolean {
  if (isPrivate(ma) || isLinkLocal(ma)) return false
  try {
    return getNetConfig(ma).type !== 'ip6' || isGlobalUnicast(ma)
  } catch {
    return false
  }
}

/** The addresses to test now: public TCP ones libp2p found (not announced), never checked or due again. */
export function candidatesOf (addresses: NodeAddress[], isPublic: (ma: Multiaddr) => boolean, now: number): Multiaddr[] {
  const seen = new Set<string>()
  return addresses.filter((a) => {
    const key = a.multiaddr.toString()
    if (seen.has(key) || a.type === 'announce' || !isTcpAddress(a.multiaddr) || !isPublic(a.multiaddr)) return false
    seen.add(key)
    return !a.verified || a.expires <= now
  }).map((a) => a.multiaddr).slice(0, MAX_DIAL_BACK_ADDRS)
}

/**
 * `public`: some verified public address that is not a circuit (confirmed here or by AutoNAT, or
 * announced). `private`: none, and we refuted one lately, or there is nothing to test while we hold a relay
 * reservation (behind a NAT without UPnP a node has no public address of its own at all). Else `unknown`.
 */
export function statusOf (addresses: NodeAddress[], isPublic: (ma: Multiaddr) => boolean, refutedLately: boolean): ReachabilityStatus {
  if (addresses.some((a) => a.verified && !isCircuit(a.multiaddr) && isPublic(a.multiaddr))) return 'public'
  if (refutedLately) return 'private'
  const untested = addresses.some((a) => !a.verified && !isCircuit(a.multiaddr) && isPublic(a.multiaddr))
  const relayed = addresses.some((a) => isCircuit(a.multiaddr))
  return !untested && relayed ? 'private' : 'unknown'
}

interface Tally { ok: Set<string>, unreachable: Set<string> }

export class Reachability extends EventEmitter<ReachabilityEvents> {
  readonly #components: ReachabilityComponents
  readonly #isPublic: (ma: Multiaddr) => boolean
  readonly #recheckMs: number
  readonly #settleMs: number
  readonly #askAgainMs: number
  readonly #maxServers: number
  readonly #maxInFlight: number
  readonly #dialTimeoutMs: number
  readonly #dial: typeof dialBack
  readonly #ask: NonNullable<ReachabilityInit['ask']>
  readonly #log: Pick<Logger, 'debug' | 'info'>
  readonly #perPeer: RateLimiter
  readonly #perHost: RateLimiter
  readonly #proofs = new DialBackProofs()
  /** Answers gathered per candidate address until a verdict (or the next recheck). */
  readonly #tallies = new Map<string, Tally>()
  /** When each server was last asked; pruned to askAgainMs. */
  readonly #asked = new Map<string, number>()
  /** Addresses refuted, and when; each counts for `private` for two recheck periods (the next recheck renews it). */
  readonly #refuted = new Map<string, number>()
  readonly #served = new Set<Promise<unknown>>()
  #status: ReachabilityStatus = 'unknown'
  #controller = new AbortController()
  #settle: ReturnType<typeof setTimeout> | undefined
  #recheck: ReturnType<typeof setInterval> | undefined
  #round: Promise<void> | undefined
  #again = false
  #inFlight = 0
  #started = false

  constructor (components: ReachabilityComponents, init: ReachabilityInit = {}) {
    super()
    this.#components = components
    this.#isPublic = init.isPublicHost ?? isPublicHost
    this.#recheckMs = init.recheckMs ?? 600_000
    this.#settleMs = init.settleMs ?? 1000
    this.#askAgainMs = init.askAgainMs ?? 30_000
    this.#maxServers = init.maxServers ?? 3
    this.#maxInFlight = init.maxInFlight ?? 4
    this.#dialTimeoutMs = init.dialTimeoutMs ?? DIAL_BACK_TIMEOUT_MS
    this.#dial = init.dial ?? dialBack
    this.#ask = init.ask ?? (async (connection, addrs, signal) => await this.askDialBack(connection, addrs, { signal }))
    this.#log = init.log ?? componentLog(components.logger, 'porchlight:reachability')
    this.#perPeer = new RateLimiter({ points: init.perMinute?.peer ?? 4, duration: 60, keyPrefix: '' })
    this.#perHost = new RateLimiter({ points: init.perMinute?.host ?? 16, duration: 60, keyPrefix: '' })
  }

  /** What this node knows of its reachability now. */
  get status (): ReachabilityStatus {
    return this.#status
  }

  async start (): Promise<void> {
    this.#controller = new AbortController()
    const refused = (code: string): void => { this.emit('dial-back:refused', { code }) }
    await handleRequests<unknown, DialBackAnswer>(this.#components.registrar, DIAL_BACK_PROTOCOL, async (request, { peer, connection }) => {
      try {
        return await this.#serve(request, peer, connection)
      } catch (err) {
        refused((err as { code?: string }).code ?? 'INTERNAL')
        throw err
      }
    }, {
      maxFrameBytes: MAX_DIAL_BACK_FRAME_BYTES,
      timeoutMs: 5000,
      onUnreadable: (err) => { refused((err as { code?: string }).code ?? (err as Error).name) }
    })
    await handleRequests<unknown, true>(this.#components.registrar, DIAL_BACK_PROOF_PROTOCOL, async (proof) => this.#proofs.record(proof), { maxFrameBytes: 256, timeoutMs: 5000 })
    this.#components.events.addEventListener('self:peer:update', this.#onChange)
    this.#components.events.addEventListener('peer:identify', this.#onIdentify)
    this.#recheck = setInterval(() => {
      this.#tallies.clear()
      this.#schedule()
    }, this.#recheckMs)
    this.#recheck.unref()
    this.#started = true
    this.#schedule()
  }

  async stop (): Promise<void> {
    if (!this.#started) return
    this.#started = false
    this.#components.events.removeEventListener('self:peer:update', this.#onChange)
    this.#components.events.removeEventListener('peer:identify', this.#onIdentify)
    clearInterval(this.#recheck)
    clearTimeout(this.#settle)
    this.#settle = undefined
    // Pending asks and dial-backs end at once; waiting for them means no fresh node outlives this one.
    this.#controller.abort()
    await Promise.allSettled([this.#round, ...this.#served])
    await this.#components.registrar.unhandle(DIAL_BACK_PROTOCOL).catch(() => {})
    await this.#components.registrar.unhandle(DIAL_BACK_PROOF_PROTOCOL).catch(() => {})
  }

  /** Asks the peer at the other end of `connection` to dial `addrs` back (with this node's proofs). */
  async askDialBack (connection: Pick<Connection, 'newStream' | 'remotePeer'>, addrs: string[], options: { signal?: AbortSignal } = {}): Promise<DialBackOutcome[]> {
    return await requestDialBack(connection, addrs, this.#proofs, { ...options, dialTimeoutMs: this.#dialTimeoutMs })
  }

  /** Runs a round now and waits for it (tests; the node itself runs them on its own). */
  async check (): Promise<ReachabilityStatus> {
    clearTimeout(this.#settle)
    this.#settle = undefined
    await this.#run()
    return this.#status
  }

  readonly #onChange = (): void => {
    this.#update()
    this.#schedule()
  }

  readonly #onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    if (evt.detail.protocols.includes(DIAL_BACK_PROTOCOL)) this.#schedule()
  }

  #schedule (): void {
    if (!this.#started || this.#settle !== undefined) return
    this.#settle = setTimeout(() => {
      this.#settle = undefined
      this.#run().catch((err: unknown) => { this.#log.debug({ err }, 'reachability: round failed') })
    }, this.#settleMs)
    this.#settle.unref()
  }

  /** One round at a time; a change during a round asks for another after it. */
  async #run (): Promise<void> {
    if (this.#round !== undefined) {
      this.#again = true
      await this.#round
      return
    }
    this.#round = this.#checkOnce().finally(() => { this.#round = undefined })
    await this.#round
    this.#update()
    if (this.#again) {
      this.#again = false
      this.#schedule()
    }
  }

  async #checkOnce (): Promise<void> {
    const now = Date.now()
    const candidates = candidatesOf(this.#components.addressManager.getAddressesWithMetadata(), this.#isPublic, now)
    const keys = new Set(candidates.map(String))
    for (const key of this.#tallies.keys()) if (!keys.has(key)) this.#tallies.delete(key)
    for (const [peer, at] of this.#asked) if (now - at >= this.#askAgainMs) this.#asked.delete(peer)
    if (candidates.length === 0) return
    const servers = await this.#servers()
    const asking = servers.filter((c) => !this.#asked.has(c.remotePeer.toString())).slice(0, this.#maxServers)
    const addrs = [...keys]
    await Promise.all(asking.map(async (connection) => {
      const peer = connection.remotePeer.toString()
      this.#asked.set(peer, now)
      try {
        const outcomes = await this.#ask(connection, addrs, this.#controller.signal)
        this.emit('check:answered', { peer, addrs, outcomes })
        outcomes.forEach((outcome, i) => {
          const tally = this.#tallyOf(addrs[i]!)
          if (outcome === 'ok') tally.ok.add(peer)
          if (outcome === 'unreachable') tally.unreachable.add(peer)
        })
      } catch (err) {
        this.emit('check:failed', { peer, error: err })
        this.#log.debug({ err, peer }, 'reachability: a dial-back request failed')
      }
    }))
    if (!this.#started) return
    for (const addr of candidates) {
      const key = addr.toString()
      const tally = this.#tallies.get(key)
      if (tally === undefined) continue
      const verdict = verdictOf({ ok: tally.ok.size, unreachable: tally.unreachable.size }, Math.max(servers.length, tally.ok.size + tally.unreachable.size))
      if (verdict === undefined) continue
      this.#tallies.delete(key)
      if (verdict === 'confirmed') {
        this.#refuted.delete(key)
        this.#components.addressManager.confirmObservedAddr(addr)
        this.#log.info({ addr: key, by: [...tally.ok] }, 'reachability: address confirmed by dial-back')
        this.emit('address:confirmed', { addr: key })
      } else {
        this.#refuted.set(key, Date.now())
        this.#components.addressManager.removeObservedAddr(addr)
        this.#log.info({ addr: key, by: [...tally.unreachable] }, 'reachability: address not reachable from outside')
        this.emit('address:refuted', { addr: key })
      }
    }
  }

  #tallyOf (addr: string): Tally {
    let tally = this.#tallies.get(addr)
    if (tally === undefined) {
      tally = { ok: new Set(), unreachable: new Set() }
      this.#tallies.set(addr, tally)
    }
    return tally
  }

  /** Connected peers that serve dial-back over a direct connection, relays and agencies first. */
  async #servers (): Promise<Connection[]> {
    const byPeer = new Map<string, Connection>()
    for (const c of this.#components.connectionManager.getConnections()) {
      if (c.status === 'open' && c.limits === undefined && !byPeer.has(c.remotePeer.toString())) byPeer.set(c.remotePeer.toString(), c)
    }
    const rated = await Promise.all([...byPeer.values()].map(async (connection) => {
      const protocols = await this.#components.peerStore.get(connection.remotePeer).then((p) => p.protocols, () => [] as string[])
      return { connection, serves: protocols.includes(DIAL_BACK_PROTOCOL), relays: protocols.includes(RELAY_HOP_PROTOCOL) }
    }))
    return rated.filter((r) => r.serves).sort((a, b) => Number(b.relays) - Number(a.relays)).map((r) => r.connection)
  }

  #update (): void {
    const now = Date.now()
    for (const [addr, at] of this.#refuted) if (now - at >= 2 * this.#recheckMs) this.#refuted.delete(addr)
    const status = statusOf(this.#components.addressManager.getAddressesWithMetadata(), this.#isPublic, this.#refuted.size > 0)
    if (status === this.#status) return
    const previous = this.#status
    this.#status = status
    this.#log.info({ status, previous }, 'reachability: changed')
    this.emit('reachability:change', { status, previous })
  }

  async #serve (request: unknown, peer: PeerId, connection: Connection): Promise<DialBackAnswer> {
    const host = remoteHost(connection)
    try {
      this.#perPeer.consume(peer.toString())
    } catch {
      throw new DialBackRateLimitedError('peer')
    }
    try {
      if (host !== undefined) this.#perHost.consume(host)
    } catch {
      throw new DialBackRateLimitedError('host')
    }
    const { addrs, nonce } = checkDialBackRequest(request)
    if (this.#inFlight >= this.#maxInFlight) throw new DialBackBusyError(this.#maxInFlight)
    this.#inFlight++
    const work = (async () => {
      const results: DialBackResult[] = []
      // One at a time, and at most DELIVERY_IDENTITIES_PER_SECOND a second: the requester's libp2p refuses
      // more than 5 new connections a second from one host, and would fail our fifth dial, not its address.
      let last = 0
      for (const [index, addr] of addrs.entries()) {
        if (!mayDialBack(addr, host)) {
          results.push('refused')
          continue
        }
        const wait = last + 1000 / DELIVERY_IDENTITIES_PER_SECOND - Date.now()
        if (wait > 0) await delay(wait, undefined, { signal: this.#controller.signal }).catch(() => {})
        last = Date.now()
        const proof: DialBackProof = { nonce, index }
        const reached = await this.#dial(addr, peer, proof, { signal: this.#controller.signal, timeoutMs: this.#dialTimeoutMs }).then(() => true, () => false)
        results.push(reached ? 'ok' : 'unreachable')
      }
      return results
    })()
    this.#served.add(work)
    try {
      const results = await work
      this.emit('dial-back:answered', { results })
      return { results }
    } finally {
      this.#served.delete(work)
      this.#inFlight--
    }
  }
}

/** A libp2p service (`services: { reachability: reachability() }`), started and stopped with the node. */
export function reachability (init: ReachabilityInit = {}): (components: ReachabilityComponents) => Reachability {
  return (components) => new Reachability(components, init)
}

// `/porchlight/dial-back/1.0.0`: "dial me back on these addresses". A node asks a peer it is connected to
// whether its own candidate addresses can be dialled from outside; the peer dials each one from a fresh
// single-use libp2p node and answers `ok` or `unreachable` for each. It is AutoNAT's question, sized for a
// town: the library's AutoNAT v2 refutes an address only after eight failures from eight different /8s,
// which a town's few relays and agencies never give (docs/network.md, "Reachability").
//
// What keeps it from being a weapon or a lie:
// - the server dials only addresses whose IP is the IP the request came from, over TCP, never a circuit: it
//   cannot be made to dial a third party (no amplification), and a relayed connection has no IP to match
//   (the handler does not run on limited connections);
// - each dial goes to `<addr>/p2p/<requester>` from its own fresh node, so the Noise handshake proves that
//   it reached the requester itself, and no existing connection is reused;
// - over that connection the server hands back the request's nonce (`/porchlight/dial-back/1.0.0/proof`),
//   and the requester records it before it acknowledges: an `ok` it holds no proof for is a lie, not evidence.
// - rate limits per peer and per IP, a cap on requests in flight, and one dial at a time per request (a
//   requester's libp2p takes 5 new connections a second from one host).
import { getNetConfig } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { AbortOptions, Connection, Libp2p, PeerId } from '@libp2p/interface'
import { bytesToHex } from '@noble/hashes/utils.js'
import { PorchlightError } from '../../protocol/errors.js'
import { withDeliveryIdentity } from '../shares/delivery-identity.js'
import { MalformedFrameError } from './errors.js'
import { sendRequest } from './request-response.js'

export const DIAL_BACK_PROTOCOL = '/porchlight/dial-back/1.0.0'
/** The server's fresh node hands the nonce back on this protocol; the requester's answer acknowledges it. */
export const DIAL_BACK_PROOF_PROTOCOL = '/porchlight/dial-back/1.0.0/proof'
/** Addresses in one request at most. */
export const MAX_DIAL_BACK_ADDRS = 8
export const DIAL_BACK_NONCE_BYTES = 16
const MAX_ADDR_CHARS = 256
/** The largest request frame: eight addresses of 256 characters, the nonce and the dag-cbor around them. */
export const MAX_DIAL_BACK_FRAME_BYTES = 4096
/** How long the server gives one dial (connect, handshake, proof). */
export const DIAL_BACK_TIMEOUT_MS = 5000

/** Per address: dialled and proven (`ok`), dialled and failed (`unreachable`), not dialled (`refused`). */
export type DialBackResult = 'ok' | 'unreachable' | 'refused'
/** What the requester makes of an answer: `unproven` is an `ok` whose nonce never reached it. */
export type DialBackOutcome = DialBackResult | 'unproven'

export interface DialBackRequest {
  /** Multiaddrs without /p2p/, e.g. /ip4/203.0.113.7/tcp/4001. */
  addrs: string[]
  nonce: Uint8Array
}

export interface DialBackAnswer {
  results: DialBackResult[]
}

/** What the server's fresh node sends to the requester: the request's nonce and the address it dialled. */
export interface DialBackProof {
  nonce: Uint8Array
  index: number
}

/** A dial-back request (or proof) that is not the protocol's shape: too many addresses, a bad nonce. */
export class MalformedDialBackRequestError extends PorchlightError {
  static override readonly code = 'MALFORMED_DIAL_BACK_REQUEST'
  static override readonly status = 400
  constructor (reason: string) {
    super(MalformedDialBackRequestError.code, `malformed dial-back request: ${reason}`, { details: { reason } })
    this.name = 'MalformedDialBackRequestError'
  }
}

/** The peer, or its IP address, asked for more dial-backs than the server grants. */
export class DialBackRateLimitedError extends PorchlightError {
  static override readonly code = 'DIAL_BACK_RATE_LIMITED'
  static override readonly status = 429
  constructor (scope: 'peer' | 'host') {
    super(DialBackRateLimitedError.code, `too many dial-back requests from this ${scope}`, { details: { scope } })
    this.name = 'DialBackRateLimitedError'
  }
}

/** The server already runs as many dial-backs as it allows at once. */
export class DialBackBusyError extends PorchlightError {
  static override readonly code = 'DIAL_BACK_BUSY'
  static override readonly status = 503
  constructor (limit: number) {
    super(DialBackBusyError.code, `already ${limit} dial-back requests in flight`, { details: { limit } })
    this.name = 'DialBackBusyError'
  }
}

/** A proof named a nonce this node is not waiting for (a late, replayed or made-up dial-back). */
export class UnknownDialBackNonceError extends PorchlightError {
  static override readonly code = 'UNKNOWN_DIAL_BACK_NONCE'
  static override readonly status = 400
  constructor () {
    super(UnknownDialBackNonceError.code, 'no dial-back request with this nonce is pending')
    this.name = 'UnknownDialBackNonceError'
  }
}

/** Checks a request's shape; returns its addresses parsed, or throws MalformedDialBackRequestError. */
export function checkDialBackRequest (request: unknown): { addrs: Multiaddr[], nonce: Uint8Array } {
  if (request === null || typeof request !== 'object') throw new MalformedDialBackRequestError('not a map')
  const { addrs, nonce } = request as Partial<DialBackRequest>
  if (!(nonce instanceof Uint8Array) || nonce.byteLength !== DIAL_BACK_NONCE_BYTES) throw new MalformedDialBackRequestError('nonce')
  if (!Array.isArray(addrs) || addrs.length === 0 || addrs.length > MAX_DIAL_BACK_ADDRS) throw new MalformedDialBackRequestError('addrs')
  return {
    nonce,
    addrs: addrs.map((a: unknown) => {
      if (typeof a !== 'string' || a.length > MAX_ADDR_CHARS) throw new MalformedDialBackRequestError('addr')
      try {
        return multiaddr(a)
      } catch {
        throw new MalformedDialBackRequestError('addr')
      }
    })
  }
}

/** The IP a connection comes from, or undefined (a circuit, the memory transport). */
export function remoteHost (connection: Pick<Connection, 'remoteAddr'>): string | undefined {
  try {
    const config = getNetConfig(connection.remoteAddr)
    return config.type === 'ip4' || config.type === 'ip6' ? config.host.toLowerCase() : undefined
  } catch {
    return undefined
  }
}

/** A plain TCP address: ip4 or ip6, then tcp, nothing else (no circuit, no ws, no /p2p/). */
export function isTcpAddress (ma: Multiaddr): boolean {
  const names = ma.getComponents().map((c) => c.name)
  return names.length === 2 && (names[0] === 'ip4' || names[0] === 'ip6') && names[1] === 'tcp'
}

/** Whether the server may dial `target` for a request that came from `host`: TCP, and that very IP. */
export function mayDialBack (target: Multiaddr, host: string | undefined): boolean {
  if (host === undefined || !isTcpAddress(target)) return false
  const config = getNetConfig(target)
  return config.host.toLowerCase() === host && config.port !== undefined && config.port > 0
}

/**
 * Dials `<target>/p2p/<requester>` from a fresh single-use node and hands over the proof; resolves once the
 * requester acknowledged it, throws otherwise (refused, timed out, another peer answered the handshake).
 */
export async function dialBack (target: Multiaddr, requester: PeerId, proof: DialBackProof, options: AbortOptions & { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DIAL_BACK_TIMEOUT_MS
  await withDeliveryIdentity(async (node) => {
    const ack = await sendRequest<DialBackProof, unknown>(node, target.encapsulate(`/p2p/${requester.toString()}`), DIAL_BACK_PROOF_PROTOCOL, proof, {
      timeoutMs,
      maxFrameBytes: 256,
      ...(options.signal === undefined ? {} : { signal: options.signal })
    })
    if (ack !== true) throw new MalformedFrameError('not a dial-back acknowledgement', { details: { protocol: DIAL_BACK_PROOF_PROTOCOL } })
  })
}

/**
 * The nonces of this node's requests in flight, and which of their addresses were proven dialled. Its
 * entries live only while a request is in flight, so remote input cannot grow it.
 */
export class DialBackProofs {
  readonly #pending = new Map<string, Set<number>>()

  /** Starts waiting for proofs of `nonce`; the returned set fills as they arrive. */
  expect (nonce: Uint8Array): Set<number> {
    const proven = new Set<number>()
    this.#pending.set(bytesToHex(nonce), proven)
    return proven
  }

  forget (nonce: Uint8Array): void {
    this.#pending.delete(bytesToHex(nonce))
  }

  /** The proof handler's work: records a proof of a pending nonce (throws for anything else). */
  record (proof: unknown): true {
    if (proof === null || typeof proof !== 'object') throw new MalformedDialBackRequestError('proof')
    const { nonce, index } = proof as Partial<DialBackProof>
    if (!(nonce instanceof Uint8Array) || !Number.isInteger(index) || index! < 0 || index! >= MAX_DIAL_BACK_ADDRS) throw new MalformedDialBackRequestError('proof')
    const proven = this.#pending.get(bytesToHex(nonce))
    if (proven === undefined) throw new UnknownDialBackNonceError()
    proven.add(index!)
    return true
  }
}

/**
 * Asks the peer at the other end of `connection` to dial `addrs` back, on that connection (its IP is the one
 * the server will match). An `ok` without a proof comes back as `unproven`; an answer that is not one result
 * per address is a MalformedFrameError.
 */
export async function requestDialBack (connection: Pick<Connection, 'newStream' | 'remotePeer'>, addrs: string[], proofs: DialBackProofs, options: AbortOptions & { nonce?: Uint8Array, dialTimeoutMs?: number } = {}): Promise<DialBackOutcome[]> {
  const nonce = options.nonce ?? crypto.getRandomValues(new Uint8Array(DIAL_BACK_NONCE_BYTES))
  const proven = proofs.expect(nonce)
  // sendRequest dials; here the stream must go over this very connection.
  const dialer = { dialProtocol: async (_peer: unknown, protocol: string, o?: AbortOptions) => await connection.newStream(protocol, o) } as unknown as Pick<Libp2p, 'dialProtocol'>
  try {
    const answer = await sendRequest<DialBackRequest, DialBackAnswer>(dialer, connection.remotePeer, DIAL_BACK_PROTOCOL, { addrs, nonce }, {
      // The server dials one address after another.
      timeoutMs: (options.dialTimeoutMs ?? DIAL_BACK_TIMEOUT_MS) * (addrs.length + 1),
      ...(options.signal === undefined ? {} : { signal: options.signal })
    })
    const results = (answer as Partial<DialBackAnswer> | null)?.results
    if (!Array.isArray(results) || results.length !== addrs.length || !results.every((r) => r === 'ok' || r === 'unreachable' || r === 'refused')) {
      throw new MalformedFrameError('not a dial-back answer', { details: { protocol: DIAL_BACK_PROTOCOL } })
    }
    return results.map((r, i) => r === 'ok' && !proven.has(i) ? 'unproven' : r)
  } finally {
    proofs.forget(nonce)
  }
}

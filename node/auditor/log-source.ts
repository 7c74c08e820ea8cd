// Where an agency's public log is read from: its C2SP tlog-tiles resources (`checkpoint`, `tile/…`) over
// HTTP from a base URL, or over libp2p's /porchlight/audit/1.0.0 from a multiaddr. Every byte read is
// untrusted: the auditor checks it against signatures, the entries and the chain.
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { PorchlightError } from '../../protocol/errors.js'
import { sendRequest, type PorchlightLibp2p } from '../p2p/index.js'

/** The libp2p protocol the agency's log answers on (node/log serves it). */
export const AUDIT_PROTOCOL = '/porchlight/audit/1.0.0'

/** Largest resource read: a full entry bundle of 256 entries of 65,535 bytes, each with its uint16 length. */
export const MAX_LOG_RESOURCE_BYTES = 256 * (2 + 0xffff)

export interface LogSource {
  /** Where it reads from (a URL or multiaddr), for findings. */
  readonly location: string
  /** The bytes of a resource path without a leading slash: `checkpoint`, `tile/0/001`, `tile/entries/000.p/5`. */
  read (path: string): Promise<Uint8Array>
}

/** The log could not be read (endpoint down, a resource missing or too large). */
export class LogUnavailableError extends PorchlightError {
  static override readonly code = 'LOG_SOURCE_UNAVAILABLE'
  static override readonly status = 502
  constructor (location: string, path: string, reason: string, cause?: unknown) {
    super(LogUnavailableError.code, `cannot read ${path} from ${location}: ${reason}`, { cause, details: { location, path, reason } })
    this.name = 'LogUnavailableError'
  }
}

export interface HttpLogSourceInit {
  /** Per-request timeout. @default 10000 */
  timeoutMs?: number
}

/** Reads `<baseUrl>/checkpoint`, `<baseUrl>/tile/…`. */
export function httpLogSource (baseUrl: string, init: HttpLogSourceInit = {}): LogSource {
  const base = baseUrl.replace(/\/+$/, '')
  const timeoutMs = init.timeoutMs ?? 10_000
  return {
    location: base,
    async read (path) {
      let response: Response
      try {
        response = await fetch(`${base}/${path}`, { signal: AbortSignal.timeout(timeoutMs) })
      } catch (cause) {
        throw new LogUnavailableError(base, path, (cause as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : 'unreachable', cause)
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {})
        throw new LogUnavailableError(base, path, `HTTP ${response.status}`)
      }
      const length = Number(response.headers.get('content-length') ?? '0')
      if (length > MAX_LOG_RESOURCE_BYTES) {
        await response.body?.cancel().catch(() => {})
        throw new LogUnavailableError(base, path, 'too large')
      }
      const bytes = new Uint8Array(await response.arrayBuffer())
      if (bytes.length > MAX_LOG_RESOURCE_BYTES) throw new LogUnavailableError(base, path, 'too large')
      return bytes
    }
  }
}

/** Reads the resources over /porchlight/audit/1.0.0 from the agency peer at `address` (with /p2p/<id>). */
export function p2pLogSource (libp2p: PorchlightLibp2p, address: string | Multiaddr, init: { timeoutMs?: number } = {}): LogSource {
  const ma = typeof address === 'string' ? multiaddr(address) : address
  return {
    location: ma.toString(),
    async read (path) {
      let bytes: unknown
      try {
        bytes = await sendRequest<string, unknown>(libp2p, ma, AUDIT_PROTOCOL, path, { maxFrameBytes: MAX_LOG_RESOURCE_BYTES + 64, timeoutMs: init.timeoutMs ?? 10_000 })
      } catch (cause) {
        throw new LogUnavailableError(ma.toString(), path, 'request failed', cause)
      }
      if (!(bytes instanceof Uint8Array)) throw new LogUnavailableError(ma.toString(), path, 'response is not bytes')
      return bytes
    }
  }
}

/**
 * A source for a configured endpoint: an http(s) URL, or a multiaddr when a libp2p node is given. An
 * endpoint this process cannot read gives a source whose every read fails (reported as LOG_UNAVAILABLE).
 */
export function logSourceFor (endpoint: string, libp2p?: PorchlightLibp2p): LogSource {
  if (/^https?:\/\//.test(endpoint)) return httpLogSource(endpoint)
  if (endpoint.startsWith('/') && libp2p !== undefined) {
    try { return p2pLogSource(libp2p, endpoint) } catch { /* not a multiaddr: unreadable below */ }
  }
  const reason = endpoint.startsWith('/') && libp2p === undefined ? 'a multiaddr endpoint needs a running node' : 'not an http(s) URL or multiaddr'
  return { location: endpoint, read: async (path) => { throw new LogUnavailableError(endpoint, path, reason) } }
}

// The one client for a running node's HTTP API, used by the CLI and the demo: the bearer token, JSON in and
// out typed by protocol/api (the types the node's routes are written against), a streamed body either way
// for clips and footage, and a typed error for each way a call fails. Node's own fetch (undici) does the
// HTTP; a node that serves HTTPS with its own certificate (node/api/tls.ts) is reached through node:https
// with that certificate pinned, since fetch takes no trust anchor of its own. Import it from this file, not from node/api/index.ts: the server side pulls in fastify, which a
// client has no use for.
import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { request as httpsRequest } from 'node:https'
import { rootCertificates } from 'node:tls'
import { Readable } from 'node:stream'
import { PorchlightError } from '../../protocol/errors.js'
import type {
  AgencyRequestView, ApiErrorBody, AuditReport, ClipView, ConsentBody, DeliveryList, DeviceView, FootageLogged, InboxList, NodeView, PairedDevice, PeerView,
  RequestDraftBody, ShareHistory, ShareList, ShareView, ApiUserView, UserView, UserRole, CreatedUser, ShareProposalView
} from '../../protocol/index.js'
import { nodePaths } from '../config/index.js'
import { readNodeInfo } from '../node-info.js'

/** The node in the directory is not running (no node.json, or one a crashed process left). */
export class NodeNotRunningError extends PorchlightError {
  static override readonly code = 'NODE_NOT_RUNNING'
  static override readonly status = 503
  constructor (dir: string) {
    super(NodeNotRunningError.code, `no running node in ${dir} (start it with porchlight start --dir ${dir})`, { details: { dir } })
    this.name = 'NodeNotRunningError'
  }
}

/** The node could not be reached at all (refused, reset, no such host): no answer to read. */
export class NodeUnreachableError extends PorchlightError {
  static override readonly code = 'NODE_UNREACHABLE'
  static override readonly status = 502
  constructor (url: string, cause: unknown) {
    const reason = (cause as { cause?: { code?: string } }).cause?.code ?? 'unknown'
    super(NodeUnreachableError.code, `the node at ${url} did not answer (${reason})`, { cause, details: { url, reason } })
    this.name = 'NodeUnreachableError'
  }
}

/**
 * The node refused the call: `code` is the code of its `{ error: { code, message } }` body
 * (`UNKNOWN_CAMERA`, `FOOTAGE_NOT_FOUND` …), `httpStatus` the status it answered with. The class has no code
 * of its own (it carries the node's); passed on, it is an upstream's refusal.
 */
export class NodeApiError extends PorchlightError {
  static override readonly status = 502
  readonly httpStatus: number
  constructor (method: string, path: string, httpStatus: number, body: ApiErrorBody['error']) {
    super(body.code, body.message, { details: { method, path, status: httpStatus } })
    this.name = 'NodeApiError'
    this.httpStatus = httpStatus
  }
}

/** The node answered something that is not the API's JSON (a failure without an error body, or bad JSON). */
export class UnexpectedAnswerError extends PorchlightError {
  static override readonly code = 'UNEXPECTED_ANSWER'
  static override readonly status = 502
  constructor (method: string, path: string, status: number, reason: string) {
    super(UnexpectedAnswerError.code, `${method} ${path} answered ${status}: ${reason}`, { details: { method, path, status, reason } })
    this.name = 'UnexpectedAnswerError'
  }
}

/** Body-less POSTs still send `{}`: the node's routes take a JSON object on every POST. */
type Empty = Record<string, never>

/**
 * The JSON routes the CLI and the demo call: `'METHOD /path/:param'` → the body sent and the answer, as
 * docs/routes.md lists them. A route missing here cannot be called by `call`, which keeps a typo (or a
 * route the node does not have) a compile error.
 */
export interface NodeApiRoutes {
  'GET /api/node': { response: NodeView }
  'GET /api/node/self': { response: NodeView }
  'GET /api/peers': { response: PeerView[] }
  'POST /api/peers': { body: { addr: string }, response: PeerView }
  'GET /api/inbox': { response: InboxList }
  'POST /api/inbox/:id/consent': { body: ConsentBody, response: ShareView }
  'POST /api/shares/:id/withdraw': { body: Empty, response: ShareView }
  'GET /api/shares': { response: ShareList }
  'GET /api/shares/:id': { response: ShareView }
  'GET /api/shares/:id/history': { response: ShareHistory }
  'POST /api/shares/:id/retry': { body: Empty, response: ShareView }
  'POST /api/shares/:id/delete-request': { body: Empty, response: ShareView }
  'GET /api/clips': { response: ClipView[] }
  'GET /api/requests': { response: AgencyRequestView[] }
  'POST /api/requests': { body: RequestDraftBody, response: AgencyRequestView }
  'GET /api/requests/:id': { response: AgencyRequestView }
  'POST /api/requests/:id/withdraw': { body: Empty, response: AgencyRequestView }
  'GET /api/requests/:id/deliveries': { response: DeliveryList }
  'GET /api/deliveries': { response: DeliveryList }
  'POST /api/footage/:cid/share': { body: { recipient: string, legalBasis: string }, response: FootageLogged }
  'DELETE /api/footage/:cid': { response: FootageLogged }
  'POST /api/audit': { body: Empty, response: AuditReport }
  'GET /api/report': { response: AuditReport }
  'GET /api/openapi.json': { response: { paths?: Record<string, Record<string, unknown>> } }
  'GET /api/devices': { response: DeviceView[] }
  'POST /api/devices': { body: { name: string }, response: PairedDevice }
  'DELETE /api/devices/:id': { response: DeviceView }
  'GET /api/me': { response: ApiUserView }
  'GET /api/users': { response: UserView[] }
  'POST /api/users': { body: { id: string, role: UserRole }, response: CreatedUser }
  'POST /api/users/:id/disable': { body: Empty, response: UserView }
  'GET /api/share-proposals': { response: ShareProposalView[] }
  'POST /api/footage/:cid/share-proposals': { body: { recipient: string, legalBasis: string }, response: ShareProposalView }
  'POST /api/share-proposals/:id/approve': { body: Empty, response: FootageLogged }
  'DELETE /api/share-proposals/:id': { response: ShareProposalView }
}

export type NodeApiRoute = keyof NodeApiRoutes

/**
 * The routes whose bodies are not JSON: `POST /api/clips` takes the clip's bytes (camera and span in the
 * query) and answers a ClipView (201 when new); `GET /api/footage/:cid` answers the decrypted clip.
 */
export interface NodeApiRawRoutes {
  'POST /api/clips': { query: { camera: string, start: number, end?: number, duration?: number }, body: RawBody }
  'GET /api/footage/:cid': { query: { purpose: string }, body?: undefined }
  /** The evidence package (zip) of a request or delivery; the body is `{}`. */
  'POST /api/evidence/:id': { query?: undefined, body: RawBody }
}

export type NodeApiRawRoute = keyof NodeApiRawRoutes

/** `'/api/requests/:id/withdraw'` → `{ id: string }`. */
type ParamsOf<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & ParamsOf<`/${Rest}`>
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no parameters: `{}` is the identity of `&`, and its keyof is never
  : P extends `${string}:${infer Name}` ? { [K in Name]: string } : {}

type PathOf<R extends string> = R extends `${string} ${infer P}` ? P : never

type Query = Record<string, string | number | undefined>

/** What `call` takes besides the route: the path's parameters, a query, and the body where the route has one. */
export type CallOptions<R extends NodeApiRoute> =
  (keyof ParamsOf<PathOf<R>> extends never ? { params?: undefined } : { params: ParamsOf<PathOf<R>> }) &
  (NodeApiRoutes[R] extends { body: infer B } ? { body: B } : { body?: undefined }) &
  { query?: Query }

/** What `fetch` takes besides the route. */
export type RawCallOptions<R extends NodeApiRawRoute> =
  (keyof ParamsOf<PathOf<R>> extends never ? { params?: undefined } : { params: ParamsOf<PathOf<R>> }) &
  NodeApiRawRoutes[R]

/** A raw call's body: bytes, or a stream (a clip straight from disk) with its length when known. */
export interface RawBody {
  data: Uint8Array | Readable
  contentType: string
  /** Sent as content-length, which lets the node refuse an oversized clip before reading it. */
  length?: number
}

export interface NodeApiClientInit {
  /** The API's base URL, as node.json's `api.url` (`http://127.0.0.1:PORT`). */
  url: string
  token: string
  /**
   * The certificate (PEM) an `https://` node must present, as node.json's `api.certificate`: accepted when it
   * is exactly this one, whatever name it is for (the node's own, found beside it). @default the system's CAs
   */
  certificate?: string
}

export class NodeApiClient {
  readonly url: string
  readonly #token: string
  readonly #certificate: string | undefined
  #routes: Promise<Set<string>> | undefined

  constructor (init: NodeApiClientInit) {
    this.url = init.url
    this.#token = init.token
    this.#certificate = init.certificate
  }

  /** The client of the node running in `dir`: its address from node.json, its token from api-token. */
  static async forDir (dir: string): Promise<NodeApiClient> {
    const info = await readNodeInfo(dir)
    if (info?.api === undefined || !isAlive(info.pid)) throw new NodeNotRunningError(dir)
    const token = (await readFile(nodePaths(dir).apiToken, 'utf8')).trim()
    return new NodeApiClient({ url: info.api.url, token, ...(info.api.certificate === undefined ? {} : { certificate: info.api.certificate }) })
  }

  /** Calls a JSON route; resolves with the node's answer, or throws one of this file's errors. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{} extends CallOptions<R>`: the options may be left out when none is required
  async call<R extends NodeApiRoute> (route: R, ...[options]: {} extends CallOptions<R> ? [CallOptions<R>?] : [CallOptions<R>]): Promise<NodeApiRoutes[R]['response']> {
    const [method, template] = route.split(' ') as [string, string]
    const path = fillPath(template, options?.params, options?.query)
    const body = options?.body
    const res = await this.#fetch(method, path, body === undefined ? undefined : { data: new TextEncoder().encode(JSON.stringify(body)), contentType: 'application/json' })
    const text = await res.text()
    try {
      return JSON.parse(text) as NodeApiRoutes[R]['response']
    } catch {
      throw new UnexpectedAnswerError(method, path, res.status, 'not JSON')
    }
  }

  /**
   * Calls a route whose body or answer is not JSON (a clip up, a decrypted clip down); returns the
   * successful response unread, its body possibly a stream, or throws the node's refusal.
   */
  async fetch<R extends NodeApiRawRoute> (route: R, options: RawCallOptions<R>): Promise<Response> {
    const [method, template] = route.split(' ') as [string, string]
    return await this.#fetch(method, fillPath(template, options.params, options.query), options.body)
  }

  /** Whether the node serves `METHOD path` (path as in OpenAPI: `/api/inbox/{id}`), from its OpenAPI document. */
  async has (method: string, path: string): Promise<boolean> {
    this.#routes ??= this.call('GET /api/openapi.json').then((doc) =>
      new Set(Object.entries(doc.paths ?? {}).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))))
    return (await this.#routes).has(`${method.toUpperCase()} ${path}`)
  }

  async #fetch (method: string, path: string, body: RawBody | undefined): Promise<Response> {
    const url = new URL(path, this.url).toString()
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}` }
    if (body !== undefined) {
      headers['content-type'] = body.contentType
      if (body.length !== undefined) headers['content-length'] = String(body.length)
    }
    let res: Response
    try {
      res = this.#certificate !== undefined && url.startsWith('https:')
        ? await pinnedFetch(url, method, headers, body?.data, this.#certificate)
        : await fetch(url, {
          method,
          headers,
          // A stream goes out as it is read (`duplex: 'half'` is what undici needs for that).
          ...(body === undefined ? {} : { body: body.data as NonNullable<RequestInit['body']>, duplex: 'half' })
        })
    } catch (err) {
      throw new NodeUnreachableError(this.url, err)
    }
    if (res.ok) return res
    const text = await res.text().catch(() => '')
    let error: Partial<ApiErrorBody['error']> | undefined
    try {
      // Parsed defensively: whatever answers on the port may not be a Porchlight node.
      error = (JSON.parse(text) as Partial<ApiErrorBody>).error
    } catch { /* not JSON: left undefined, so the answer is reported as unexpected below */ }
    if (typeof error?.code !== 'string') throw new UnexpectedAnswerError(method, path, res.status, text.slice(0, 200))
    throw new NodeApiError(method, path, res.status, { code: error.code, message: typeof error.message === 'string' ? error.message : '' })
  }
}

/**
 * One request over node:https to a node whose certificate is `certificate`: trusted as an anchor (beside the
 * system's CAs, for one a CA signed) and then required to be that very certificate, so a name mismatch (a
 * wildcard host's URL says 0.0.0.0) does not matter and no other certificate is taken. The answer as a fetch
 * Response, its body streamed.
 */
async function pinnedFetch (url: string, method: string, headers: Record<string, string>, data: Uint8Array | Readable | undefined, certificate: string): Promise<Response> {
  const pinned = new X509Certificate(certificate).fingerprint256
  return await new Promise<Response>((resolve, reject) => {
    const req = httpsRequest(url, {
      method,
      headers,
      ca: [...rootCertificates, certificate],
      checkServerIdentity: (_host, cert) => cert.fingerprint256 === pinned ? undefined : Object.assign(new Error('not the node\'s certificate'), { code: 'CERT_NOT_PINNED' })
    }, (res) => {
      const responseHeaders = new Headers()
      for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value)
      const status = res.statusCode ?? 502
      const empty = status === 204 || status === 304 || method === 'HEAD'
      resolve(new Response(empty ? null : Readable.toWeb(res) as ReadableStream<Uint8Array>, { status, headers: responseHeaders }))
    })
    // fetch's shape of a failure: a TypeError whose cause carries the code (NodeUnreachableError reads it).
    req.on('error', (err) => { reject(new TypeError('fetch failed', { cause: err })) })
    if (data === undefined) req.end()
    else if (data instanceof Uint8Array) req.end(data)
    else data.pipe(req)
  })
}

function fillPath (template: string, params: Record<string, string> | undefined, query: Query | undefined): string {
  const path = template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params![name]!))
  if (query === undefined) return path
  return `${path}?${new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)])).toString()}`
}

/** Whether a process lives (EPERM: it does, as another user's). */
function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

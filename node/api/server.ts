// The node's HTTP API: fastify on 127.0.0.1, routes added by services as plug-ins. Rules every route follows
// (checked when it is registered, so a later plug-in cannot forget one):
//  - it needs the bearer token unless it says `config: { public: true }`, and only GET/HEAD may say so; a POST
//    that anyone may make says `config: { openSubmission: true }` and must bound its own body (`bodyLimit`):
//    a receipt handed to an auditor, a witness's add-checkpoint (C2SP leaves it open to anyone; it counts only
//    when the log's signature verifies);
//  - a body is validated by a JSON schema (`schema.body`), unless the route streams it (`config.streamedBody`);
//  - URL parameters are validated by `schema.params`; object schemas list their properties and allow no others.
// And every request, to any route, a file of the UI or none, must name this node in its `Host` header
// (allowed-hosts.ts: DNS rebinding), else 421 before anything else runs. The token is the node's own or a
// paired device's (devices.ts) or an agency user's (node/agency/users.ts: it sets `request.user`, whose role
// the routes check with `requireRole`); a route that says `config: { nodeTokenOnly: true }` takes only the node's.
// With `tls` it serves HTTPS only: a plain HTTP request on the port gets one refusal (tls.ts).
import Fastify, { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyInstance, type FastifyPluginAsync, type RouteOptions } from 'fastify'
import swagger from '@fastify/swagger'
import { EventEmitter } from 'node:events'
import { Socket, type AddressInfo, type Server as NetServer } from 'node:net'
import type { Logger } from 'pino'
import { packagePath } from '../package-root.js'
import { bearerMatches, bearerToken, type DeviceTokens, type UserTokens } from './auth.js'
import { errorBodySchema, toErrorResponse, HttpsRequiredError, RoleRequiredError, MisdirectedRequestError, NodeTokenRequiredError, RouteDefinitionError, UnauthorizedError } from './errors.js'
import { hostAllowList, isAllowedHost, type HostAllowList } from './allowed-hosts.js'
import { serveStatic } from './static.js'
import type { ApiUser } from './principal.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Readable without the token (GET/HEAD only). */
    public?: boolean
    /** The route reads its body as a stream (an upload) instead of a JSON document. */
    streamedBody?: boolean
    /** A POST anyone may make without the token (evidence submitted to an auditor); it sets its own `bodyLimit`. */
    openSubmission?: boolean
    /** Only the node's own token, not a paired device's (managing devices: docs/node.md). */
    nodeTokenOnly?: boolean
  }
  interface FastifyRequest {
    /**
     * The paired device whose token opened the request (its id), or undefined for the node's own token and
     * public routes: a long-lived answer (an event stream) ends when that device is revoked.
     */
    device: string | undefined
    /**
     * The agency user whose credential opened the request, or undefined for the node's own token (which acts
     * as the operator: `userOf`, principal.ts) and public routes.
     */
    user: ApiUser | undefined
  }
}

export interface ApiServerInit {
  /** The bearer token (the node's api-token file). */
  token: string
  /** @default '127.0.0.1' */
  host?: string
  /** @default 0 (the OS picks; see `address`) */
  port?: number
  /** Largest JSON body accepted, in bytes; uploads set their own per route. @default 65536 */
  bodyLimit?: number
  /** The built UI; served at `/` when it holds an index.html. @default <repo>/ui/dist */
  staticDir?: string | false
  /**
   * Origins the UI's pages may fetch from besides their own (a configured tile server or geocoder): added to
   * the page's Content-Security-Policy `connect-src`. @default none
   */
  connectOrigins?: string[]
  /** For the OpenAPI document. */
  version?: string
  /** The node's logger; fastify logs through it, each request at `debug`. @default silent */
  logger?: Logger
  /** Receives 5xx errors, which the client never sees. @default logged at `error` */
  onInternalError?: (err: unknown, route: string) => void
  /** The `Host` names it answers to. @default the loopback names and `host` */
  allowedHosts?: HostAllowList
  /** Serve HTTPS only, with this certificate and key (PEM). @default plain HTTP */
  tls?: { cert: string, key: string }
  /** Paired devices' tokens, accepted besides `token`. @default none */
  devices?: DeviceTokens
  /** Agency users' credentials, accepted besides `token` (or later, `acceptUsers`). @default none */
  users?: UserTokens
}

/**
 * A request refused before any route ran: plain HTTP to an HTTPS API (400), a wrong Host (421), a missing or
 * wrong token (401), a device's or a user's token on a node-token-only route (403); or by its route, for a
 * user without the role it needs (403 ROLE_REQUIRED).
 */
export interface RefusedRequest {
  code: 'HTTPS_REQUIRED' | 'MISDIRECTED_REQUEST' | 'UNAUTHORIZED' | 'NODE_TOKEN_REQUIRED' | 'ROLE_REQUIRED'
  /** The route pattern ('(none)' for no route): never the URL, whose query may carry what must not be kept. */
  route: string
}

export interface ApiServerEvents {
  'request:refused': [RefusedRequest]
}

export interface ApiServer extends Pick<EventEmitter<ApiServerEvents>, 'on' | 'off'> {
  readonly app: FastifyInstance
  /** Adds a service's routes. Call before `start`. */
  addRoutes (plugin: FastifyPluginAsync): void
  /** Accepts agency users' credentials (the users service, built after the server). Call before `start`, once. */
  acceptUsers (users: UserTokens): void
  start (): Promise<void>
  stop (): Promise<void>
  /** Where it listens, once started. */
  address (): { host: string, port: number, url: string } | undefined
}

const bodyMethods = new Set(['POST', 'PUT', 'PATCH'])

function methodsOf (route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method]
}

function checkObjectSchema (route: string, part: string, schema: unknown): void {
  const s = schema as { type?: string, additionalProperties?: unknown } | undefined
  if (s?.type === 'object' && s.additionalProperties !== false) {
    throw new RouteDefinitionError(route, `schema.${part} must set additionalProperties: false`)
  }
}

/** Enforces the rules above on every route as it is added. */
function checkRoute (route: RouteOptions): void {
  const name = `${methodsOf(route).join(',')} ${route.url}`
  const methods = methodsOf(route)
  const schema = (route.schema ?? {}) as Record<string, unknown>
  if (route.config?.public === true && methods.some((m) => m !== 'GET' && m !== 'HEAD')) {
    throw new RouteDefinitionError(name, 'only GET and HEAD routes may be public (a POST open to anyone is an openSubmission)')
  }
  if (route.config?.nodeTokenOnly === true && (route.config.public === true || route.config.openSubmission === true)) {
    throw new RouteDefinitionError(name, 'a node-token-only route cannot be open to anyone')
  }
  if (route.config?.openSubmission === true && (methods.some((m) => m !== 'POST') || route.bodyLimit === undefined)) {
    throw new RouteDefinitionError(name, 'an open submission is a POST with its own bodyLimit')
  }
  if (methods.some((m) => bodyMethods.has(m)) && schema.body === undefined && route.config?.streamedBody !== true) {
    throw new RouteDefinitionError(name, 'a route that takes a body needs schema.body')
  }
  if (route.url.includes(':') && schema.params === undefined) {
    throw new RouteDefinitionError(name, 'a route with URL parameters needs schema.params')
  }
  for (const part of ['body', 'params', 'querystring']) checkObjectSchema(name, part, schema[part])
}

/**
 * Fastify's request lines are at `info` and carry the raw URL (with its query); ours are one line per request
 * at `debug`, naming the route pattern: a path or query may hold what a log must not (docs/node.md).
 */
class RouteLogController extends LogController {
  override incomingRequest (): void {}

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, route: request.routeOptions.url ?? '(none)', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }
    if (error === null || error === undefined) reply.log.debug(line, 'request')
    else reply.log.error({ ...line, err: error }, 'request failed')
  }
}

export function createApiServer (init: ApiServerInit): ApiServer {
  const logger = init.logger
  const onInternalError = init.onInternalError ?? ((err, route) => { logger?.error({ err, route }, 'api: internal error') })
  // Typed as fastify's logger, not pino's: Fastify() takes the app's logger type from it, and the app is a
  // FastifyInstance with the default logger type.
  const apiLogger: FastifyBaseLogger | undefined = logger?.child({ component: 'api' })
  // Typed as the HTTP instance: with `https` fastify's instance differs only in its server's type.
  const app = Fastify({
    ...(init.tls === undefined ? {} : { https: { cert: init.tls.cert, key: init.tls.key, handshakeTimeout: FIRST_BYTE_TIMEOUT_MS } }),
    ...(apiLogger === undefined ? { logger: false } : { loggerInstance: apiLogger }),
    logController: new RouteLogController(),
    bodyLimit: init.bodyLimit ?? 65536,
    // A stop must not wait for idle keep-alive clients or a long download.
    forceCloseConnections: true,
    // Unknown properties are refused (schemas say additionalProperties: false), never silently dropped.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } }
  }) as unknown as FastifyInstance

  app.addSchema(errorBodySchema)
  app.decorateRequest('device', undefined)
  app.decorateRequest('user', undefined)
  app.addHook('onRoute', (route) => {
    checkRoute(route)
    if (route.config?.public !== true && route.config?.openSubmission !== true) {
      route.schema = { ...route.schema, security: [{ bearer: [] }] }
    }
    const schema = (route.schema ?? {}) as { response?: Record<string, unknown>, hide?: boolean }
    if (schema.hide !== true) {
      route.schema = { ...schema, response: { '4xx': { $ref: 'ErrorBody#' }, '5xx': { $ref: 'ErrorBody#' }, ...schema.response } }
    }
  })
  const events = new EventEmitter<ApiServerEvents>()
  const allowedHosts = init.allowedHosts ?? hostAllowList({ host: init.host ?? '127.0.0.1' })
  let listening: { host: string, port: number, url: string } | undefined
  const rawSockets = init.tls === undefined
    ? undefined
    : refusePlainHttp(app.server, () => {
      events.emit('request:refused', { code: 'HTTPS_REQUIRED', route: '(none)' })
      // Most likely someone typed http://: worth a line, and nothing of the request (it was not read).
      apiLogger?.info('api: plain HTTP refused (this API answers HTTPS only)')
    })
  const refuse = (request: FastifyRequest, code: RefusedRequest['code']): void => {
    const route = request.routeOptions.url ?? '(none)'
    events.emit('request:refused', { code, route })
    // The Host a browser sent is the attacking page's name: worth keeping (bounded), and not the user's.
    if (code === 'MISDIRECTED_REQUEST') request.log.warn({ host: String(request.headers.host ?? '').slice(0, 255), route }, 'api: request for another host refused')
    if (code === 'NODE_TOKEN_REQUIRED') request.log.warn({ route, ...(request.user === undefined ? {} : { user: request.user.id }) }, 'api: a paired device or a user tried to manage devices')
  }
  // Per paired device (`device:<id>`) and user (`user:<id>`), the sockets of their requests being answered
  // now; bounded by the devices and users and their open requests, emptied as answers end.
  const inFlight = new Map<string, Set<Socket>>()
  const cut = (holder: string): void => {
    const sockets = inFlight.get(holder)
    inFlight.delete(holder)
    for (const socket of sockets ?? []) socket.destroy()
  }
  let users: UserTokens | undefined
  const acceptUsers = (tokens: UserTokens): void => {
    if (users !== undefined) throw new TypeError('the API accepts one set of users')
    users = tokens
    tokens.on?.('user:disabled', ({ id }) => { cut(`user:${id}`) })
  }
  // Registered first, so it runs before the token check, a public route or the UI's files.
  app.addHook('onRequest', async (request) => {
    if (!isAllowedHost(request.headers.host, allowedHosts, listening?.port)) {
      refuse(request, 'MISDIRECTED_REQUEST')
      throw new MisdirectedRequestError()
    }
  })
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public === true || request.routeOptions.config.openSubmission === true) return
    if (request.routeOptions.url === undefined) return // unknown route: the 404 handler answers
    if (bearerMatches(request.headers.authorization, init.token)) return
    const token = bearerToken(request.headers.authorization)
    const device = token === undefined ? undefined : init.devices?.deviceFor(token)
    const user = token === undefined || device !== undefined ? undefined : users?.userFor(token)
    if (device === undefined && user === undefined) {
      refuse(request, 'UNAUTHORIZED')
      throw new UnauthorizedError()
    }
    request.device = device
    request.user = user
    if (request.routeOptions.config.nodeTokenOnly === true) {
      refuse(request, 'NODE_TOKEN_REQUIRED')
      throw new NodeTokenRequiredError()
    }
    // Kept per device or user while it is answered, so a revocation ends what its requests hold open (an
    // event stream). Only requests in flight: an idle keep-alive socket may carry another tab's next
    // request, with the node's token, and must not be cut (browsers share connections across tabs).
    const socket = request.raw.socket
    if (!(socket instanceof Socket)) return // light-my-request's injected requests have no connection to end
    const holder = device !== undefined ? `device:${device}` : `user:${user!.id}`
    let open = inFlight.get(holder)
    if (open === undefined) inFlight.set(holder, open = new Set())
    const held = open
    held.add(socket)
    reply.raw.once('close', () => { held.delete(socket); if (held.size === 0 && inFlight.get(holder) === held) inFlight.delete(holder) })
  })
  init.devices?.on?.('device:revoked', ({ id }) => { cut(`device:${id}`) })
  if (init.users !== undefined) acceptUsers(init.users)
  app.setErrorHandler(async (err, request, reply) => {
    const { status, body, internal } = toErrorResponse(err)
    // The route pattern, not the URL: a query string may carry what a log must not.
    if (internal) onInternalError(err, `${request.method} ${request.routeOptions.url ?? '(none)'}`)
    if (err instanceof RoleRequiredError) {
      const route = request.routeOptions.url ?? '(none)'
      events.emit('request:refused', { code: 'ROLE_REQUIRED', route })
      request.log.warn({ route, user: request.user?.id, needed: err.needed }, 'api: a user without the role was refused')
    }
    if (status === 401) void reply.header('www-authenticate', 'Bearer')
    return await reply.status(status).send(body)
  })
  app.setNotFoundHandler(async (request, reply) => {
    return await reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } })
  })

  void app.register(swagger, {
    // Shared schemas keep their $id as their name in the document (rather than def-0, def-1 …).
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}` },
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Porchlight node API', version: init.version ?? '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }
    }
  })
  void app.register(async (scope) => {
    scope.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger())
  })
  const staticDir = init.staticDir ?? packagePath('ui/dist')
  if (staticDir !== false) void app.register(async (scope) => { await serveStatic(scope, staticDir, { connectOrigins: init.connectOrigins ?? [] }) })

  return {
    app,
    on: (event, listener) => { events.on(event, listener); return events },
    off: (event, listener) => { events.off(event, listener); return events },
    addRoutes (plugin) {
      void app.register(plugin)
    },
    acceptUsers,
    async start () {
      await app.listen({ host: init.host ?? '127.0.0.1', port: init.port ?? 0 })
      const addr = app.server.address() as AddressInfo
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
      listening = { host: addr.address, port: addr.port, url: `${init.tls === undefined ? 'http' : 'https'}://${host}:${addr.port}` }
    },
    async stop () {
      const closing = app.close()
      // Connections waiting to say which protocol they speak are not the HTTP server's yet, so
      // forceCloseConnections does not see them; the close would wait for them.
      for (const socket of rawSockets ?? []) socket.destroy()
      await closing
      listening = undefined
    },
    address: () => listening
  }
}

/** How long a new connection may take to send its first byte before it is closed. */
const FIRST_BYTE_TIMEOUT_MS = 10_000

/**
 * Puts a look at each connection's first byte in front of the TLS server: a TLS handshake (0x16) goes on to
 * TLS as it came; anything else is plain text (HTTP) and gets HttpsRequiredError's 400 and the connection
 * closed, without any of its request being parsed. Returns the connections not yet closed (for stop).
 */
function refusePlainHttp (server: NetServer, onRefused: () => void): Set<Socket> {
  const sockets = new Set<Socket>()
  const tlsListeners = server.listeners('connection') as Array<(socket: Socket) => void>
  server.removeAllListeners('connection')
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => { sockets.delete(socket) })
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => { socket.destroy() })
    socket.on('error', () => { socket.destroy() })
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0)
      socket.pause()
      socket.unshift(chunk)
      if (chunk[0] === 0x16) {
        // TLSSocket reads what the socket had buffered (the unshifted bytes) before its handle's own. It takes
        // the socket's handle, so this socket emits no 'close' of its own: forgotten here, and one stuck in
        // its handshake is closed by the handshake timeout.
        sockets.delete(socket)
        for (const listener of tlsListeners) listener.call(server, socket)
        return
      }
      onRefused()
      const { status, body } = toErrorResponse(new HttpsRequiredError())
      const text = JSON.stringify(body)
      socket.end(`HTTP/1.1 ${status} Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`)
    })
  })
  return sockets
}

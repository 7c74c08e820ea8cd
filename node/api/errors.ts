// Every API error is `{ "error": { "code", "message" } }`. A PorchlightError answers with its own code and
// its class's status; fastify's own client errors (validation, bad JSON, size) keep a fitting status;
// anything else, a PorchlightError without a status included, is a 500 that says nothing about internals.
import { PorchlightError, isPorchlightError } from '../../protocol/errors.js'
import type { ApiErrorBody } from '../../protocol/index.js'
import type { ResponseSchemaOf } from './response-schema.js'

export type ErrorBody = ApiErrorBody

/** No or a wrong bearer token on a route that needs one. */
export class UnauthorizedError extends PorchlightError {
  static override readonly code = 'UNAUTHORIZED'
  static override readonly status = 401
  constructor () {
    super(UnauthorizedError.code, 'this route needs `Authorization: Bearer <token>` (the node\'s api-token file)')
    this.name = 'UnauthorizedError'
  }
}

/**
 * The `Host` header names no name this node is known by (DNS rebinding: a page whose name resolves to
 * 127.0.0.1); RFC 9110 §15.5.20: the request was directed at a server that will not answer for that origin.
 */
export class MisdirectedRequestError extends PorchlightError {
  static override readonly code = 'MISDIRECTED_REQUEST'
  static override readonly status = 421
  constructor () {
    super(MisdirectedRequestError.code, 'this node does not answer to that Host (see api.allowedHosts in docs/node.md)')
    this.name = 'MisdirectedRequestError'
  }
}

/**
 * Plain HTTP to an API that serves HTTPS only (api.host beyond loopback, node/api/tls.ts): the only answer it
 * gets, before anything of the request is read, so a token sent in the clear is never used.
 */
export class HttpsRequiredError extends PorchlightError {
  static override readonly code = 'HTTPS_REQUIRED'
  static override readonly status = 400
  constructor () {
    super(HttpsRequiredError.code, 'this node answers HTTPS only: open the https:// address it printed')
    this.name = 'HttpsRequiredError'
  }
}

/** A paired device's token on a route only the node's own token may call (pairing and revoking devices). */
export class NodeTokenRequiredError extends PorchlightError {
  static override readonly code = 'NODE_TOKEN_REQUIRED'
  static override readonly status = 403
  constructor () {
    super(NodeTokenRequiredError.code, 'only the node\'s own token (its api-token file) may manage devices')
    this.name = 'NodeTokenRequiredError'
  }
}

/** A route broke a rule every route must follow (see server.ts `checkRoute`); thrown at registration. */
/** The request's user lacks the role the route needs (an investigator approving a share: docs/agency.md). */
export class RoleRequiredError extends PorchlightError {
  static override readonly code = 'ROLE_REQUIRED'
  static override readonly status = 403
  constructor (readonly needed: string, readonly role: string) {
    super(RoleRequiredError.code, `this needs the ${needed} role; you are signed in as ${role === 'admin' ? 'an' : 'a'} ${role}`)
    this.name = 'RoleRequiredError'
  }
}

export class RouteDefinitionError extends PorchlightError {
  static override readonly code = 'ROUTE_DEFINITION'
  static override readonly status = 500
  constructor (route: string, reason: string) {
    super(RouteDefinitionError.code, `${route}: ${reason}`, { details: { route, reason } })
    this.name = 'RouteDefinitionError'
  }
}

const fastifyCodes: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS'
}

interface FastifyLikeError {
  statusCode?: number
  code?: string
  message: string
  validation?: unknown
}

/** The status and body for `err`; `internal` is true when the caller should log it (the body hides it). */
export function toErrorResponse (err: unknown): { status: number, body: ErrorBody, internal: boolean } {
  const e = err as FastifyLikeError
  if (err instanceof Error && e.code?.startsWith('FST_') === true) {
    if (e.validation !== undefined) return { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: e.message } }, internal: false }
    if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return { status: 400, body: { error: { code: 'MALFORMED_BODY', message: e.message } }, internal: false }
    }
    const status = e.statusCode
    if (status !== undefined && status >= 400 && status < 500) {
      return { status, body: { error: { code: fastifyCodes[status] ?? 'BAD_REQUEST', message: e.message } }, internal: false }
    }
  } else if (isPorchlightError(err)) {
    // Read off the instance, not the class: an error from another copy of protocol/ still maps.
    const status: unknown = err.status
    if (typeof status === 'number') return { status, body: { error: { code: err.code, message: err.shortMessage ?? err.message } }, internal: status >= 500 }
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } }, internal: true }
}

/** The OpenAPI/JSON schema of an error body (shared by every route). */
export const errorBodySchema = {
  $id: 'ErrorBody',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } }
    }
  }
} as const satisfies ResponseSchemaOf<ApiErrorBody>

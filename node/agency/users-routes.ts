// The agency's users over HTTP: who a request acts as (any credential), and the users themselves, managed by
// an admin (or the node's own token, the operator). A credential is answered once, when the user is added.
import type { FastifyPluginAsync } from 'fastify'
import { USER_ROLES, requireRole, userOf } from '../api/principal.js'
import type { ResponseSchemaOf } from '../api/response-schema.js'
import type { ApiUserView, CreatedUser, UserRole, UserView } from '../../protocol/index.js'
import { USER_ID_PATTERN, type UserBook } from './users.js'

const role = { type: 'string', enum: [...USER_ROLES] } as const
const userId = { type: 'string', pattern: USER_ID_PATTERN, description: 'a pseudonym the agency chooses (a badge number): what the log records' } as const

const userSchema = {
  type: 'object',
  required: ['id', 'role', 'createdAt'],
  properties: { id: { type: 'string' }, role, createdAt: { type: 'string' }, disabledAt: { type: 'string' } }
} as const satisfies ResponseSchemaOf<UserView>

const meSchema = { type: 'object', required: ['id', 'role'], properties: { id: { type: 'string' }, role } } as const satisfies ResponseSchemaOf<ApiUserView>
const createdSchema = { type: 'object', required: ['user', 'token'], properties: { user: userSchema, token: { type: 'string' } } } as const satisfies ResponseSchemaOf<CreatedUser>
const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: userId } } as const

/** `GET /api/me`; `GET/POST /api/users`, `POST /api/users/:id/disable` (admin). */
export function userRoutes (book: UserBook): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/me', {
      schema: { summary: 'Who this credential acts as: a user and their role, or the operator (the node\'s own token)', response: { 200: meSchema } }
    }, async (request): Promise<ApiUserView> => {
      const { id, role } = userOf(request)
      return { id, role }
    })

    app.get('/api/users', {
      schema: { summary: 'The agency\'s users, disabled ones too (never their credentials); admin', response: { 200: { type: 'array', items: userSchema } } }
    }, async (request): Promise<UserView[]> => {
      requireRole(request, 'admin')
      return book.list()
    })

    app.post<{ Body: { id: string, role: UserRole } }>('/api/users', {
      schema: {
        summary: 'Adds a user: their credential, answered this once; admin',
        body: { type: 'object', additionalProperties: false, required: ['id', 'role'], properties: { id: userId, role } },
        response: { 201: createdSchema }
      }
    }, async (request, reply) => {
      const admin = requireRole(request, 'admin')
      const created = await book.add(request.body.id, request.body.role)
      request.log.info({ user: created.user.id, role: created.user.role, by: admin.id }, 'users: added by an admin')
      return await reply.status(201).send(created)
    })

    app.post<{ Params: { id: string } }>('/api/users/:id/disable', {
      schema: { summary: 'Disables a user: their next request is refused, and those in flight end; admin', params: idParams, body: { type: 'object', additionalProperties: false, properties: {} }, response: { 200: userSchema } }
    }, async (request): Promise<UserView> => {
      const admin = requireRole(request, 'admin')
      const disabled = await book.disable(request.params.id)
      request.log.info({ user: disabled.id, by: admin.id }, 'users: disabled by an admin')
      return disabled
    })
  }
}

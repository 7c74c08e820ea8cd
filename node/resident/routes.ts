// The resident's inbox over HTTP. Every route needs the bearer token (an inbox is as private as a write).
import type { FastifyPluginAsync } from 'fastify'
import { LIMITS, type InboxItemView, type InboxPolicy, type InboxList, type PolicyView } from '../../protocol/index.js'
import { isUnread, type ResidentInbox } from './inbox.js'


const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^b[a-z2-7]{1,127}$' } }
} as const

const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const

const policyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['ignoreCategories', 'ignoreAgencies'],
  properties: {
    ignoreCategories: { type: 'array', maxItems: 64, items: { type: 'string', enum: [...LIMITS.request.categories] } },
    ignoreAgencies: { type: 'array', maxItems: 1024, items: { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } }
  }
} as const

export function inboxRoutes (inbox: ResidentInbox): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/inbox', {
      schema: { summary: 'The requests whose area holds one of this node\'s cameras, newest first' }
    }, async (): Promise<InboxList> => {
      const items = await inbox.list()
      return { items, unread: items.filter(isUnread).length }
    })

    app.get('/api/inbox/policy', {
      schema: { summary: 'Auto-ignore rules: from config.json, set through the API, and both together' }
    }, async (): Promise<PolicyView> => inbox.policy())

    app.put('/api/inbox/policy', {
      schema: { summary: 'Replace the API-set auto-ignore rules (they only ever ignore; nothing is shared automatically)', body: policyBody }
    }, async (request): Promise<PolicyView> => {
      await inbox.setPolicy(request.body as InboxPolicy)
      return inbox.policy()
    })

    app.get('/api/inbox/:id', {
      schema: {
        summary: 'One request: the request, its EIP-712 JSON form and signature, what was verified, the area\'s cells, and the announcement\'s ' +
          'inclusion evidence (logIndex, checkpoint note, proof hashes) for the browser to check',
        params: idParams
      }
    }, async (request): Promise<InboxItemView> => await inbox.get((request.params as { id: string }).id))

    app.get('/api/inbox/:id/thumbnails/:camera/:n', {
      schema: {
        summary: 'A thumbnail of a camera\'s recording inside the request\'s window (a JPEG made on this node; paths as `recordings` lists them)',
        params: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'camera', 'n'],
          properties: { id: idParams.properties.id, camera: { type: 'string', minLength: 1, maxLength: 128 }, n: { type: 'string', pattern: '^[0-9]{1,4}\\.jpg$' } }
        }
      }
    }, async (request, reply) => {
      const { id, camera, n } = request.params as { id: string, camera: string, n: string }
      const image = await inbox.thumbnail(id, camera, Number.parseInt(n, 10))
      // Private footage: never kept by a shared cache.
      return await reply.type('image/jpeg').header('cache-control', 'private, max-age=3600').send(Buffer.from(image.buffer, image.byteOffset, image.byteLength))
    })

    app.post('/api/inbox/:id/ignore', {
      schema: { summary: 'Ignore a request (send `{}`)', params: idParams, body: emptyBody }
    }, async (request): Promise<InboxItemView> => await inbox.ignore((request.params as { id: string }).id))

    app.post('/api/inbox/:id/seen', {
      schema: { summary: 'The resident opened this request: it no longer counts as unread (send `{}`; again changes nothing)', params: idParams, body: emptyBody }
    }, async (request): Promise<InboxItemView> => await inbox.markSeen((request.params as { id: string }).id))
  }
}

// The resident's consent and shares over HTTP (every route needs the bearer token).
import type { FastifyPluginAsync } from 'fastify'
import { LIMITS, type ConsentBody, type ShareHistory, type ShareList, type ShareView } from '../../protocol/index.js'
import type { ResidentFootage } from './resident-shares.js'

const cid = { type: 'string', pattern: '^b[a-z2-7]{1,127}$' } as const
const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: cid } } as const
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const
// Far over the limit is not parsed; over it is CLIP_LABEL_INVALID with the limit (consent-labels.ts).
const label = { type: ['string', 'null'], maxLength: LIMITS.consent.maxCameraLabelChars * 4, description: 'the camera label sent; null: none' } as const
/** Unix seconds, as a request's window. */
const range = {
  type: 'object',
  additionalProperties: false,
  required: ['camera', 'from', 'to'],
  properties: { camera: { type: 'string', minLength: 1, maxLength: 128 }, from: { type: 'integer', minimum: 0 }, to: { type: 'integer', minimum: 0 }, label }
} as const

export function footageRoutes (footage: ResidentFootage): FastifyPluginAsync {
  return async (app) => {
    app.post('/api/inbox/:id/consent', {
      schema: {
        summary: 'Consent to share these clips and recorded ranges (cut on this node first) for this request: signed with a fresh key, delivered in the background',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            clips: { type: 'array', minItems: 1, maxItems: LIMITS.consent.maxClips, uniqueItems: true, items: cid },
            ranges: { type: 'array', minItems: 1, maxItems: LIMITS.consent.maxClips, items: range },
            labels: { type: 'object', maxProperties: LIMITS.consent.maxClips, propertyNames: cid, additionalProperties: label }
          }
        }
      }
    }, async (request, reply) => {
      const body = request.body as ConsentBody
      const share: ShareView = await footage.consent((request.params as { id: string }).id, body.clips ?? [], body.ranges ?? [], body.labels ?? {})
      return await reply.status(202).send(share)
    })

    app.get('/api/shares', { schema: { summary: 'What this node shared: each delivery\'s state, progress and receipt' } }, async (): Promise<ShareList> => ({ shares: await footage.list() }))

    app.get('/api/shares/:id', {
      schema: { summary: 'One share; a delivered one with its receipt status (logged, publicly-anchored)', params: idParams }
    }, async (request): Promise<ShareView> => await footage.get((request.params as { id: string }).id))

    app.get('/api/shares/:id/history', {
      schema: {
        summary: 'What the agency\'s public log says about the share\'s clips since delivery (access, share, delete), each entry with its inclusion proof under the agency-signed checkpoint',
        params: idParams
      }
    }, async (request): Promise<ShareHistory> => await footage.history((request.params as { id: string }).id))

    app.post('/api/shares/:id/withdraw', {
      schema: { summary: 'Stop an unfinished or failed delivery (nothing is recorded as delivered)', params: idParams, body: emptyBody }
    }, async (request): Promise<ShareView> => await footage.withdraw((request.params as { id: string }).id))

    app.post('/api/shares/:id/retry', {
      schema: { summary: 'Deliver a failed share again, from the first byte', params: idParams, body: emptyBody }
    }, async (request): Promise<ShareView> => await footage.retry((request.params as { id: string }).id))

    app.post('/api/shares/:id/delete-request', {
      schema: { summary: 'Ask the agency to delete the delivered clips (signed by the consent key; the agency logs `delete`)', params: idParams, body: emptyBody }
    }, async (request): Promise<ShareView> => await footage.requestDeletion((request.params as { id: string }).id))
  }
}

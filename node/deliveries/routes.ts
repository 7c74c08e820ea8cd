// The agency's use of footage over HTTP (every route needs the bearer token): the deliveries of a request,
// and a delivered clip opened (decrypted and streamed, its `access` logged first), shared or deleted. Each
// route needs a role (docs/agency.md, "Users and roles") and logs the user it acts for as the entry's actor.
import type { FastifyPluginAsync } from 'fastify'
import { requireRole } from '../api/principal.js'
import { LIMITS, type DeliveryList, type FootageLogged } from '../../protocol/index.js'
import type { FootageKeeper } from './footage-keeper.js'

const E = LIMITS.entry
const cid = { type: 'string', pattern: '^b[a-z2-7]{1,127}$', description: 'the clip CID (CIDv1 raw, base32)' } as const
export const cidParams = { type: 'object', additionalProperties: false, required: ['cid'], properties: { cid } } as const
const requestParams = {
  type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', pattern: '^b[a-z2-7]{10,100}$', description: 'the request id' } }
} as const
// Text bounds at four times the limits: over the limit is TEXT_TOO_LONG with its limit, far over is not parsed.
const text = (limit: number, description: string): object => ({ type: 'string', maxLength: limit * 4, description })
/** A share's body: made at once by a supervisor, or proposed by an investigator (share-proposals.ts). */
export const shareBody = {
  type: 'object',
  additionalProperties: false,
  required: ['recipient'],
  properties: {
    recipient: text(E.maxShareRecipientChars, 'an agency address, or who receives it'),
    legalBasis: text(E.maxLegalBasisChars, 'required unless the recipient is an active registered agency')
  }
} as const

export function agencyFootageRoutes (keeper: () => FootageKeeper): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/requests/:id/deliveries', {
      schema: { summary: 'The deliveries received for one of this agency\'s requests, oldest first', params: requestParams }
    }, async (request): Promise<DeliveryList> => {
      requireRole(request, 'investigator')
      return { items: await keeper().deliveriesOf((request.params as { id: string }).id) }
    })

    app.get('/api/deliveries', {
      schema: { summary: 'Every delivery received, newest first: per clip its span, length, media type and camera label, with the request\'s case code' }
    }, async (): Promise<DeliveryList> => ({ items: await keeper().deliveries() }))

    app.get('/api/footage/:cid', {
      // A HEAD would log an access for bytes no one receives.
      exposeHeadRoute: false,
      schema: {
        summary: 'Decrypt and stream a delivered clip; an `access` entry (actor, purpose) is logged before the first byte',
        params: cidParams,
        querystring: { type: 'object', additionalProperties: false, required: ['purpose'], properties: { purpose: text(E.maxPurposeChars, 'why the clip is opened (logged)') } }
      }
    }, async (request, reply) => {
      const { id: actor } = requireRole(request, 'investigator')
      const { cid: clip } = request.params as { cid: string }
      const opened = await keeper().open(clip, (request.query as { purpose: string }).purpose, actor)
      return await reply
        .type(opened.contentType)
        .header('content-length', opened.size)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .header('x-porchlight-access-index', opened.accessIndex)
        .send(opened.plaintext)
    })

    app.post('/api/footage/:cid/share', {
      schema: {
        summary: 'Log a share of a delivered clip (to a registered agency, or to anyone with a legal basis): a supervisor\'s own, approved by themselves; an investigator proposes instead (POST /api/footage/:cid/share-proposals)',
        params: cidParams,
        body: shareBody
      }
    }, async (request, reply) => {
      const { id: supervisor } = requireRole(request, 'supervisor')
      const { recipient, legalBasis } = request.body as { recipient: string, legalBasis?: string }
      const logged: FootageLogged = await keeper().share((request.params as { cid: string }).cid, recipient, legalBasis ?? '', { actor: supervisor, approvedBy: supervisor })
      return await reply.status(201).send(logged)
    })

    app.delete('/api/footage/:cid', {
      schema: { summary: 'Delete a delivered clip (every copy); the `delete` entry is logged before the files go', params: cidParams }
    }, async (request): Promise<FootageLogged> => {
      const { id: actor } = requireRole(request, 'supervisor')
      return await keeper().remove((request.params as { cid: string }).cid, 'agency', { actor })
    })
  }
}

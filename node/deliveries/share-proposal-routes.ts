// The routes of the shares waiting for a supervisor's approval (share-proposals.ts): who may propose,
// approve, reject or withdraw one.
import type { FastifyPluginAsync } from 'fastify'
import type { FootageLogged, ShareProposalView } from '../../protocol/index.js'
import { requireRole, userOf } from '../api/principal.js'
import type { ResponseSchemaOf } from '../api/response-schema.js'
import { cidParams, shareBody } from './routes.js'
import type { ShareProposals } from './share-proposals.js'

const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{16}$' } } } as const
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const
const proposalSchema = {
  type: 'object',
  required: ['id', 'clip', 'recipient', 'legalBasis', 'proposedBy', 'proposedAt'],
  properties: { id: { type: 'string' }, clip: { type: 'string' }, recipient: { type: 'string' }, legalBasis: { type: 'string' }, proposedBy: { type: 'string' }, proposedAt: { type: 'integer' } }
} as const satisfies ResponseSchemaOf<ShareProposalView>

/**
 * `POST /api/footage/:cid/share-proposals` (investigator), `GET /api/share-proposals` (investigator),
 * `POST /api/share-proposals/:id/approve` (supervisor), `DELETE /api/share-proposals/:id` (its proposer or a supervisor).
 */
export function shareProposalRoutes (proposals: () => ShareProposals): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { cid: string }, Body: { recipient: string, legalBasis?: string } }>('/api/footage/:cid/share-proposals', {
      schema: {
        summary: 'Propose a share of a delivered clip; a supervisor approves it (then it is logged, naming both)',
        params: cidParams,
        body: shareBody,
        response: { 201: proposalSchema }
      }
    }, async (request, reply) => {
      const { id } = requireRole(request, 'investigator')
      const proposal = await proposals().propose(request.params.cid, request.body.recipient, request.body.legalBasis ?? '', id)
      return await reply.status(201).send(proposal)
    })

    app.get('/api/share-proposals', {
      schema: { summary: 'Shares waiting for a supervisor\'s approval, oldest first', response: { 200: { type: 'array', items: proposalSchema } } }
    }, async (request): Promise<ShareProposalView[]> => {
      requireRole(request, 'investigator')
      return await proposals().list()
    })

    app.post<{ Params: { id: string } }>('/api/share-proposals/:id/approve', {
      schema: { summary: 'Approve a proposed share: logged as a `share` entry naming the proposer and the approver; supervisor', params: idParams, body: emptyBody }
    }, async (request, reply) => {
      const { id: supervisor } = requireRole(request, 'supervisor')
      const logged: FootageLogged = await proposals().approve(request.params.id, supervisor)
      return await reply.status(201).send(logged)
    })

    app.delete<{ Params: { id: string } }>('/api/share-proposals/:id', {
      schema: { summary: 'Reject (a supervisor) or withdraw (its proposer) a proposed share: nothing is logged', params: idParams, response: { 200: proposalSchema } }
    }, async (request): Promise<ShareProposalView> => {
      const user = userOf(request)
      const proposal = await proposals().get(request.params.id)
      if (proposal.proposedBy !== user.id) requireRole(request, 'supervisor')
      return await proposals().reject(proposal.id)
    })
  }
}


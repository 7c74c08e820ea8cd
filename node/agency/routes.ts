// The agency's request routes. Bodies and parameters have schemas that allow nothing unknown; the limits
// themselves are checked by protocol/limits (so a refusal names the limit, not a JSON pointer) and only
// loose sanity bounds are in the schemas.
import type { FastifyPluginAsync } from 'fastify'
import { LIMITS, MAX_RADIUS_METERS, type AgencyRequestView } from '../../protocol/index.js'
import type { RequestDraft } from './draft.js'
import type { RequestDesk } from './request-desk.js'

const R = LIMITS.request
// Text bounds at four times the limits: over the limit is the limit check's TEXT_TOO_LONG, with details;
// far over it is not worth parsing.
const text = (limit: number, minLength: number): object => ({ type: 'string', minLength, maxLength: limit * 4 })
const isoTime = { type: 'string', format: 'date-time', description: 'ISO 8601 date-time' }

export const requestDraftSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['caseCode', 'title', 'details', 'category', 'windowStart', 'windowEnd', 'lifetimeHours', 'retentionDays'],
  properties: {
    caseCode: text(R.maxCaseCodeChars, 1),
    title: text(R.maxTitleChars, 1),
    details: text(R.maxDetailsChars, 0),
    category: { type: 'string', enum: [...R.categories] },
    cells: { type: 'array', minItems: 1, maxItems: 64, items: { type: 'string', pattern: '^[0-9a-f]{15}$' }, description: 'H3 res-9 cells (or center and radiusMeters)' },
    center: {
      type: 'object',
      additionalProperties: false,
      required: ['lat', 'lng'],
      properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lng: { type: 'number', minimum: -180, maximum: 180 } }
    },
    radiusMeters: { type: 'number', exclusiveMinimum: 0, maximum: MAX_RADIUS_METERS },
    windowStart: isoTime,
    windowEnd: isoTime,
    lifetimeHours: { type: 'number', exclusiveMinimum: 0, maximum: 24 * 365 },
    retentionDays: { type: 'integer', minimum: 0, maximum: 100_000 }
  }
} as const

const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^b[a-z2-7]{10,100}$', description: 'the request id (CIDv1, base32)' } }
} as const

export function requestRoutes (desk: RequestDesk): FastifyPluginAsync {
  return async (app) => {
    app.post('/api/requests', {
      schema: { summary: 'Make, sign, log and announce a request for footage', body: requestDraftSchema }
    }, async (request, reply) => {
      const view: AgencyRequestView = await desk.create(request.body as RequestDraft)
      return await reply.status(201).send(view)
    })

    app.get('/api/requests', {
      schema: { summary: 'This agency\'s requests, newest first' }
    }, async (): Promise<AgencyRequestView[]> => await desk.list())

    app.get('/api/requests/:id', {
      schema: { summary: 'One request with its signature, EIP-712 form, log index, checkpoint and proof', params: idParams }
    }, async (request): Promise<AgencyRequestView> => await desk.get((request.params as { id: string }).id))

    app.post('/api/requests/:id/withdraw', {
      schema: {
        summary: 'Withdraw a live request (signed, logged and announced on its topics)',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: {} }
      },
      // The route takes no fields: a bare POST (no body at all) means the same as `{}`.
      preValidation: async (request) => { if (request.body === undefined || request.body === null) request.body = {} }
    }, async (request): Promise<AgencyRequestView> => await desk.withdraw((request.params as { id: string }).id))
  }
}

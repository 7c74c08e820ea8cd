// The witness over HTTP, all public as C2SP tlog-witness has it: `POST /add-checkpoint` (any content type,
// the body read as text), `GET /witness/checkpoints/<encodeURIComponent(origin)>` (what auditors poll) and
// `GET /api/witness` (who it is, for the council).
import type { FastifyReply } from 'fastify'
import { MAX_ADD_CHECKPOINT_LENGTH } from '../../protocol/tlog/index.js'
import type { WitnessView } from '../../protocol/index.js'
import type { ResponseSchemaOf } from '../api/index.js'
import type { ServiceRoutes } from '../service.js'
import { answerAddCheckpoint, answerLatest, type WitnessAnswer } from './answer.js'
import { WitnessNotStartedError } from './errors.js'
import type { WitnessService } from './service.js'
import type { Witness } from './witness.js'

const witnessViewSchema = {
  type: 'object',
  required: ['name', 'vkey', 'multiaddrs'],
  properties: {
    name: { type: 'string' },
    vkey: { type: 'string' },
    multiaddrs: { type: 'array', items: { type: 'string' } },
    url: { type: 'string' }
  }
} as const satisfies ResponseSchemaOf<WitnessView>

async function send (reply: FastifyReply, answer: WitnessAnswer): Promise<FastifyReply> {
  return await reply.status(answer.status).header('cache-control', 'no-store').type(answer.contentType).send(answer.body)
}

export function witnessRoutes (service: WitnessService): ServiceRoutes {
  const witness = (): Witness => {
    if (service.witness === undefined) throw new WitnessNotStartedError()
    return service.witness
  }
  return async (app) => {
    // C2SP names no content type for the request: every one is read as text, in this plug-in only.
    app.removeAllContentTypeParsers()
    // Characters are limited, the body in bytes: up to 3 UTF-8 bytes each.
    const bodyLimit = 3 * MAX_ADD_CHECKPOINT_LENGTH
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_request, body, done) => { done(null, body) })
    app.post('/add-checkpoint', {
      config: { openSubmission: true },
      bodyLimit,
      // A missing body fails the schema; it is handed on as empty so the witness refuses and counts it like any malformed one.
      attachValidation: true,
      schema: { body: { type: 'string' } }
    }, async (request, reply) => await send(reply, await answerAddCheckpoint(witness(), typeof request.body === 'string' ? request.body : '')))
    app.get('/witness/checkpoints/:origin', {
      config: { public: true },
      schema: { params: { type: 'object', properties: { origin: { type: 'string', minLength: 1, maxLength: 300 } }, required: ['origin'], additionalProperties: false } }
    }, async (request, reply) => await send(reply, await answerLatest(witness(), (request.params as { origin: string }).origin)))
    app.get('/api/witness', { config: { public: true }, schema: { response: { 200: witnessViewSchema } } }, async () => {
      if (service.view() === undefined) throw new WitnessNotStartedError()
      return service.view()
    })
  }
}

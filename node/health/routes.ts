// `GET /healthz` (the process answers) and `GET /readyz` (503 until every check passes), both public:
// a supervisor or load balancer asks them without the token, and they say nothing private.
import type { FastifyPluginAsync } from 'fastify'
import { checkReadiness, type Readiness, type ReadinessCheck } from './readiness.js'

const readinessSchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'unready'] },
    checks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['ok'],
        properties: { ok: { type: 'boolean' }, error: { type: 'string', description: 'the failing check\'s error code' } }
      }
    }
  }
} as const

export function healthRoutes (checks: () => readonly ReadinessCheck[]): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', {
      config: { public: true },
      schema: { summary: 'The process is alive', response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'ok' } } } } }
    }, async () => ({ status: 'ok' as const }))

    app.get('/readyz', {
      config: { public: true },
      schema: { summary: 'Ready to work: every check (libp2p listening, the log open, the chain reachable) passes; 503 otherwise', response: { 200: readinessSchema, 503: readinessSchema } }
    }, async (_request, reply) => {
      const { ready, checks: results }: Readiness = await checkReadiness(checks())
      return await reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unready', checks: results })
    })
  }
}

// `GET /metrics` in the Prometheus text format; behind the API token unless the config's `metrics.public`.
import type { FastifyPluginAsync } from 'fastify'
import type { Registry } from 'prom-client'

export function metricsRoutes (registry: Registry, opts: { public: boolean }): FastifyPluginAsync {
  return async (app) => {
    app.get('/metrics', {
      config: { public: opts.public },
      schema: { summary: 'Figures in the Prometheus text format (docs/node.md lists them)' }
    }, async (_request, reply) => {
      return await reply.type(registry.contentType).send(await registry.metrics())
    })
  }
}

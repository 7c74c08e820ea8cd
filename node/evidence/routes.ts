// POST /api/evidence/:id (token; the investigator role): the evidence package of a request or a delivery, as
// a zip download. A POST, not a GET: every export logs an `access` per clip, which no prefetch or crawler
// should cause.
import type { FastifyPluginAsync } from 'fastify'
import { requireRole } from '../api/principal.js'
import type { EvidenceExporter } from './exporter.js'

const params = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^b[a-z2-7]{10,100}$', description: 'a request id, or a delivery\'s consent id' } }
} as const
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const

export function evidenceRoutes (exporter: EvidenceExporter): FastifyPluginAsync {
  return async (app) => {
    app.post('/api/evidence/:id', {
      schema: {
        summary: 'Export the evidence package of a request or a delivery (zip): every clip opened is logged as an `access` with purpose `export` by the user first',
        params,
        body: emptyBody
      }
    }, async (request, reply) => {
      const user = requireRole(request, 'investigator')
      const exported = await exporter.export((request.params as { id: string }).id, user.id)
      return await reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${exported.filename}"`)
        .header('cache-control', 'no-store')
        .header('x-porchlight-export-access', exported.manifest.exportAccess.join(','))
        .send(Buffer.from(exported.archive.buffer, exported.archive.byteOffset, exported.archive.byteLength))
    })
  }
}

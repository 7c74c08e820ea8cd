// GET /api/ui (the UI's settings, behind the token) and, when a PMTiles base map is configured, the file
// itself by HTTP byte ranges (the PMTiles reader asks for its header, directories and tiles one range each).
// The map file is public: it holds streets, and MapLibre's workers fetch it without the page's token.
import { createReadStream } from 'node:fs'
import type { FastifyPluginAsync } from 'fastify'
import type { UiSettings } from '../../protocol/index.js'
import type { ResponseSchemaOf } from '../api/index.js'
// The clips' byte ranges (one range; several, or bad syntax, get the whole file as RFC 9110 allows).
import { RangeNotSatisfiableError, parseRange } from '../clips/index.js'
import { PMTILES_ROUTE, type UiSettingsService } from './ui-settings.js'

const source = { type: 'string' } as const
const settingsSchema = {
  type: 'object',
  required: ['map'],
  properties: {
    map: {
      type: 'object',
      required: ['kind'],
      properties: {
        kind: { type: 'string', enum: ['none', 'style', 'tiles', 'pmtiles'] },
        url: source,
        type: { type: 'string', enum: ['raster', 'vector'] },
        attribution: source,
        maxZoom: { type: 'integer' },
        layers: { type: 'array', items: source }
      }
    },
    geocoder: { type: 'object', required: ['url'], properties: { url: source, attribution: source } },
    timeZone: { type: 'string', description: 'agencies: the IANA zone of every time in their pages' },
    jurisdiction: { type: 'array', items: { type: 'string' }, description: 'agencies: the registry\'s H3 cells' }
  }
} as const satisfies ResponseSchemaOf<UiSettings>

export function uiRoutes (service: UiSettingsService): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/ui', {
      schema: { summary: 'The UI\'s settings: base map, address search; agencies: time zone and jurisdiction', response: { 200: settingsSchema } }
    }, async (): Promise<UiSettings> => await service.settings())

    app.get(PMTILES_ROUTE, {
      config: { public: true },
      schema: { summary: 'The base map (PMTiles), by byte ranges; 404 when none is configured' }
    }, async (request, reply) => {
      const file = service.pmtiles // known once the service started (it checks the file)
      if (file === undefined) { reply.callNotFound(); return reply }
      void reply.header('accept-ranges', 'bytes').header('cache-control', 'public, max-age=3600').type('application/octet-stream')
      let range: { start: number, end: number } | undefined
      try {
        range = parseRange(request.headers.range, file.size)
      } catch (err) {
        if (err instanceof RangeNotSatisfiableError) {
          service.emit('map:refused', { code: err.code })
          request.log.info({ size: file.size }, 'ui: a map range outside the file refused')
        }
        throw err
      }
      if (range === undefined) return await reply.header('content-length', file.size).send(createReadStream(file.path))
      const { start, end } = range
      return await reply.status(206)
        .header('content-range', `bytes ${start}-${end}/${file.size}`)
        .header('content-length', end - start + 1)
        .send(createReadStream(file.path, { start, end }))
    })
  }
}

// GET /api/ui (the UI's settings, behind the token) and, when a PMTiles base map is configured, the file
// itself by HTTP byte ranges (the PMTiles reader asks for its header, directories and tiles one range each).
// The map file is public: it holds streets, and MapLibre's workers fetch it without the page's token.
import { createReadStream } from 'node:fs'
import type { FastifyPluginAsync } from 'fastify'
import { PorchlightError } from '../../protocol/errors.js'
import type { UiSettings } from '../../protocol/index.js'
import type { ResponseSchemaOf } from '../api/index.js'
import { PMTILES_ROUTE, type UiSettingsService } from './ui-settings.js'

/** A `Range` header this route cannot answer: not one `bytes=` range, or one outside the file. */
export class RangeNotSatisfiableError extends PorchlightError {
  static override readonly code = 'RANGE_NOT_SATISFIABLE'
  static override readonly status = 416
  constructor (range: string, size: number) {
    super(RangeNotSatisfiableError.code, 'the range is not one byte range within the file', { details: { range: range.slice(0, 64), size } })
    this.name = 'RangeNotSatisfiableError'
  }
}

/** The one range `header` names in a file of `size` bytes (RFC 9110 §14.1.2: `a-b`, `a-`, `-n`), inclusive. */
export function parseRange (header: string, size: number): { start: number, end: number } {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (m === null || (m[1] === '' && m[2] === '')) throw new RangeNotSatisfiableError(header, size)
  const [start, end] = m[1] === ''
    ? [Math.max(0, size - Number(m[2])), size - 1]
    : [Number(m[1]), m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)]
  if (!Number.isSafeInteger(start) || start > end || start >= size) throw new RangeNotSatisfiableError(header, size)
  return { start, end }
}

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
      const header = request.headers.range
      if (header === undefined) return await reply.header('content-length', file.size).send(createReadStream(file.path))
      let range: { start: number, end: number }
      try {
        range = parseRange(header, file.size)
      } catch (err) {
        if (err instanceof RangeNotSatisfiableError) {
          service.emit('map:refused', { code: err.code })
          request.log.info({ size: file.size }, 'ui: a map range outside the file refused')
        }
        throw err
      }
      const { start, end } = range
      return await reply.status(206)
        .header('content-range', `bytes ${start}-${end}/${file.size}`)
        .header('content-length', end - start + 1)
        .send(createReadStream(file.path, { start, end }))
    })
  }
}

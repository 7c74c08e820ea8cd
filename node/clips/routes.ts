// The clip store's HTTP API: a streamed upload, the list, and one clip's bytes (with a single Range) for
// local preview. Every route needs the API token: a resident's clips are as private as anything it holds.
import type { FastifyPluginAsync } from 'fastify'
import type { ClipView } from '../../protocol/index.js'
import type { ResponseSchemaOf } from '../api/index.js'
import { toClipSpan, toContentType } from './clip-meta.js'
import type { AddedClip, ByteRange, ClipStore } from './clip-store.js'
import { ClipTooLargeError, RangeNotSatisfiableError } from './errors.js'
import type { ClipMeta } from './clip-meta.js'

export interface ClipRoutesSource {
  store: () => ClipStore
  add: (source: AsyncIterable<Uint8Array>, meta: ClipMeta) => Promise<AddedClip>
}

export const clipSchema = {
  $id: 'Clip',
  type: 'object',
  required: ['cid', 'size', 'camera', 'start', 'end', 'addedAt', 'contentType'],
  properties: {
    cid: { type: 'string', description: 'CIDv1 raw sha2-256 of the bytes' },
    size: { type: 'integer' },
    camera: { type: 'string' },
    start: { type: 'integer', description: 'unix seconds' },
    end: { type: 'integer', description: 'unix seconds' },
    addedAt: { type: 'integer', description: 'unix seconds' },
    contentType: { type: 'string' }
  }
} as const satisfies ResponseSchemaOf<ClipView>

const time = { type: 'string', maxLength: 40, description: 'unix seconds or an ISO 8601 time with a zone' } as const

const uploadQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['camera', 'start'],
  properties: { camera: { type: 'string', maxLength: 64 }, start: time, end: time, duration: { type: 'string', pattern: '^[0-9]{1,10}$' } }
} as const

const cidParams = {
  type: 'object',
  additionalProperties: false,
  required: ['cid'],
  // CIDv1, raw codec, sha2-256, base32: 'b' + 58 characters.
  properties: { cid: { type: 'string', pattern: '^bafkrei[a-z2-7]{52}$' } }
} as const

/**
 * The one byte range of a `Range` header, undefined to send the whole clip (no header, or one this server
 * ignores as RFC 9110 allows: several ranges, another unit, bad syntax). Throws for a range past the end.
 */
export function parseRange (header: string | undefined, size: number): ByteRange | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (m === null) return undefined
  const [, from = '', to = ''] = m
  if (from === '' && to === '') return undefined
  if (from === '') {
    const suffix = Number(to)
    if (suffix === 0) throw new RangeNotSatisfiableError(header!, size)
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(from)
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1)
  if (start >= size || end < start) throw new RangeNotSatisfiableError(header!, size)
  return { start, end }
}

export function clipRoutes (source: ClipRoutesSource): FastifyPluginAsync {
  return async (app) => {
    app.addSchema(clipSchema)
    // Uploads are read from the raw request as a stream of any content type (checked by the store),
    // never buffered by a body parser. This scope holds only these routes.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', (_request, _payload, done) => { done(null) })

    app.post('/api/clips', {
      config: { streamedBody: true },
      schema: {
        summary: 'Store a clip: the body is its bytes (streamed), the query its camera and span',
        querystring: uploadQuery,
        response: { 200: { $ref: 'Clip#' }, 201: { $ref: 'Clip#' } }
      }
    }, async (request, reply) => {
      const query = request.query as { camera: string, start: string, end?: string, duration?: string }
      const declared = Number(request.headers['content-length'] ?? NaN)
      const max = source.store().maxClipBytes
      if (declared > max) throw new ClipTooLargeError(max, declared)
      const { clip, created } = await source.add(request.raw, {
        camera: query.camera,
        ...toClipSpan(query),
        ...(toContentType(request.headers['content-type']) === undefined ? {} : { contentType: toContentType(request.headers['content-type'])! })
      })
      const view: ClipView = clip
      return await reply.status(created ? 201 : 200).send(view)
    })

    app.get('/api/clips', {
      schema: { summary: 'This node\'s clips, oldest recording first', response: { 200: { type: 'array', items: { $ref: 'Clip#' } } } }
    }, async (): Promise<ClipView[]> => await source.store().list())

    app.get('/api/clips/:cid', {
      schema: { summary: 'A clip\'s bytes, for local preview (one byte range with `Range`)', params: cidParams }
    }, async (request, reply) => {
      const { cid } = request.params as { cid: string }
      const store = source.store()
      const clip = await store.get(cid)
      let range: ByteRange | undefined
      try {
        range = clip === undefined ? undefined : parseRange(request.headers.range, clip.size)
      } catch (err) {
        void reply.header('content-range', `bytes */${clip!.size}`)
        throw err
      }
      const { stream } = await store.read(cid, range)
      void reply.headers({
        'content-type': clip!.contentType,
        'accept-ranges': 'bytes',
        'x-content-type-options': 'nosniff',
        // Never a document of the API's origin, whatever the bytes are.
        'content-security-policy': 'sandbox',
        'cache-control': 'private, no-store'
      })
      if (range === undefined) {
        void reply.header('content-length', clip!.size)
      } else {
        void reply.status(206).headers({ 'content-length': range.end - range.start + 1, 'content-range': `bytes ${range.start}-${range.end}/${clip!.size}` })
      }
      return await reply.send(stream)
    })
  }
}

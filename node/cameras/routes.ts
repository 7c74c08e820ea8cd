// The resident's cameras over HTTP. Every route needs the bearer token: positions and sources are as
// private as anything the node holds. Sources go out only as their views (no password, no token).
import type { FastifyPluginAsync } from 'fastify'
import type { ResponseSchemaOf } from '../api/index.js'
import type { CameraBody, CameraList, CameraView, SourceTestBody, SourceTestResult } from '../../protocol/index.js'
import type { CameraApi } from './camera-api.js'

const nameParams = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 64 } }
} as const

const url = { type: 'string', minLength: 1, maxLength: 2048 } as const

// The shapes only; the book checks the rest with config.json's own rules (parseConfig).
const sourceBody = {
  type: 'object',
  required: ['kind'],
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['kind', 'url'], properties: { kind: { const: 'rtsp' }, url } },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'url', 'camera'],
      properties: { kind: { const: 'frigate' }, url, camera: { type: 'string', minLength: 1, maxLength: 64 }, token: { anyOf: [{ type: 'string', minLength: 1, maxLength: 4096 }, { type: 'boolean' }] } }
    },
    { type: 'object', additionalProperties: false, required: ['kind', 'path'], properties: { kind: { const: 'folder' }, path: { type: 'string', minLength: 1, maxLength: 4096 } } }
  ]
} as const

const cameraBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'lat', 'lng'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    lat: { type: 'number' },
    lng: { type: 'number' },
    direction: { type: 'number' },
    source: sourceBody
  }
} as const

const testBody = {
  type: 'object',
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, source: sourceBody }
} as const

const cameraSchema = {
  type: 'object',
  required: ['name', 'lat', 'lng', 'cell'],
  properties: {
    name: { type: 'string' },
    lat: { type: 'number' },
    lng: { type: 'number' },
    cell: { type: 'string' },
    direction: { type: 'number' },
    // Each kind's fields: a response schema sends only what it names, and a view has nothing secret to drop.
    source: { type: 'object', properties: { kind: { type: 'string' }, url: { type: 'string' }, camera: { type: 'string' }, token: { type: 'boolean' }, path: { type: 'string' } } },
    status: {
      type: 'object',
      properties: {
        state: { type: 'string' },
        since: { type: 'number' },
        lastSegmentAt: { type: 'number' },
        error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } }
      }
    }
  }
} as const satisfies ResponseSchemaOf<CameraView>

const camerasSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: cameraSchema } }
} as const satisfies ResponseSchemaOf<CameraList>

export function cameraRoutes (api: CameraApi): FastifyPluginAsync {
  const nameOf = (request: { params: unknown }): string => (request.params as { name: string }).name
  return async (app) => {
    app.get('/api/cameras', {
      schema: {
        summary: 'This node\'s cameras with their positions, res-9 cells, sources (credentials hidden) and recording status (private: only for the resident\'s own browser)',
        response: { 200: camerasSchema }
      }
    }, async (): Promise<CameraList> => ({ items: api.views() }))

    app.get('/api/cameras/:name', {
      schema: { summary: 'One camera', params: nameParams, response: { 200: cameraSchema } }
    }, async (request): Promise<CameraView> => api.view(nameOf(request)))

    app.post('/api/cameras', {
      schema: { summary: 'Add a camera (saved to config.json; its area\'s request topic is joined at once)', body: cameraBody, response: { 201: cameraSchema } }
    }, async (request, reply) => {
      const camera = await api.book.add(request.body as CameraBody)
      return await reply.status(201).send(api.view(camera.name))
    })

    app.put('/api/cameras/:name', {
      schema: {
        summary: 'Replace a camera (a new name renames it). A source URL sent back as shown (credentials hidden) keeps the stored one; a Frigate token `true` keeps the stored token',
        params: nameParams,
        body: cameraBody,
        response: { 200: cameraSchema }
      }
    }, async (request): Promise<CameraView> => api.view((await api.book.update(nameOf(request), request.body as CameraBody)).name))

    app.delete('/api/cameras/:name', {
      schema: { summary: 'Remove a camera (its clips stay; its area\'s topic is left when no other camera is in it)', params: nameParams }
    }, async (request, reply) => {
      await api.book.remove(nameOf(request))
      return await reply.status(204).send()
    })

    app.post('/api/cameras/test', {
      schema: { summary: 'Test a source: a stored camera\'s (`name`), a new one (`source`), or an edit of a stored one (both); the answer says what is wrong in plain words', body: testBody }
    }, async (request): Promise<SourceTestResult> => await api.test(request.body as SourceTestBody))
  }
}

// The log over HTTP, read-only and public, per C2SP tlog-tiles: GET /checkpoint, GET /tile/<L>/<N>[.p/<W>],
// GET /tile/entries/<N>[.p/<W>] (HEAD too). Errors answer `{ error: { code, message } }`: 400 for a
// malformed path, 404 for a tile the latest checkpoint does not cover.
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { isPorchlightError } from '../../protocol/errors.js'
import type { AgencyLog } from './agency-log.js'
import { LogClosedError } from './errors.js'
import { CHECKPOINT_PATH, readLogResource } from './log-resource.js'

/** HTTP statuses of the log's error codes (also for `api.mapErrors`). */
export const logErrorStatuses: Record<string, number> = {
  INVALID_TILE_PATH: 400,
  UNKNOWN_LOG_PATH: 400,
  TILE_NOT_FOUND: 404,
  LOG_CLOSED: 503
}

/** The log, or a function that returns it once open (a node registers routes before its services start). */
export type LogSource = AgencyLog | (() => AgencyLog | undefined)

async function serve (source: LogSource, path: string, reply: FastifyReply): Promise<FastifyReply> {
  try {
    const log = typeof source === 'function' ? source() : source
    if (log === undefined) throw new LogClosedError()
    const resource = await readLogResource(log, path)
    const { bytes } = resource
    return await reply
      .header('cache-control', resource.cacheControl)
      .type(resource.contentType)
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  } catch (err) {
    const status = isPorchlightError(err) ? logErrorStatuses[err.code] : undefined
    if (status === undefined || !isPorchlightError(err)) throw err
    return await reply.status(status).header('cache-control', 'no-cache').send({ error: { code: err.code, message: err.shortMessage } })
  }
}

/** The fastify plugin serving the log. */
export function logRoutes (log: LogSource): FastifyPluginAsync {
  return async (app) => {
    app.get('/checkpoint', { config: { public: true } }, async (_request, reply) => await serve(log, CHECKPOINT_PATH, reply))
    app.get('/tile/*', {
      config: { public: true },
      schema: { params: { type: 'object', properties: { '*': { type: 'string', maxLength: 200 } }, required: ['*'], additionalProperties: false } }
    }, async (request, reply) => await serve(log, `tile/${(request.params as { '*': string })['*']}`, reply))
  }
}

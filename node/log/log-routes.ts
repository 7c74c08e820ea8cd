// The log over HTTP, read-only and public, per C2SP tlog-tiles: GET /checkpoint, GET /tile/<L>/<N>[.p/<W>],
// GET /tile/entries/<N>[.p/<W>] (HEAD too); /checkpoint carries the witnesses' cosignatures collected for it. Errors answer `{ error: { code, message } }`: 400 for a
// malformed path, 404 for a tile the latest checkpoint does not cover.
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { isPorchlightError } from '../../protocol/errors.js'
import type { AgencyLog } from './agency-log.js'
import { LogClosedError } from './errors.js'
import { CHECKPOINT_PATH, readLogResource, type CheckpointNoteSource } from './log-resource.js'

/** The log, or a function that returns it once open (a node registers routes before its services start). */
export type LogSource = AgencyLog | (() => AgencyLog | undefined)

async function serve (source: LogSource, path: string, reply: FastifyReply, checkpointNote?: CheckpointNoteSource): Promise<FastifyReply> {
  try {
    const log = typeof source === 'function' ? source() : source
    if (log === undefined) throw new LogClosedError()
    const resource = await readLogResource(log, path, checkpointNote)
    const { bytes } = resource
    return await reply
      .header('cache-control', resource.cacheControl)
      .type(resource.contentType)
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  } catch (err) {
    // A refusal answers here, uncached (the next checkpoint may cover the tile); a fault of the node goes to
    // the API's handler, which logs it.
    const status = isPorchlightError(err) ? err.status : undefined
    if (!isPorchlightError(err) || status === undefined || (status >= 500 && !(err instanceof LogClosedError))) throw err
    return await reply.status(status).header('cache-control', 'no-cache').send({ error: { code: err.code, message: err.shortMessage } })
  }
}

/** The fastify plugin serving the log; `checkpointNote` gives /checkpoint its cosignatures. */
export function logRoutes (log: LogSource, checkpointNote?: CheckpointNoteSource): FastifyPluginAsync {
  return async (app) => {
    app.get('/checkpoint', { config: { public: true } }, async (_request, reply) => await serve(log, CHECKPOINT_PATH, reply, checkpointNote))
    app.get('/tile/*', {
      config: { public: true },
      schema: { params: { type: 'object', properties: { '*': { type: 'string', maxLength: 200 } }, required: ['*'], additionalProperties: false } }
    }, async (request, reply) => await serve(log, `tile/${(request.params as { '*': string })['*']}`, reply))
  }
}

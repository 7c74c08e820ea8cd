// GET /api/events: the node's live events as Server-Sent Events, for its own UI. It needs the bearer token like
// every private route (the UI reads it with fetch, since EventSource cannot send a header, and a token in
// the URL would end up in logs and history).
import type { FastifyPluginAsync } from 'fastify'
import type { LiveEvents } from './live-events.js'

export function liveRoutes (live: LiveEvents): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/events', {
      // Not on HEAD: a stream has no headers to give without opening it.
      exposeHeadRoute: false,
      schema: {
        summary: 'Server-Sent Events: what changed (inbox, share, progress, receipt, delivery, log; `ready` first), for the page to read again',
        // For the OpenAPI document only: the reply is taken over, so nothing is serialized against it.
        response: { 200: { description: 'event: <type> / data: <JSON> lines (protocol/api/live.ts)', content: { 'text/event-stream': { schema: { type: 'string' } } } } }
      }
    }, async (request, reply) => {
      // Refused as JSON (503), before the reply is taken over; a place may be free again in a few seconds.
      try { live.streams.admit() } catch (err) { void reply.header('retry-after', '5'); throw err }
      reply.hijack()
      await live.streams.serve(reply.raw)
    })
    // Before the server closes its connections: each stream ends as its node stops.
    app.addHook('preClose', async () => { live.streams.closeAll() })
  }
}

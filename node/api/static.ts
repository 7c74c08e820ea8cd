// Serves the built web UI (ui/dist) at `/` when that folder exists. A deliberately small stand-in for
// @fastify/static until the UI lands: GET only, no directory listings, paths confined to the root, and
// unknown paths fall back to index.html for the single-page app.
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { FastifyInstance } from 'fastify'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json'
}

/** Path prefixes that are never the single-page app's: a scraper or a client must see a 404, not a page. */
const notPages = ['api', 'metrics', 'healthz', 'readyz']

async function isFile (path: string): Promise<boolean> {
  return await stat(path).then((s) => s.isFile(), () => false)
}

/**
 * The page with `origins` added to its Content-Security-Policy's `connect-src` (a configured tile server or
 * geocoder, which the browser asks directly): the meta tag is the policy, and a header could only narrow it.
 */
function withConnectOrigins (html: string, origins: readonly string[]): string {
  if (origins.length === 0) return html
  return html.replace("connect-src 'self'", `connect-src 'self' ${origins.join(' ')}`)
}

export async function serveStatic (app: FastifyInstance, root: string, opts: { connectOrigins?: readonly string[] } = {}): Promise<boolean> {
  const index = join(root, 'index.html')
  if (!await isFile(index)) return false
  const page = opts.connectOrigins === undefined || opts.connectOrigins.length === 0 ? undefined : withConnectOrigins(await readFile(index, 'utf8'), opts.connectOrigins)
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const wanted = (request.params as { '*': string })['*']
    // The API's and the operator endpoints' unknown routes stay JSON 404s rather than becoming the app's page.
    if (notPages.some((p) => wanted === p || wanted.startsWith(`${p}/`))) return reply.callNotFound()
    const path = normalize(join(root, wanted))
    const file = path.startsWith(root + sep) && await isFile(path) ? path : index
    if (file === index && page !== undefined) return await reply.type(types['.html']!).send(page)
    return await reply.type(types[extname(file)] ?? 'application/octet-stream').send(createReadStream(file))
  })
  return true
}

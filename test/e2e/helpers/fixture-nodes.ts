// A stand-in for the resident's HTTP routes, for the resident page's corners the demo does not reach (a
// wrong token, an upload refused, policies): the real API server (node/api: token rule, error shape, the UI served at /) with routes answering from a
// real signed world (test/helpers/ui-world.ts), so everything the browser verifies is genuine. Each
// fixture also has the knobs a test turns (a delivery's progress, an anchor, a tampered log).
import { readFile } from 'node:fs/promises'
import type { FastifyReply } from 'fastify'
import { clipCid, toEip712Json, type DeliveryEntry, type SignedReceipt } from '../../../protocol/index.js'
import { createApiServer, type ApiServer } from '../../../node/api/index.js'
import { AGENCY, CENTER, DOMAIN, FixtureLog, logDelivery, logRequest, nowSeconds, type LoggedRequest } from '../../helpers/ui-world.js'
import { CONSENT_ID } from '../../helpers/messages.js'

export const SAMPLE_CLIP = await readFile(new URL('../../fixtures/sample-clip.webm', import.meta.url))
export const SAMPLE_CID = clipCid(SAMPLE_CLIP).toString()
export const AGENCY_NAME = 'Seattle Police Department'

const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string' } } } as const
const cidParams = { type: 'object', additionalProperties: false, required: ['cid'], properties: { cid: { type: 'string' } } } as const
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const
function fail (reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.status(status).send({ error: { code, message } })
}

export interface Fixture {
  url: string
  token: string
  stop: () => Promise<void>
}

async function serve (uiDir: string, role: 'resident' | 'agency' | 'auditor', name: string, routes: (api: ApiServer) => void): Promise<Fixture> {
  const token = `tok-${role}-${Math.random().toString(36).slice(2)}`
  const api = createApiServer({ token, staticDir: uiDir, onInternalError: (err) => { console.error(err) } })
  api.addRoutes(async (app) => {
    app.get('/api/node', { config: { public: true } }, async () => ({ role, name, peerId: '12D3KooWFixture', addrs: [], ...(role === 'agency' ? { address: AGENCY } : {}) }))
  })
  routes(api)
  await api.start()
  return { url: api.address()!.url, token, stop: async () => { await api.stop() } }
}

function verificationOf (): object {
  return {
    signer: AGENCY,
    agency: { name: AGENCY_NAME, status: 'active', validUntil: nowSeconds() + 365 * 86400 },
    insideJurisdiction: true,
    log: { origin: '', logIndex: 0, treeSize: 0, root: '' },
    checkedAt: nowSeconds()
  }
}

export interface ResidentFixture extends Fixture {
  request: LoggedRequest
  /** The older request, in another category. */
  older: LoggedRequest
  /** The share's delivery advances to `sent` bytes. */
  progress: (sent: number) => void
  /** The delivery completes: the agency logs it and signs a receipt. */
  deliver: () => void
  /** A checkpoint covering the delivery is anchored on chain. */
  anchor: () => void
}

export async function residentFixture (uiDir: string): Promise<ResidentFixture> {
  const log = new FixtureLog()
  // Two requests: the newest (to share from) and an older one in another category (to ignore).
  const older = logRequest(log, { title: 'Car break-ins on Pine Street', category: 'vehicle-crime', caseCode: 'SPD-2026-0031', nonce: '0x' + 'ee'.repeat(32) })
  const request = logRequest(log)
  const r = request.signed.message
  const clip = { cid: SAMPLE_CID, size: SAMPLE_CLIP.length, camera: 'porch', start: r.windowStart + 600, end: r.windowStart + 602, addedAt: nowSeconds(), contentType: 'video/webm' }
  const clips = [clip]
  const uploaded = new Map<string, Buffer>()
  const items = new Map([older, request].map((l, i) => [l.id, { logged: l, status: 'new' as 'new' | 'ignored' | 'shared', receivedAt: l.signed.message.issuedAt + 5 + i }]))
  const shares: Array<{ request: string, agency: string, agencyName: string, clips: Array<{ cid: string, size: number }>, status: string, progress?: { sent: number, total: number }, receipt?: SignedReceipt, entry?: DeliveryEntry, anchored?: boolean, at: number }> = []
  let policy = { ignoreCategories: [] as string[], ignoreAgencies: [] as string[] }
  const fixture = await serve(uiDir, 'resident', 'maple street', (api) => {
    api.addRoutes(async (app) => {
      type Item = typeof items extends Map<string, infer V> ? V : never
      const summary = ({ logged, status, receivedAt }: Item) => {
        const m = logged.signed.message
        return { id: logged.id, title: m.title, category: m.category, caseCode: m.caseCode, agency: m.agency, agencyName: AGENCY_NAME, issuedAt: m.issuedAt, expiresAt: m.expiresAt, status, expired: false, receivedAt }
      }
      // Oldest first, as a store would iterate: the page sorts.
      app.get('/api/inbox', async () => ({ items: [...items.values()].map(summary) }))
      app.get('/api/inbox/policy', async () => ({ effective: policy, config: { ignoreCategories: [], ignoreAgencies: [] }, api: policy }))
      app.put('/api/inbox/policy', { schema: { body: { type: 'object', additionalProperties: false, properties: { ignoreCategories: { type: 'array' }, ignoreAgencies: { type: 'array' } } } } }, async (req) => {
        policy = req.body as typeof policy
        return { effective: policy, config: { ignoreCategories: [], ignoreAgencies: [] }, api: policy }
      })
      const view = (item: Item) => ({
        ...summary(item), request: item.logged.signed, cameras: ['porch'], verification: verificationOf(),
        eip712: toEip712Json('Request', item.logged.signed.message, DOMAIN), signature: item.logged.signed.signature, cells: item.logged.signed.message.cells,
        announcement: log.evidence(item.logged.logIndex)
      })
      const itemOf = (req: { params: unknown }) => items.get((req.params as { id: string }).id)
      app.get('/api/inbox/:id', { schema: { params: idParams } }, async (req, reply) => {
        const item = itemOf(req)
        return item === undefined ? await fail(reply, 404, 'INBOX_ITEM_NOT_FOUND', 'no such request') : view(item)
      })
      app.post('/api/inbox/:id/ignore', { schema: { params: idParams, body: emptyBody } }, async (req) => {
        const item = itemOf(req)!
        item.status = 'ignored'
        return view(item)
      })
      app.post('/api/inbox/:id/consent', { schema: { params: idParams, body: { type: 'object', additionalProperties: false, required: ['clips'], properties: { clips: { type: 'array', items: { type: 'string' } } } } } }, async (req, reply) => {
        const wanted = (req.body as { clips: string[] }).clips
        const chosen = clips.filter((c) => wanted.includes(c.cid))
        if (chosen.length !== wanted.length || chosen.length === 0) return await fail(reply, 400, 'UNKNOWN_CLIP', 'a clip is not on this node')
        itemOf(req)!.status = 'shared'
        const share = { request: request.id, agency: r.agency, agencyName: AGENCY_NAME, clips: chosen.map((c) => ({ cid: c.cid, size: c.size })), status: 'delivering', progress: { sent: 0, total: chosen.reduce((n, c) => n + c.size, 0) }, at: nowSeconds() }
        shares.push(share)
        return share
      })
      app.get('/api/shares', async () => ({ items: shares }))
      app.get('/api/cameras', async () => ({ items: [{ name: 'porch', ...CENTER }, { name: 'garage', lat: CENTER.lat + 0.0008, lng: CENTER.lng + 0.0015 }] }))
      app.get('/api/clips', async () => clips)
      // As node/clips: the body is the clip's bytes, streamed, of any content type; the query its camera and span.
      await app.register(async (scope) => {
        scope.removeAllContentTypeParsers()
        scope.addContentTypeParser('*', (_request, _payload, done) => { done(null) })
        scope.post('/api/clips', {
          config: { streamedBody: true },
          schema: { querystring: { type: 'object', additionalProperties: false, required: ['camera', 'start'], properties: { camera: { type: 'string' }, start: { type: 'string' }, duration: { type: 'string' } } } }
        }, async (req, reply) => {
          const q = req.query as { camera: string, start: string, duration?: string }
          if (q.camera !== 'porch' && q.camera !== 'garage') return await fail(reply, 400, 'UNKNOWN_CAMERA', `no camera named ${q.camera}`)
          const chunks: Buffer[] = []
          for await (const chunk of req.raw) chunks.push(chunk as Buffer)
          const bytes = Buffer.concat(chunks)
          if (bytes.length > 1_000_000) return await fail(reply, 413, 'CLIP_TOO_LARGE', 'a clip may have at most 1000000 bytes here')
          const cid = clipCid(bytes).toString()
          uploaded.set(cid, bytes)
          const clip = { cid, size: bytes.length, camera: q.camera, start: Number(q.start), end: Number(q.start) + Number(q.duration ?? 0), addedAt: nowSeconds(), contentType: req.headers['content-type'] ?? 'application/octet-stream' }
          clips.push(clip)
          return await reply.status(201).send(clip)
        })
      })
      app.get('/api/clips/:cid', { schema: { params: cidParams } }, async (req, reply) => {
        const found = uploaded.get((req.params as { cid: string }).cid)
        if (found !== undefined) return await reply.type('application/octet-stream').send(found)
        if ((req.params as { cid: string }).cid !== SAMPLE_CID) return await fail(reply, 404, 'CLIP_NOT_FOUND', 'no such clip')
        return await reply.type('video/webm').send(SAMPLE_CLIP)
      })
    })
  })
  return {
    ...fixture,
    request,
    older,
    progress: (sent) => { shares[0]!.progress = { sent, total: shares[0]!.progress!.total } },
    deliver: () => {
      const s = shares[0]!
      const { receipt, entry } = logDelivery(log, request.id, CONSENT_ID, s.clips)
      s.receipt = receipt; s.entry = entry as DeliveryEntry
      s.status = 'logged'; delete s.progress
    },
    anchor: () => { shares[0]!.anchored = true; shares[0]!.status = 'anchored' }
  }
}

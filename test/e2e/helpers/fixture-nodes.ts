// Stand-ins for the role services' HTTP routes (issue 7's UI was built while they were on other branches):
// the real API server (node/api: token rule, error shape, the UI served at /) with routes answering from a
// real signed world (test/helpers/ui-world.ts), so everything the browser verifies is genuine. Each
// fixture also has the knobs a test turns (a delivery's progress, an anchor, a tampered log).
import { readFile } from 'node:fs/promises'
import type { FastifyReply } from 'fastify'
import {
  checkRequestLimits, clipCid, expectedCiphertextSize, encodeEntryBundle, encodeLogEntry, isPorchlightError, parseTilePath, requestId,
  signTyped, toEip712Json, type DeliveryEntry, type SignedReceipt
} from '../../../protocol/index.js'
import { createApiServer, type ApiServer } from '../../../node/api/index.js'
import { AGENCY, CENTER, DOMAIN, FixtureLog, liveRequest, logDelivery, logRequest, nowSeconds, toHex, type LoggedRequest } from '../../helpers/ui-world.js'
import { CONSENT_ID } from '../../helpers/messages.js'

export const SAMPLE_CLIP = await readFile(new URL('../../fixtures/sample-clip.webm', import.meta.url))
export const SAMPLE_CID = clipCid(SAMPLE_CLIP).toString()
export const AGENCY_NAME = 'Seattle Police Department'

const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string' } } } as const
const cidParams = { type: 'object', additionalProperties: false, required: ['cid'], properties: { cid: { type: 'string' } } } as const
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const
// The shape of node/agency/routes.ts requestDraftSchema (cells form).
const draftBody = {
  type: 'object',
  additionalProperties: false,
  required: ['caseCode', 'title', 'details', 'category', 'cells', 'windowStart', 'windowEnd', 'lifetimeHours', 'retentionDays'],
  properties: {
    caseCode: { type: 'string', minLength: 1 }, title: { type: 'string', minLength: 1 }, details: { type: 'string' }, category: { type: 'string' },
    cells: { type: 'array', minItems: 1, items: { type: 'string' } }, windowStart: { type: 'string' }, windowEnd: { type: 'string' },
    lifetimeHours: { type: 'number' }, retentionDays: { type: 'integer' }
  }
} as const

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

export interface AgencyFixture extends Fixture {
  log: FixtureLog
  accesses: () => Array<{ clip: string, purpose: string }>
}

export async function agencyFixture (uiDir: string): Promise<AgencyFixture> {
  const log = new FixtureLog()
  interface Held { logged: LoggedRequest, withdrawn: boolean, deliveries: Array<{ consentId: string, clips: Array<{ cid: string, size: number, ciphertextSize: number, deleted: boolean }>, deliveredAt: number, logIndex: number }> }
  const held = new Map<string, Held>()
  const first = logRequest(log)
  held.set(first.id, { logged: first, withdrawn: false, deliveries: [] })
  logDelivery(log, first.id, CONSENT_ID, [{ cid: SAMPLE_CID, size: SAMPLE_CLIP.length }])
  held.get(first.id)!.deliveries.push({ consentId: CONSENT_ID, clips: [{ cid: SAMPLE_CID, size: SAMPLE_CLIP.length, ciphertextSize: expectedCiphertextSize(SAMPLE_CLIP.length), deleted: false }], deliveredAt: nowSeconds(), logIndex: log.tree.size - 1 })
  const anchors = [{ treeSize: log.tree.size, root: toHex(log.tree.root()), checkpoint: log.checkpoint(), transactionHash: '0x' + 'ab'.repeat(32), blockNumber: 12, recordedAt: Date.now() }]
  const accesses: Array<{ clip: string, purpose: string }> = []
  // As node/agency's RequestView: the message and its signature side by side.
  const view = (h: Held) => ({
    id: h.logged.id, request: h.logged.signed.message, signature: h.logged.signed.signature, eip712: toEip712Json('Request', h.logged.signed.message, DOMAIN),
    ...log.evidence(h.logged.logIndex), status: h.withdrawn ? 'withdrawn' : 'live', topics: [], deliveries: h.deliveries.length
  })
  const fixture = await serve(uiDir, 'agency', 'Seattle PD', (api) => {
    api.addRoutes(async (app) => {
      app.get('/api/requests', async () => ({ items: [...held.values()].map(view) }))
      app.get('/api/requests/:id', { schema: { params: idParams } }, async (req, reply) => {
        const h = held.get((req.params as { id: string }).id)
        return h === undefined ? await fail(reply, 404, 'REQUEST_NOT_FOUND', 'no such request') : view(h)
      })
      app.get('/api/requests/:id/deliveries', { schema: { params: idParams } }, async (req) => ({ items: held.get((req.params as { id: string }).id)?.deliveries ?? [] }))
      app.post('/api/requests', { schema: { body: draftBody } }, async (req, reply) => {
        const body = req.body as { caseCode: string, title: string, details: string, category: string, cells: string[], windowStart: string, windowEnd: string, lifetimeHours: number, retentionDays: number }
        const now = nowSeconds()
        const draft = liveRequest({
          caseCode: body.caseCode, title: body.title, details: body.details, category: body.category as 'burglary', cells: body.cells, retentionDays: body.retentionDays,
          windowStart: Date.parse(body.windowStart) / 1000, windowEnd: Date.parse(body.windowEnd) / 1000, issuedAt: now, expiresAt: now + Math.round(body.lifetimeHours * 3600),
          nonce: toHex(crypto.getRandomValues(new Uint8Array(32)))
        })
        try {
          checkRequestLimits(draft, now)
        } catch (err) {
          if (isPorchlightError(err)) return await fail(reply, 422, err.code, err.shortMessage)
          throw err
        }
        const signed = signTyped('Request', draft, DOMAIN, log.key)
        const logIndex = log.append({ kind: 'request', request: signed })
        const h: Held = { logged: { id: requestId(signed), signed, logIndex }, withdrawn: false, deliveries: [] }
        held.set(h.logged.id, h)
        return await reply.status(201).send(view(h))
      })
      app.post('/api/requests/:id/withdraw', { schema: { params: idParams, body: emptyBody } }, async (req) => {
        const h = held.get((req.params as { id: string }).id)!
        h.withdrawn = true
        return view(h)
      })
      app.get('/api/footage/:cid', { schema: { params: cidParams, querystring: { type: 'object', additionalProperties: false, properties: { purpose: { type: 'string' } } } } }, async (req, reply) => {
        const purpose = (req.query as { purpose?: string }).purpose ?? ''
        if (purpose.trim() === '') return await fail(reply, 400, 'PURPOSE_REQUIRED', 'say why the footage is viewed')
        const clip = (req.params as { cid: string }).cid
        log.append({ kind: 'access', clip, actor: 'officer-1', purpose, at: nowSeconds() })
        accesses.push({ clip, purpose })
        return await reply.type('video/webm').send(SAMPLE_CLIP)
      })
      app.get('/api/anchors', async () => anchors)
      app.get('/checkpoint', { config: { public: true } }, async (_req, reply) => await reply.type('text/plain; charset=utf-8').send(log.checkpoint()))
      app.get('/tile/*', { config: { public: true } }, async (req, reply) => {
        const info = parseTilePath(`tile/${(req.params as { '*': string })['*']}`)
        if (info.kind !== 'entries') return await fail(reply, 404, 'TILE_NOT_FOUND', 'only entry bundles here')
        const entries = log.entries.slice(info.index * 256, info.index * 256 + info.width).map(encodeLogEntry)
        return await reply.type('application/octet-stream').send(Buffer.from(encodeEntryBundle(entries)))
      })
    })
  })
  return { ...fixture, log, accesses: () => accesses }
}

export interface AuditorFixture extends Fixture {
  /** What the auditor reports once an agency's stored log entry was changed. */
  tamper: () => void
  /** How many passes were asked for through POST /api/audit. */
  audits: () => number
}

export async function auditorFixture (uiDir: string): Promise<AuditorFixture> {
  const day = (n: number): string => new Date((nowSeconds() - n * 86400) * 1000).toISOString().slice(0, 10)
  const activity = (k: number) => Object.fromEntries(Array.from({ length: 10 }, (_, i) => [day(9 - i), { requests: (i * k) % 3 + 1, deliveries: (i * k + 1) % 5, accesses: (i + k) % 4 }]))
  const agency = (address: string, name: string, size: number, k: number) => ({
    agency: address, name, status: 'active', endpoint: 'http://127.0.0.1:1', verifiedSize: size,
    checkpoint: { size, root: '0x' + '3c'.repeat(32) },
    latestAnchor: { treeSize: size, root: '0x' + '3c'.repeat(32), transactionHash: '0x' + 'ab'.repeat(32), anchoredAt: nowSeconds() - 300 * k },
    requests: { total: 9, last24h: 1, last7d: 4, last30d: 9, perDay: { [day(0)]: 1 } },
    violations: 0, warnings: 0, auditedAt: nowSeconds(), activity: activity(k)
  })
  const agencies = [agency(AGENCY, AGENCY_NAME, 14, 1), agency('0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A', 'King County Sheriff', 6, 2)]
  const findings: Array<{ agency: string, rule: string, severity: 'violation', entryIndex: number, message: string, evidence: Record<string, unknown>, foundAt: number }> = []
  let audits = 0
  const report = () => ({ chainId: Number(DOMAIN.chainId), auditedAt: nowSeconds(), agencies, findings, violations: findings.length, checkpoints: [] })
  const fixture = await serve(uiDir, 'auditor', 'civic watch', (api) => {
    api.addRoutes(async (app) => {
      // Public, as node/auditor serves it.
      app.get('/api/report', { config: { public: true } }, async () => report())
      app.post('/api/audit', { schema: { body: { type: 'object', additionalProperties: false, properties: { agency: { type: 'string' } } } } }, async () => {
        audits++
        return report()
      })
    })
  })
  return {
    ...fixture,
    audits: () => audits,
    tamper: () => {
      agencies[0]!.violations = 1
      findings.push({ agency: AGENCY, rule: 'ENTRY_MISMATCH', severity: 'violation', entryIndex: 3, message: 'entry 3 as served does not hash to the leaf under the anchored root', evidence: { size: 14, leafHash: '0x' + '11'.repeat(32), servedHash: '0x' + '22'.repeat(32), anchoredRoot: '0x' + '3c'.repeat(32) }, foundAt: nowSeconds() })
    }
  }
}

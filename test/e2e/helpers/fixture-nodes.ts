// A stand-in for the resident's HTTP routes, for the resident page's corners the demo does not reach (a
// wrong token, an upload refused, policies): the real API server (node/api: token rule, error shape and
// statuses, the UI served at /) with routes answering from a real signed world (test/helpers/ui-world.ts),
// so everything the browser verifies is genuine. Every answer is typed with protocol/api and built as the
// node builds it (node/resident's inbox view and matching, node/footage's consent and share states, the
// node's own errors), so the page meets only shapes and flows the real node sends. Each fixture also has the
// knobs a test turns (a delivery's progress, its receipt, an anchor).
import { readFile } from 'node:fs/promises'
import {
  cameraCell, checkpointOrigin, clipCid, consentLabel, encodeLogEntry, LIMITS,
  type CameraList, type ClipRef, type ClipView, type InboxItemView, type InboxList, type InboxPolicy, type InboxSummary, type NodeView,
  type PolicyView, type Role, type ShareList, type ShareView, type Verification
} from '../../../protocol/index.js'
import { createApiServer, type ApiServer } from '../../../node/api/index.js'
import { ClipNotFoundError, ClipTooLargeError, UnknownCameraError, matchingClips } from '../../../node/clips/index.js'
import type { Camera } from '../../../node/config/index.js'
import { ClipNotMatchingError, RequestNotConsentableError, ShareNotFoundError, UnknownClipError, createConsent } from '../../../node/footage/index.js'
import type { ShareRecord } from '../../../node/shares/index.js'
import { LiveEvents, liveRoutes } from '../../../node/live/index.js'
import { createLogger } from '../../../node/logging/index.js'
import {
  InboxItemNotFoundError, camerasInArea, emptyPolicy, inboxItemView, isUnread, mergePolicies, toInboxPolicy, type InboxItem
} from '../../../node/resident/index.js'
import { AGENCY, CENTER, DOMAIN, FixtureLog, logDelivery, logRequest, nowSeconds, toHex, type LoggedRequest } from '../../helpers/ui-world.js'
import { TEST_WITNESS_SET } from '../../helpers/announcements.js'

export const SAMPLE_CLIP = await readFile(new URL('../../fixtures/sample-clip.webm', import.meta.url))
export const SAMPLE_CID = clipCid(SAMPLE_CLIP).toString()
export const AGENCY_NAME = 'Seattle Police Department'

/** The porch is inside the sample requests' area; the garage ~1.4 km away, outside it. */
export const CAMERAS: Camera[] = [{ name: 'porch', ...CENTER }, { name: 'garage', lat: CENTER.lat + 0.008, lng: CENTER.lng + 0.015 }]

/** Uploads above this are refused (the node's limit is its config's; a small one keeps the test quick). */
const MAX_CLIP_BYTES = 1_000_000

const cid = { type: 'string', pattern: '^b[a-z2-7]{1,127}$' } as const
const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: cid } } as const
const cidParams = { type: 'object', additionalProperties: false, required: ['cid'], properties: { cid } } as const
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const
const consentBody = {
  type: 'object', additionalProperties: false, required: ['clips'],
  properties: {
    clips: { type: 'array', minItems: 1, maxItems: LIMITS.consent.maxClips, uniqueItems: true, items: cid },
    labels: { type: 'object', additionalProperties: { type: ['string', 'null'] } }
  }
} as const
const policyBody = {
  type: 'object', additionalProperties: false, required: ['ignoreCategories', 'ignoreAgencies'],
  properties: { ignoreCategories: { type: 'array', items: { type: 'string' } }, ignoreAgencies: { type: 'array', items: { type: 'string' } } }
} as const

export interface Fixture {
  url: string
  token: string
  stop: () => Promise<void>
}

async function serve (uiDir: string, role: Role, name: string, routes: (api: ApiServer) => void): Promise<Fixture> {
  const token = `tok-${role}-${Math.random().toString(36).slice(2)}`
  const api = createApiServer({ token, staticDir: uiDir, onInternalError: (err) => { console.error(err) } })
  api.addRoutes(async (app) => {
    // As node-routes.ts: a resident's name only behind the token.
    const view = (withName: boolean): NodeView => ({ role, ...(withName ? { name } : {}), peerId: '12D3KooWFixture', addrs: [], ...(role === 'agency' ? { address: AGENCY } : {}) })
    app.get('/api/node', { config: { public: true } }, async (): Promise<NodeView> => view(role !== 'resident'))
    app.get('/api/node/self', async (): Promise<NodeView> => view(true))
  })
  routes(api)
  await api.start()
  return { url: api.address()!.url, token, stop: async () => { await api.stop() } }
}

/** What the node's announcement validator records: the registry's answer and the log position it checked. */
function verificationOf (log: FixtureLog, logged: LoggedRequest): Verification {
  return {
    signer: AGENCY,
    agency: { name: AGENCY_NAME, status: 'active', validUntil: nowSeconds() + 365 * 86400 },
    insideJurisdiction: true,
    log: { origin: checkpointOrigin(DOMAIN.chainId, AGENCY), logIndex: logged.logIndex, treeSize: log.tree.size, root: toHex(log.tree.root()) },
    witnesses: {
      quorum: TEST_WITNESS_SET.quorum,
      total: TEST_WITNESS_SET.witnesses.length,
      cosigned: TEST_WITNESS_SET.witnesses.map((w) => ({ name: w.name, timestamp: logged.signed.message.issuedAt })),
      set: TEST_WITNESS_SET.witnesses
    },
    checkedAt: nowSeconds()
  }
}

export interface ResidentFixture extends Fixture {
  request: LoggedRequest
  /** The older request, in another category. */
  older: LoggedRequest
  /** The newest share's delivery is under way: `sent` of its bytes are out. */
  progress: (sent: number) => void
  /** The newest share is delivered: the agency logs it and signs a receipt. */
  deliver: () => void
  /** A checkpoint covering the delivery is anchored on chain (GET /api/shares/:id says 'publicly-anchored'). */
  anchor: () => void
}

export async function residentFixture (uiDir: string): Promise<ResidentFixture> {
  const log = new FixtureLog()
  // Two requests: the newest (to share from) and an older one in another category (to ignore).
  const older = logRequest(log, { title: 'Car break-ins on Pine Street', category: 'vehicle-crime', caseCode: 'SPD-2026-0031', nonce: '0x' + 'ee'.repeat(32) })
  const request = logRequest(log)
  const r = request.signed.message
  const clips: ClipView[] = [{ cid: SAMPLE_CID, size: SAMPLE_CLIP.length, camera: 'porch', start: r.windowStart + 600, end: r.windowStart + 602, addedAt: nowSeconds(), contentType: 'video/webm' }]
  const uploaded = new Map<string, Buffer>([[SAMPLE_CID, SAMPLE_CLIP]])
  // As the node's inbox stores them on arrival: the cameras in the area, the validator's verification and the
  // announcement's inclusion evidence, all as they were then.
  const items = new Map<string, InboxItem>([older, request].map((l, i) => [l.id, {
    id: l.id, request: l.signed, status: 'new', cameras: camerasInArea(l.signed.message, CAMERAS).map((c) => c.name),
    verification: verificationOf(log, l), receivedAt: l.signed.message.issuedAt + 5 + i, announcement: log.evidence(l.logIndex)
  }]))
  // Newest first, as node/footage lists them; the list carries no receipt status.
  const shares: ShareRecord[] = []
  let anchored = false
  const configPolicy = emptyPolicy()
  let apiPolicy = emptyPolicy()
  const policyView = (): PolicyView => ({ effective: mergePolicies(configPolicy, apiPolicy), config: configPolicy, api: apiPolicy })
  const latest = (): ShareRecord => {
    if (shares[0] === undefined) throw new Error('nothing was shared yet')
    return shares[0]
  }
  // The node's own event route, fed by the knobs below as node/live feeds it from the services' events.
  const live = new LiveEvents({ logger: createLogger({ level: 'silent' }) })
  const changed = (share: ShareRecord): void => { live.emit('live:event', { type: 'share', data: { id: share.id, request: share.consent.message.request, state: share.state } }) }
  const touch = (share: ShareRecord, patch: Partial<ShareRecord>): void => {
    const state = share.state
    Object.assign(share, patch, { updatedAt: nowSeconds() })
    if (share.state !== state) changed(share)
  }

  const fixture = await serve(uiDir, 'resident', 'maple street', (api) => {
    api.addRoutes(liveRoutes(live))
    api.addRoutes(async (app) => {
      const itemOf = (req: { params: unknown }): InboxItem => {
        const id = (req.params as { id: string }).id
        const item = items.get(id)
        if (item === undefined) throw new InboxItemNotFoundError(id)
        return item
      }
      const summary = (item: InboxItem): InboxSummary => {
        const m = item.request.message
        return {
          id: item.id, title: m.title, category: m.category, caseCode: m.caseCode, agency: m.agency, agencyName: item.verification.agency.name,
          issuedAt: m.issuedAt, expiresAt: m.expiresAt, status: item.status, expired: m.expiresAt <= nowSeconds(), receivedAt: item.receivedAt,
          ...(item.seenAt === undefined ? {} : { seenAt: item.seenAt }), clips: matchingClips(m, CAMERAS, clips).length
        }
      }
      const view = (item: InboxItem): InboxItemView => ({ ...inboxItemView(item, DOMAIN, nowSeconds()), clips: matchingClips(item.request.message, CAMERAS, clips) })

      app.get('/api/inbox', async (): Promise<InboxList> => {
        const list = [...items.values()].map(summary).sort((a, b) => b.receivedAt - a.receivedAt || b.issuedAt - a.issuedAt)
        return { items: list, unread: list.filter(isUnread).length }
      })
      app.get('/api/inbox/policy', async (): Promise<PolicyView> => policyView())
      app.put('/api/inbox/policy', { schema: { body: policyBody } }, async (req): Promise<PolicyView> => {
        // Like the node: it applies to requests that arrive from now on, never to the inbox as it is.
        apiPolicy = toInboxPolicy(req.body as InboxPolicy)
        return policyView()
      })
      app.get('/api/cameras', async (): Promise<CameraList> => ({ items: CAMERAS.map((c) => ({ name: c.name, lat: c.lat, lng: c.lng, cell: cameraCell(c.lat, c.lng) })) }))
      app.get('/api/inbox/:id', { schema: { params: idParams } }, async (req): Promise<InboxItemView> => view(itemOf(req)))
      app.post('/api/inbox/:id/ignore', { schema: { params: idParams, body: emptyBody } }, async (req): Promise<InboxItemView> => {
        const item = itemOf(req)
        if (item.status === 'new') Object.assign(item, { status: 'ignored', ignored: { by: 'resident' } } satisfies Partial<InboxItem>)
        return view(item)
      })
      app.post('/api/inbox/:id/seen', { schema: { params: idParams, body: emptyBody } }, async (req): Promise<InboxItemView> => {
        const item = itemOf(req)
        item.seenAt ??= nowSeconds()
        return view(item)
      })

      // As node/footage: a consent signed by a fresh key, a share `pending` until its delivery starts; the
      // inbox item is left as it was (the shares are their own list).
      app.post('/api/inbox/:id/consent', { schema: { params: idParams, body: consentBody } }, async (req, reply) => {
        const id = (req.params as { id: string }).id
        const item = items.get(id)
        if (item === undefined) throw new RequestNotConsentableError({ request: id, reason: 'not in the inbox' })
        const m = item.request.message
        const body = req.body as { clips: string[], labels?: Record<string, string | null> }
        const refs: ClipRef[] = body.clips.map((wanted) => {
          const clip = clips.find((c) => c.cid === wanted)
          if (clip === undefined) throw new UnknownClipError({ cid: wanted })
          if (matchingClips(m, CAMERAS, [clip]).length === 0) throw new ClipNotMatchingError({ cid: wanted, reason: 'camera not in the area or outside the window' })
          return { cid: clip.cid, size: clip.size, start: clip.start, end: clip.end, mediaType: clip.contentType, durationMs: (clip.end - clip.start) * 1000, camera: consentLabel(body.labels?.[clip.cid], clip.camera) }
        })
        const consent = createConsent({ request: item.id, clips: refs, domain: DOMAIN, issuedAt: nowSeconds() })
        const now = nowSeconds()
        const share: ShareRecord = { id: consent.id, request: item.request, consent: consent.signed, state: 'pending', createdAt: now, updatedAt: now, progress: { sent: 0, total: 0 } }
        shares.unshift(share)
        changed(share)
        const sent: ShareView = share
        return await reply.status(202).send(sent)
      })
      app.get('/api/shares', async (): Promise<ShareList> => ({ shares }))
      app.get('/api/shares/:id', { schema: { params: idParams } }, async (req): Promise<ShareView> => {
        const share = shares.find((s) => s.id === (req.params as { id: string }).id)
        if (share === undefined) throw new ShareNotFoundError({ id: (req.params as { id: string }).id })
        if (share.state !== 'delivered' || share.receipt === undefined) return share
        return { ...share, status: anchored ? 'publicly-anchored' : 'logged' }
      })

      app.get('/api/clips', async (): Promise<ClipView[]> => clips)
      // As node/clips: the body is the clip's bytes, streamed, of any content type; the query its camera and span.
      await app.register(async (scope) => {
        scope.removeAllContentTypeParsers()
        scope.addContentTypeParser('*', (_request, _payload, done) => { done(null) })
        scope.post('/api/clips', {
          config: { streamedBody: true },
          schema: { querystring: { type: 'object', additionalProperties: false, required: ['camera', 'start'], properties: { camera: { type: 'string' }, start: { type: 'string' }, duration: { type: 'string' } } } }
        }, async (req, reply) => {
          const q = req.query as { camera: string, start: string, duration?: string }
          if (!CAMERAS.some((c) => c.name === q.camera)) throw new UnknownCameraError(q.camera, CAMERAS.map((c) => c.name))
          const chunks: Buffer[] = []
          for await (const chunk of req.raw) chunks.push(chunk as Buffer)
          const bytes = Buffer.concat(chunks)
          if (bytes.length > MAX_CLIP_BYTES) throw new ClipTooLargeError(MAX_CLIP_BYTES, bytes.length)
          const cid = clipCid(bytes).toString()
          uploaded.set(cid, bytes)
          const clip: ClipView = { cid, size: bytes.length, camera: q.camera, start: Number(q.start), end: Number(q.start) + Number(q.duration ?? 0), addedAt: nowSeconds(), contentType: req.headers['content-type'] ?? 'application/octet-stream' }
          clips.push(clip)
          return await reply.status(201).send(clip)
        })
      })
      app.get('/api/clips/:cid', { schema: { params: cidParams } }, async (req, reply) => {
        const wanted = (req.params as { cid: string }).cid
        const bytes = uploaded.get(wanted)
        if (bytes === undefined) throw new ClipNotFoundError(wanted)
        return await reply.type(clips.find((c) => c.cid === wanted)!.contentType).send(bytes)
      })
    })
  })
  return {
    ...fixture,
    request,
    older,
    progress: (sent) => {
      const share = latest()
      touch(share, { state: 'sending', progress: { sent, total: share.consent.message.clips.reduce((n, c) => n + c.size, 0) } })
      live.emit('live:event', { type: 'progress', data: { id: share.id, ...share.progress } })
    },
    deliver: () => {
      const share = latest()
      const { receipt, entry } = logDelivery(log, share.consent.message.request, share.id, share.consent.message.clips.map((c) => ({ cid: c.cid, size: c.size })))
      touch(share, {
        state: 'delivered', progress: { sent: share.progress.total, total: share.progress.total }, receipt, entry: toHex(encodeLogEntry(entry)),
        logIndex: receipt.message.logIndex, checkpointSize: log.tree.size
      })
    },
    anchor: () => {
      anchored = true
      for (const share of shares) if (share.state === 'delivered') live.emit('live:event', { type: 'receipt', data: { id: share.id } })
    }
  }
}

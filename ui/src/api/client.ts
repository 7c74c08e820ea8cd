// The one place the UI talks to its node. Every call sends the bearer token; every failure becomes an
// ApiError carrying the API's `{ error: { code, message } }`, so a page can show it next to its cause.
import type { Request, SignedRequest } from '../../../protocol/index.js'
import type {
  AgencyRequestView, AnchorView, AuditReport, CameraView, Clip, DeliveryView, InboxItemView, InboxPolicy, InboxSummary, NodeView,
  PolicyView, RequestDraftBody, ShareView
} from './types.js'
import { sharesOf, toShareView, type NodeShare } from './share-view.js'

export class ApiError extends Error {
  readonly code: string
  readonly status: number
  constructor (status: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }
}

export interface ApiClientInit {
  token: string
  /** @default '' (the page's own origin) */
  base?: string
  fetch?: typeof fetch
}

/** Lists come either bare or as `{ items }`; the UI accepts both. */
function itemsOf<T> (body: unknown): T[] {
  if (Array.isArray(body)) return body as T[]
  const items = (body as { items?: unknown } | null)?.items
  return Array.isArray(items) ? items as T[] : []
}

export async function toApiError (res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '')
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string, message?: string } }
    if (error?.code !== undefined) return new ApiError(res.status, error.code, error.message ?? error.code)
  } catch {}
  return new ApiError(res.status, `HTTP_${res.status}`, text.slice(0, 200) || res.statusText || 'request failed')
}

/** node/agency sends the request's message and its signature side by side. */
type RawRequestView = Omit<AgencyRequestView, 'request'> & { request: Request | SignedRequest, signature?: string }

function toAgencyRequestView (raw: RawRequestView): AgencyRequestView {
  const { signature, ...rest } = raw
  const request = 'message' in raw.request ? raw.request : { message: raw.request, signature: signature ?? '' }
  return { ...rest, request }
}

export type ApiClient = ReturnType<typeof createApiClient>

export function createApiClient (init: ApiClientInit) {
  const base = init.base ?? ''
  const doFetch = init.fetch ?? globalThis.fetch.bind(globalThis)
  const auth = { authorization: `Bearer ${init.token}` }

  async function call (method: string, path: string, body?: unknown): Promise<Response> {
    let res: Response
    try {
      res = await doFetch(base + path, {
        method,
        headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
    } catch (err) {
      throw new ApiError(0, 'NETWORK', `the node did not answer (${String(err)})`)
    }
    if (!res.ok) throw await toApiError(res)
    return res
  }
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => await (await call(method, path, body)).json() as T
  const blobUrl = async (path: string): Promise<string> => URL.createObjectURL(await (await call('GET', path)).blob())
  const id = encodeURIComponent

  return {
    /** For the upload module, which cannot use fetch (see upload.ts). */
    credentials: { base, token: init.token },
    node: async () => await json<NodeView>('GET', '/api/node'),

    // resident
    inbox: async () => itemsOf<InboxSummary>(await json('GET', '/api/inbox')),
    inboxItem: async (itemId: string) => await json<InboxItemView>('GET', `/api/inbox/${id(itemId)}`),
    ignore: async (itemId: string) => await json<InboxItemView>('POST', `/api/inbox/${id(itemId)}/ignore`, {}),
    consent: async (itemId: string, clips: string[]) => toShareView(await json<NodeShare | ShareView>('POST', `/api/inbox/${id(itemId)}/consent`, { clips })),
    policy: async () => await json<PolicyView>('GET', '/api/inbox/policy'),
    setPolicy: async (policy: InboxPolicy) => await json<PolicyView>('PUT', '/api/inbox/policy', policy),
    cameras: async () => itemsOf<CameraView>(await json('GET', '/api/cameras')),
    clips: async () => itemsOf<Clip>(await json('GET', '/api/clips')),
    /** A clip's bytes as a blob URL (the clip route needs the token, which a <video src> cannot send). */
    clipUrl: async (cid: string) => await blobUrl(`/api/clips/${id(cid)}`),
    /**
     * node/footage's list has no receipt status (it takes a chain read per share): a delivered share without
     * one is read on its own for it, so "publicly anchored" shows.
     */
    shares: async () => {
      const body = await json<{ shares?: Array<NodeShare | ShareView> }>('GET', '/api/shares')
      if (!Array.isArray(body?.shares)) return sharesOf(body)
      return sharesOf({
        shares: await Promise.all(body.shares.map(async (s) => 'state' in s && s.state === 'delivered' && s.status === undefined
          ? await json<NodeShare>('GET', `/api/shares/${id(s.id)}`)
          : s))
      })
    },

    // agency
    requests: async () => itemsOf<RawRequestView>(await json('GET', '/api/requests')).map(toAgencyRequestView),
    request: async (requestId: string) => toAgencyRequestView(await json<RawRequestView>('GET', `/api/requests/${id(requestId)}`)),
    createRequest: async (draft: RequestDraftBody) => toAgencyRequestView(await json<RawRequestView>('POST', '/api/requests', draft)),
    withdraw: async (requestId: string) => toAgencyRequestView(await json<RawRequestView>('POST', `/api/requests/${id(requestId)}/withdraw`, {})),
    deliveries: async (requestId: string) => itemsOf<DeliveryView>(await json('GET', `/api/requests/${id(requestId)}/deliveries`)),
    /** Decrypts a delivered clip; the node logs the access with this purpose before it answers. */
    footageUrl: async (cid: string, purpose: string) => await blobUrl(`/api/footage/${id(cid)}?${new URLSearchParams({ purpose }).toString()}`),

    // auditor
    report: async () => await json<AuditReport>('GET', '/api/report'),
    /** Runs an audit pass now. */
    audit: async () => await json<AuditReport>('POST', '/api/audit', {}),

    /** The anchors this agency node put on chain, newest last. */
    anchors: async () => itemsOf<AnchorView>(await json('GET', '/api/anchors')),

    // the public log (agencies serve it; C2SP tlog-tiles)
    checkpoint: async () => await (await call('GET', '/checkpoint')).text(),
    tile: async (path: string) => new Uint8Array(await (await call('GET', `/${path}`)).arrayBuffer())
  }
}

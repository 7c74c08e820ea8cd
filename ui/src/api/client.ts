// The one place the UI talks to its node. Every call sends the bearer token; every failure becomes an
// ApiError carrying the API's `{ error: { code, message } }`, so a page can show it next to its cause.
import type {
  AuditProgress, AuditedEntryFilter, AuditedEntryList, RequestHistory,
  AgencyRequestView, AnchorHistory, ApiErrorBody, AuditReport, CameraBody, CameraList, CameraView, ClipView, ConsentRange, DeliveryList, DeviceView, InboxItemView, InboxList,
  InboxPolicy, NodeView, PairedDevice, PolicyView, RequestDraftBody, ShareHistory, ShareList, ShareRow, ShareView, SignedRequestView, SourceTestBody, SourceTestResult, UiSettings,
  ApiUserView, CreatedUser, FootageLogged, ShareProposalView, UserRole, UserView
} from './types.js'
import { sharesOf, toShareRow } from './share-view.js'

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

export async function toApiError (res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '')
  try {
    // Parsed defensively: a proxy in front of the node may answer anything.
    const { error } = JSON.parse(text) as Partial<ApiErrorBody>
    if (error?.code !== undefined) return new ApiError(res.status, error.code, error.message ?? error.code)
  } catch {
    // Not JSON: fall through to the status-only error below.
  }
  return new ApiError(res.status, `HTTP_${res.status}`, text.slice(0, 200) || res.statusText || 'request failed')
}

/** node/agency sends the request's message and its signature side by side; the pages check them as one. */
function toSignedRequestView (view: AgencyRequestView): SignedRequestView {
  const { request, signature, ...rest } = view
  return { ...rest, request: { message: request, signature } }
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
    /** This node with its name (a resident's public answer has none). */
    self: async () => await json<NodeView>('GET', '/api/node/self'),
    uiSettings: async () => await json<UiSettings>('GET', '/api/ui'),

    // resident
    inbox: async () => (await json<InboxList>('GET', '/api/inbox')).items,
    inboxItem: async (itemId: string) => await json<InboxItemView>('GET', `/api/inbox/${id(itemId)}`),
    ignore: async (itemId: string) => await json<InboxItemView>('POST', `/api/inbox/${id(itemId)}/ignore`, {}),
    /** The resident opened it: no longer unread. */
    seen: async (itemId: string) => await json<InboxItemView>('POST', `/api/inbox/${id(itemId)}/seen`, {}),
    /** Consents to clips and/or ranges of recordings (the node cuts each range before it is sent). */
    consent: async (itemId: string, clips: string[], ranges: ConsentRange[] = [], labels: Record<string, string | null> = {}) => toShareRow(await json<ShareView>('POST', `/api/inbox/${id(itemId)}/consent`, {
      ...(clips.length > 0 || ranges.length === 0 ? { clips } : {}),
      ...(ranges.length > 0 ? { ranges } : {}),
      ...(Object.keys(labels).length > 0 ? { labels } : {})
    })),
    policy: async () => await json<PolicyView>('GET', '/api/inbox/policy'),
    setPolicy: async (policy: InboxPolicy) => await json<PolicyView>('PUT', '/api/inbox/policy', policy),
    cameras: async () => (await json<CameraList>('GET', '/api/cameras')).items,
    addCamera: async (body: CameraBody) => await json<CameraView>('POST', '/api/cameras', body),
    updateCamera: async (name: string, body: CameraBody) => await json<CameraView>('PUT', `/api/cameras/${id(name)}`, body),
    removeCamera: async (name: string): Promise<void> => { await call('DELETE', `/api/cameras/${id(name)}`) },
    testSource: async (body: SourceTestBody) => await json<SourceTestResult>('POST', '/api/cameras/test', body),
    /** A thumbnail the node made (an API path from an inbox item's `recordings`) as a blob URL: the route needs the token. */
    thumbnailUrl: async (path: string) => await blobUrl(path),
    clips: async () => await json<ClipView[]>('GET', '/api/clips'),
    /** A clip's bytes as a blob URL (the clip route needs the token, which a <video src> cannot send). */
    clipUrl: async (cid: string) => await blobUrl(`/api/clips/${id(cid)}`),
    /**
     * node/footage's list has no receipt status (it takes a chain read per share): a delivered share without
     * one is read on its own for it, so "publicly anchored" shows.
     */
    shares: async (opts: { status?: boolean } = {}): Promise<ShareRow[]> => {
      const body = await json<ShareList>('GET', '/api/shares')
      // The inbox needs no receipt status (`status: false`): each costs the node a read of the agency's log.
      if (opts.status === false) return sharesOf(body)
      return sharesOf({
        shares: await Promise.all(body.shares.map(async (s) => s.state === 'delivered' && s.status === undefined
          ? await json<ShareView>('GET', `/api/shares/${id(s.id)}`)
          : s))
      })
    },

    withdrawShare: async (shareId: string) => toShareRow(await json<ShareView>('POST', `/api/shares/${id(shareId)}/withdraw`, {})),
    retryShare: async (shareId: string) => toShareRow(await json<ShareView>('POST', `/api/shares/${id(shareId)}/retry`, {})),
    /** Asks the agency to delete the share's clips (the node signs it with the consent's key; the agency logs it). */
    deleteRequest: async (shareId: string) => toShareRow(await json<ShareView>('POST', `/api/shares/${id(shareId)}/delete-request`, {})),
    /** What the agency's log says about the share's clips, with proofs (checked in the browser: verify/share-history.ts). */
    shareHistory: async (shareId: string) => await json<ShareHistory>('GET', `/api/shares/${id(shareId)}/history`),

    // agency
    requests: async () => (await json<AgencyRequestView[]>('GET', '/api/requests')).map(toSignedRequestView),
    request: async (requestId: string) => toSignedRequestView(await json<AgencyRequestView>('GET', `/api/requests/${id(requestId)}`)),
    createRequest: async (draft: RequestDraftBody) => toSignedRequestView(await json<AgencyRequestView>('POST', '/api/requests', draft)),
    withdraw: async (requestId: string) => toSignedRequestView(await json<AgencyRequestView>('POST', `/api/requests/${id(requestId)}/withdraw`, {})),
    deliveries: async (requestId: string) => (await json<DeliveryList>('GET', `/api/requests/${id(requestId)}/deliveries`)).items,
    /** Decrypts a delivered clip; the node logs the access with this purpose before it answers. */
    /**
     * The evidence package of a request or delivery (a zip; docs/evidence.md). The node logs an `access` with
     * purpose `export` per clip before answering: `access` lists those entries.
     */
    exportEvidence: async (subject: string) => {
      const res = await call('POST', `/api/evidence/${id(subject)}`, {})
      const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'evidence.zip'
      const access = (res.headers.get('x-porchlight-export-access') ?? '').split(',').filter((x) => x !== '').map(Number)
      return { blob: await res.blob(), filename, access }
    },
    footageUrl: async (cid: string, purpose: string) => await blobUrl(`/api/footage/${id(cid)}?${new URLSearchParams({ purpose }).toString()}`),

    // auditor
    report: async () => await json<AuditReport>('GET', '/api/report'),
    /** Runs an audit pass now. */
    audit: async () => await json<AuditReport>('POST', '/api/audit', {}),
    auditProgress: async () => await json<AuditProgress>('GET', '/api/audit/progress'),
    /** An agency's verified entries, filtered (the auditor's drill-down). */
    auditedEntries: async (agency: string, filter: AuditedEntryFilter = {}) => {
      const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined && v !== '').map(([k, v]): [string, string] => [k, String(v)]))
      return await json<AuditedEntryList>('GET', `/api/agencies/${id(agency)}/entries?${query.toString()}`)
    },
    requestHistory: async (agency: string, request: string) => await json<RequestHistory>('GET', `/api/agencies/${id(agency)}/requests/${id(request)}`),

    /** The anchors this agency node put on chain, newest last. */
    anchors: async () => (await json<AnchorHistory>('GET', '/api/anchors')).items,

    // paired devices (the node's own token only: a paired device gets NODE_TOKEN_REQUIRED)
    devices: async () => await json<DeviceView[]>('GET', '/api/devices'),
    pairDevice: async (name: string) => await json<PairedDevice>('POST', '/api/devices', { name }),
    revokeDevice: async (deviceId: string) => await json<DeviceView>('DELETE', `/api/devices/${id(deviceId)}`),

    // an agency's users (node/agency/users.ts): who this credential is; managing users takes an admin
    me: async () => await json<ApiUserView>('GET', '/api/me'),
    users: async () => await json<UserView[]>('GET', '/api/users'),
    addUser: async (userId: string, role: UserRole) => await json<CreatedUser>('POST', '/api/users', { id: userId, role }),
    disableUser: async (userId: string) => await json<UserView>('POST', `/api/users/${id(userId)}/disable`, {}),
    // shares waiting for a supervisor (node/deliveries/share-proposals.ts)
    shareProposals: async () => await json<ShareProposalView[]>('GET', '/api/share-proposals'),
    approveShare: async (proposal: string) => await json<FootageLogged>('POST', `/api/share-proposals/${id(proposal)}/approve`, {}),
    rejectShare: async (proposal: string) => await json<ShareProposalView>('DELETE', `/api/share-proposals/${id(proposal)}`),

    // the public log (agencies serve it; C2SP tlog-tiles)
    checkpoint: async () => await (await call('GET', '/checkpoint')).text(),
    tile: async (path: string) => new Uint8Array(await (await call('GET', `/${path}`)).arrayBuffer())
  }
}

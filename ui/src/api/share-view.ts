// node/footage answers shares as its ShareRecord (the signed request and consent, the state, the delivery
// entry as logged bytes, the receipt status 'logged' | 'publicly-anchored'); the pages read the flatter
// ShareView. This maps one to the other at the API's edge, and passes a ShareView through unchanged.
import { decodeLogEntry, type DeliveryEntry, type SignedConsent, type SignedReceipt, type SignedRequest } from '../../../protocol/index.js'
import { hexToBytes } from '../verify/hex.js'
import type { ShareView } from './types.js'

/** A share as node/footage's routes send it (resident-footage.ts ShareView). */
export interface NodeShare {
  id: string
  request: SignedRequest
  consent: SignedConsent
  state: 'pending' | 'sending' | 'delivered' | 'failed' | 'withdrawn'
  createdAt: number
  updatedAt: number
  progress: { sent: number, total: number }
  receipt?: SignedReceipt
  /** The delivery entry's bytes as logged, 0x hex. */
  entry?: string
  error?: { code: string, message: string }
  status?: 'logged' | 'publicly-anchored'
}

function deliveryEntry (hex: string | undefined): DeliveryEntry | undefined {
  if (hex === undefined) return undefined
  try {
    const entry = decodeLogEntry(hexToBytes(hex))
    return entry.kind === 'delivery' ? entry : undefined
  } catch {
    // Left out: the receipt check then says nothing rather than checking bytes it could not read.
    return undefined
  }
}

export function toShareView (raw: NodeShare | ShareView): ShareView {
  if (typeof raw.request === 'string') return raw as ShareView
  const s = raw as NodeShare
  const entry = deliveryEntry(s.entry)
  const moving = s.state === 'pending' || s.state === 'sending'
  return {
    request: s.consent.message.request,
    consent: s.id,
    agency: s.request.message.agency,
    clips: s.consent.message.clips.map((c) => ({ cid: c.cid, size: c.size })),
    status: s.status ?? (s.state === 'sending' ? 'delivering' : s.state),
    ...(moving ? { progress: s.progress } : {}),
    ...(s.receipt === undefined ? {} : { receipt: s.receipt }),
    ...(entry === undefined ? {} : { entry }),
    anchored: s.status === 'publicly-anchored',
    ...(s.error === undefined ? {} : { error: s.error }),
    at: s.createdAt
  }
}

/** GET /api/shares answers `{ shares }` (node/footage); a bare list or `{ items }` is read too. */
export function sharesOf (body: unknown): ShareView[] {
  const list = (body as { shares?: unknown } | null)?.shares ?? (body as { items?: unknown } | null)?.items ?? body
  return Array.isArray(list) ? (list as Array<NodeShare | ShareView>).map(toShareView) : []
}

// node/footage answers shares as its ShareView (the signed request and consent, the state, the delivery
// entry as logged bytes, the receipt status 'logged' | 'publicly-anchored'); the Shares page reads the
// flatter ShareRow. This maps one to the other at the API's edge, and passes a ShareRow through unchanged
// (the resident page's e2e fixture answers rows).
import { decodeLogEntry, type DeliveryEntry } from '../../../protocol/index.js'
import { hexToBytes } from '../verify/hex.js'
import type { ShareRow, ShareView } from './types.js'

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

export function toShareRow (raw: ShareView | ShareRow): ShareRow {
  if (typeof raw.request === 'string') return raw as ShareRow
  const s = raw as ShareView
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

/** GET /api/shares answers `{ shares }` (node/footage); a bare list or `{ items }` of rows is read too. */
export function sharesOf (body: unknown): ShareRow[] {
  const list = (body as { shares?: unknown } | null)?.shares ?? (body as { items?: unknown } | null)?.items ?? body
  return Array.isArray(list) ? (list as Array<ShareView | ShareRow>).map(toShareRow) : []
}

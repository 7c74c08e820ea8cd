// node/footage answers shares as its ShareView (the signed request and consent, the state, the delivery
// entry as logged bytes, the receipt status 'logged' | 'publicly-anchored'); the Shares page reads the
// flatter ShareRow. This maps one to the other at the API's edge; the node's shape is the only one read.
import { decodeLogEntry, fromHex, type DeliveryEntry } from '../../../protocol/index.js'
import type { ShareList, ShareRow, ShareView } from './types.js'

function deliveryEntry (hex: string | undefined): DeliveryEntry | undefined {
  if (hex === undefined) return undefined
  try {
    const entry = decodeLogEntry(fromHex(hex))
    return entry.kind === 'delivery' ? entry : undefined
  } catch {
    // Left out: the receipt check then says nothing rather than checking bytes it could not read.
    return undefined
  }
}

export function toShareRow (s: ShareView): ShareRow {
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
    at: s.createdAt,
    state: s.state,
    actions: s.actions ?? [],
    ...(s.deletion === undefined ? {} : { deletion: s.deletion }),
    retentionDays: s.request.message.retentionDays,
    caseCode: s.request.message.caseCode,
    view: s
  }
}

/** GET /api/shares answers `{ shares }` (node/footage). */
export function sharesOf (body: ShareList): ShareRow[] {
  return body.shares.map(toShareRow)
}

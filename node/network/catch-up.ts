// /porchlight/requests/1.0.0: a node that joins late (or was offline) asks a peer for the live announcements
// of its res-7 cells — the same cells its gossip subscriptions already reveal, nothing finer. The answer is
// the announcements' bytes as gossiped; the asker validates each one exactly like gossip.
import type { PeerId } from '@libp2p/interface'
import { assertCell, TOPIC_RESOLUTION } from '../../protocol/index.js'
import { handleRequests, sendRequest, type PorchlightLibp2p } from '../p2p/index.js'
import { InvalidCatchUpRequestError } from './errors.js'
import type { LiveAnnouncementSource } from './live-requests.js'

export const CATCH_UP_PROTOCOL = '/porchlight/requests/1.0.0'
/** Cells per question: a resident with cameras across 64 res-7 cells (~330 km²) is not one household. */
export const MAX_CATCH_UP_CELLS = 64
/** Largest answer frame; the announcements past it are left out (each is at most 24 KiB). */
export const MAX_CATCH_UP_BYTES = 1024 * 1024
/**
 * Items per answer, sent and read. A neighbourhood holds a handful of live requests; 128 is room for every
 * request a busy agency could have live in 64 cells over their 72 h, with their withdrawals. An answer with
 * more is not an honest one (answerers stop here): the asker reads the first 128 and penalises the rest.
 * Without it a 1 MiB frame carried ~880 small junk items, each a registry read (issue 15).
 */
export const MAX_CATCH_UP_ITEMS = 128
/**
 * Refused items after which the asker stops reading an answer. An honest answerer can hold a few that this
 * node refuses (an agency suspended since it took them); eight is one junk answer's worth of penalty.
 */
export const MAX_INVALID_CATCH_UP_ITEMS = 8

export interface CatchUpRequest { cells: string[] }
export interface CatchUpResponse { announcements: Uint8Array[] }

export function checkCatchUpRequest (value: unknown): CatchUpRequest {
  if (value === null || typeof value !== 'object' || Object.keys(value).length !== 1 || !Array.isArray((value as CatchUpRequest).cells)) {
    throw new InvalidCatchUpRequestError('not { cells }')
  }
  const cells = (value as CatchUpRequest).cells
  if (cells.length === 0 || cells.length > MAX_CATCH_UP_CELLS) throw new InvalidCatchUpRequestError(`1 to ${MAX_CATCH_UP_CELLS} cells`, cells.length)
  try {
    cells.forEach((c, i) => assertCell(c, { exact: TOPIC_RESOLUTION }, `cells[${i}]`))
  } catch (err) {
    throw new InvalidCatchUpRequestError('not res-7 H3 cells', (err as { details?: unknown }).details)
  }
  return { cells }
}

/** Answers catch-up questions from `sources` (a node's LiveRequests, an agency's own requests), read anew for each question. */
export async function handleCatchUp (libp2p: PorchlightLibp2p, sources: readonly LiveAnnouncementSource[], now: () => number): Promise<void> {
  await handleRequests<unknown, CatchUpResponse>(libp2p, CATCH_UP_PROTOCOL, async (request) => {
    const { cells } = checkCatchUpRequest(request)
    const seen = new Set<string>()
    const announcements: Uint8Array[] = []
    // Leave room for the frame's own CBOR framing (a map, an array, a byte-string header per item).
    let budget = MAX_CATCH_UP_BYTES - 64
    for (const source of sources) {
      for (const bytes of await source.liveAnnouncements(cells, now())) {
        const key = Buffer.from(bytes).toString('base64')
        if (announcements.length >= MAX_CATCH_UP_ITEMS) return { announcements }
        if (seen.has(key) || bytes.byteLength + 8 > budget) continue
        seen.add(key)
        budget -= bytes.byteLength + 8
        announcements.push(bytes)
      }
    }
    return { announcements }
    // Over a relayed connection too: two households behind routers may only ever meet through a relay
    // (DCUtR cannot upgrade two NATed TCP nodes), and an answer (≤ 1 MiB) fits the relay's gossip limit.
  }, { maxFrameBytes: MAX_CATCH_UP_BYTES, runOnLimitedConnection: true })
}

/** Asks `peer` for the live announcements of `cells`. */
export async function askForLive (libp2p: PorchlightLibp2p, peer: PeerId, cells: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Uint8Array[]> {
  const response = await sendRequest<CatchUpRequest, CatchUpResponse>(libp2p, peer, CATCH_UP_PROTOCOL, { cells: [...cells] }, { maxFrameBytes: MAX_CATCH_UP_BYTES, runOnLimitedConnection: true, ...options })
  const list = (response as Partial<CatchUpResponse> | null)?.announcements
  if (!Array.isArray(list)) return []
  return list.filter((b): b is Uint8Array => b instanceof Uint8Array)
}

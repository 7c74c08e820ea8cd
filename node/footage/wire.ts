// /porchlight/footage/1.0.0, one delivery per stream, resident → agency (there is no way to ask a resident
// for footage: a resident node never handles this protocol). Length-prefixed frames (p2p/framing.ts):
//   resident: offer  { consent: <encoded SignedConsent>, clips: [{ cid, plaintextSize, ciphertextSize }] }
//   agency:   answer { accept: true, credit: n } | { error: { code, message } }  (checked before any footage)
//   resident: data   raw frames, 1..MAX_DATA_FRAME bytes each: clip after clip, exactly the declared bytes,
//                    never more in all than the credit granted so far
//   agency:   credit { credit: n }  (any number, any time while data flows: n more bytes may be sent)
//   resident: end    { end: true }
//   agency:   result { receipt: <encoded SignedReceipt>, entry: <encoded delivery entry> } | { error }
// The credit is part of 1.0.0: a pre-release draft paused the stream instead, which could not bound the agency's buffer.
import { LIMITS } from '../../protocol/index.js'

export const FOOTAGE_PROTOCOL = '/porchlight/footage/1.0.0'

/**
 * The sender batches about four age chunks (64 KiB + 16 each) per frame — fewer frames, fewer timers and
 * prefixes; the offer (≤ 64 KiB consent + 64 sizes) fits too.
 */
export const MAX_DATA_FRAME = 512 * 1024
/** A sender starts a new frame once this many bytes are batched. */
export const DATA_FRAME_TARGET = 256 * 1024
export const MAX_FOOTAGE_FRAME = MAX_DATA_FRAME + 64
/**
 * The agency's credit window: the most data bytes in flight or queued unread per transfer. Eight frames
 * keep loopback and LAN transfers streaming while bounding the agency's memory (docs/footage.md).
 */
export const CREDIT_WINDOW = 4 * 1024 * 1024

export interface DeclaredClip {
  cid: string
  plaintextSize: number
  ciphertextSize: number
}

export interface Offer {
  consent: Uint8Array
  clips: DeclaredClip[]
}

export type Answer = { accept: true, credit: number } | { error: { code: string, message: string } }

export interface Credit { credit: number }

export type Result = { receipt: Uint8Array, entry: Uint8Array } | { error: { code: string, message: string } }

function isSize (v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max
}

/** Checks an offer's shape (not its meaning); returns undefined for anything else. */
export function asOffer (value: unknown): Offer | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const { consent, clips, ...rest } = value as Record<string, unknown>
  if (Object.keys(rest).length > 0 || !(consent instanceof Uint8Array) || !Array.isArray(clips)) return undefined
  if (clips.length === 0 || clips.length > LIMITS.consent.maxClips) return undefined
  const ok = clips.every((c: unknown) => {
    if (c === null || typeof c !== 'object') return false
    const { cid, plaintextSize, ciphertextSize, ...more } = c as Record<string, unknown>
    return Object.keys(more).length === 0 && typeof cid === 'string' && cid.length <= 128 &&
      isSize(plaintextSize, LIMITS.consent.maxClipBytes) && isSize(ciphertextSize, 2 * LIMITS.consent.maxClipBytes)
  })
  return ok ? { consent, clips: clips as DeclaredClip[] } : undefined
}

/** A credit frame: a positive whole number of bytes. */
export function isCredit (value: unknown): value is Credit {
  if (value === null || typeof value !== 'object' || Object.keys(value).length !== 1) return false
  const { credit } = value as { credit?: unknown }
  return typeof credit === 'number' && Number.isSafeInteger(credit) && credit > 0
}

export function isEnd (value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { end?: unknown }).end === true && Object.keys(value).length === 1
}

export const DELETION_PROTOCOL = '/porchlight/footage-delete/1.0.0'

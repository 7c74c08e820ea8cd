// What the store keeps about a clip beside its bytes, and the checks a clip's metadata passes before a
// single byte is read.
import { extname } from 'node:path'
import { LIMITS } from '../../protocol/limits/index.js'
import type { ClipView } from '../../protocol/index.js'
import type { Camera } from '../config/index.js'
import { InvalidClipTimeError, UnknownCameraError, UnsupportedClipTypeError } from './errors.js'

/** One stored clip, kept as the API sends it. Its bytes are `<dir>/clips/<cid>`. */
export type ClipRecord = ClipView

/** What the caller says about a clip it adds. */
export interface ClipMeta {
  camera: string
  start: number
  end: number
  /** @default 'application/octet-stream' */
  contentType?: string
}

export const defaultContentType = 'application/octet-stream'

// Served back to the UI from the API's own origin, so nothing a browser would execute: no HTML, no SVG.
const servableType = /^(?:video\/[a-z0-9][a-z0-9.+-]{0,62}|image\/(?!svg)[a-z0-9][a-z0-9.+-]{0,62}|application\/octet-stream)$/

const typesByExtension: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.avi': 'video/x-msvideo',
  '.ts': 'video/mp2t',
  '.h264': 'video/h264',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png'
}

/** The content type a file name suggests; octet-stream when the extension says nothing. */
export function contentTypeOf (fileName: string): string {
  return typesByExtension[extname(fileName).toLowerCase()] ?? defaultContentType
}

/** A content type as sent in a header, without parameters and lowercased; undefined when absent. */
export function toContentType (header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase()
  return type === undefined || type === '' ? undefined : type
}

function checkSeconds (field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidClipTimeError(field, 'must be a whole number of unix seconds', value)
  }
  return value
}

/**
 * Checks a clip's metadata against this node's cameras and the clock (`now`, unix seconds) and returns it
 * normalized. A clip may not end in the future beyond the protocol's clock skew: no camera records ahead.
 */
export function checkClipMeta (meta: ClipMeta, cameras: readonly Camera[], now: number): Required<ClipMeta> {
  if (!cameras.some((c) => c.name === meta.camera)) throw new UnknownCameraError(meta.camera, cameras.map((c) => c.name))
  const start = checkSeconds('start', meta.start)
  const end = checkSeconds('end', meta.end)
  if (end < start) throw new InvalidClipTimeError('end', 'is before start', end, start)
  const latest = now + LIMITS.clockSkewSeconds
  if (end > latest) throw new InvalidClipTimeError('end', 'is in the future', end, latest)
  const contentType = meta.contentType ?? defaultContentType
  if (!servableType.test(contentType)) throw new UnsupportedClipTypeError(contentType)
  return { camera: meta.camera, start, end, contentType }
}

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/

/**
 * Unix seconds from unix seconds or an ISO 8601 time with a zone (`2026-11-26T14:05:00Z`, `…-05:00`):
 * a time without a zone means different instants on different machines, so it is refused.
 */
export function toUnixSeconds (field: string, value: unknown, round: 'down' | 'up' = 'down'): number {
  if (typeof value === 'number') return checkSeconds(field, value)
  if (typeof value === 'string' && /^\d+$/.test(value)) return checkSeconds(field, Number(value))
  const ms = typeof value === 'string' && isoTime.test(value) ? Date.parse(value) : NaN
  if (!Number.isFinite(ms)) throw new InvalidClipTimeError(field, 'must be unix seconds or an ISO 8601 time with a zone', value)
  return checkSeconds(field, (round === 'down' ? Math.floor : Math.ceil)(ms / 1000))
}

/** A span from a start and exactly one of an end or a duration in seconds (CLI flags, sidecar files). */
export function toClipSpan (given: { start: unknown, end?: unknown, duration?: unknown }): { start: number, end: number } {
  const start = toUnixSeconds('start', given.start)
  if ((given.end === undefined) === (given.duration === undefined)) {
    throw new InvalidClipTimeError('end', 'give exactly one of end and duration', { end: given.end, duration: given.duration })
  }
  if (given.end !== undefined) return { start, end: toUnixSeconds('end', given.end, 'up') }
  const duration = typeof given.duration === 'string' && /^\d+$/.test(given.duration) ? Number(given.duration) : given.duration
  return { start, end: start + checkSeconds('duration', duration) }
}

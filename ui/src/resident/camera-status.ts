// A camera's recording status in words, as the Cameras tab shows it ("recording, last segment 3 s ago",
// "source unreachable since 10:02"). Times from the node are unix milliseconds.
import type { CameraView, SourceTestResult } from '../api/types.js'

/** "3 s", "4 min", "2 h", "3 days" */
export function age (ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 90) return `${s} s`
  if (s < 90 * 60) return `${Math.round(s / 60)} min`
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`
  return `${Math.round(s / 86400)} days`
}

/** A clock time, with the day when it is not today. */
export function clock (ms: number, now: number): string {
  const d = new Date(ms)
  const today = new Date(now).toDateString() === d.toDateString()
  return today ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function statusWords (camera: Pick<CameraView, 'source' | 'status'>, now: number): string {
  const s = camera.status
  if (s !== undefined) {
    switch (s.state) {
      case 'recording': return s.lastSegmentAt === undefined ? `recording since ${clock(s.since, now)}` : `recording, last segment ${age(now - s.lastSegmentAt)} ago`
      case 'connecting': return `connecting since ${clock(s.since, now)}`
      case 'unreachable': return `source unreachable since ${clock(s.since, now)}${s.error === undefined ? '' : `: ${s.error.message}`}`
      case 'disk-full': return `disk full: recording stopped since ${clock(s.since, now)}`
      case 'stopped': return 'not recording'
    }
  }
  switch (camera.source?.kind) {
    case 'rtsp': return 'not recording'
    case 'frigate': return `recorded by Frigate (camera “${camera.source.camera}”)`
    case 'folder': return 'clips from a folder'
    default: return 'clips from imports and uploads only'
  }
}

/** A source test's answer in plain words. */
export function testWords (result: SourceTestResult): string {
  if (!result.ok) return result.error.message
  const d = result.details
  const parts = [
    d.codec?.toUpperCase().replace(/^H264$/, 'H.264').replace(/^HEVC$/, 'H.265'),
    d.width !== undefined && d.height !== undefined ? `${d.width}×${d.height}` : undefined,
    d.fps !== undefined ? `${Math.round(d.fps * 100) / 100} fps` : undefined
  ].filter((p) => p !== undefined)
  return parts.length === 0 ? 'The source answers.' : `The source answers: ${parts.join(', ')}.`
}

// What a consent says of each clip beyond its bytes (issue 19, "delivery metadata"): its media type, its
// length and a camera label. The label defaults to the camera's name — the name the resident gave it on
// this node, which helps an investigator tell "Driveway" from "Back door" and is already what the resident
// sees everywhere — and the resident may edit it or drop it before consenting, since a name can say more
// than the resident means to (a surname, "Kids' room"). It travels in the signed consent only, never in
// the public log (docs/footage.md, "What a delivery says").
import { LIMITS, consentLabel, textLength, type ClipRef, type ConsentRange } from '../../protocol/index.js'
import { ClipLabelError } from '../footage/errors.js'
import type { StoredClip } from './resident-sources.js'

/** `labels` of POST /api/inbox/:id/consent: by CID, a new label or `null` to send none. */
export type ConsentLabels = Readonly<Record<string, string | null>>

/** Refuses a label that names no consented clip, or that a consent could not carry. Changes nothing. */
export function checkLabels (labels: ConsentLabels, cids: readonly string[], ranges: readonly ConsentRange[]): void {
  for (const [cid, value] of Object.entries(labels)) {
    if (!cids.includes(cid)) throw new ClipLabelError({ field: `labels.${cid}`, reason: 'not a clip of this consent' })
    checkLabel(`labels.${cid}`, value)
  }
  ranges.forEach((r, i) => { checkLabel(`ranges[${i}].label`, r.label) })
}

function checkLabel (field: string, value: string | null | undefined): void {
  if (value === undefined || value === null) return
  const label = consentLabel(value, '')
  if (textLength(label) > LIMITS.consent.maxCameraLabelChars) throw new ClipLabelError({ field, reason: 'too long', limit: LIMITS.consent.maxCameraLabelChars })
  if (/\p{Cc}/u.test(label)) throw new ClipLabelError({ field, reason: 'control characters' })
}

/**
 * A stored clip as a consent names it. Its length is the cut's own when it was just cut from a recording
 * (`durationMs`), else its stored span: the store counts whole seconds.
 */
export function clipRefOf (clip: StoredClip, label: string | null | undefined): ClipRef {
  return {
    cid: clip.cid,
    size: clip.size,
    start: clip.start,
    end: clip.end,
    mediaType: clip.contentType,
    durationMs: clip.durationMs ?? (clip.end - clip.start) * 1000,
    camera: consentLabel(label, clip.camera)
  }
}

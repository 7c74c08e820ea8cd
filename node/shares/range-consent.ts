// A consent's `ranges`: each is checked against the request (camera in the area, inside the window) and
// against what the camera recorded (inside one continuous run) before anything is cut; then each is cut
// through its camera's RangeSource into a temporary file, stored as a clip, and the file removed. The
// clips then go through the same consent as any other (hashed, encrypted, delivered). The cut happens
// before the consent is answered (docs/cameras.md, "Consent with ranges").
import { rm } from 'node:fs/promises'
import { isCameraInArea, type ConsentRange, type Request } from '../../protocol/index.js'
import type { Camera } from '../config/index.js'
import type { FootageRanges } from '../recording/range-sources.js'
import type { RangeSource } from '../recording/range-source.js'
import { RangeCameraError, RangeNotRecordedError, RangeOutsideWindowError } from '../recording/range-errors.js'
import type { ClipSource, StoredClip } from './resident-sources.js'

export type { ConsentRange }

export interface CheckedRange extends ConsentRange {
  source: RangeSource
  cameraConfig: Camera
}

/** Throws the first range's typed refusal; cuts nothing, stores nothing. */
export async function checkRanges (ranges: readonly ConsentRange[], r: Request, cameras: readonly Camera[],
  sources: Pick<FootageRanges, 'sourceFor'> | undefined): Promise<CheckedRange[]> {
  const out: CheckedRange[] = []
  for (const range of ranges) {
    const { camera: name, from, to } = range
    const camera = cameras.find((c) => c.name === name)
    if (camera === undefined) throw new RangeCameraError({ camera: name, reason: 'not a camera of this node' })
    if (!isCameraInArea(camera.lat, camera.lng, r.cells)) throw new RangeCameraError({ camera: name, reason: 'not in the area' })
    if (!(from < to) || from < r.windowStart || to > r.windowEnd) {
      throw new RangeOutsideWindowError({ camera: name, from, to, windowStart: r.windowStart, windowEnd: r.windowEnd })
    }
    const source = sources?.sourceFor(camera)
    if (source === undefined) throw new RangeCameraError({ camera: name, reason: 'no recording source' })
    const recorded = await source.overlaps(camera, from, to)
    if (!recorded.some((o) => o.from <= from && o.to >= to)) throw new RangeNotRecordedError({ camera: name, from, to })
    out.push({ ...range, source, cameraConfig: camera })
  }
  return out
}

/** Cuts each checked range into a stored clip (in order; the same bytes twice are one clip). */
export async function cutRanges (ranges: readonly CheckedRange[], opts: {
  ranges: Pick<FootageRanges, 'cutPath'>
  clips: ClipSource
  signal?: AbortSignal
}): Promise<StoredClip[]> {
  const { clips } = opts
  if (clips.addFile === undefined) throw new RangeCameraError({ reason: 'this node cannot store cut clips' })
  const out: StoredClip[] = []
  for (const range of ranges) {
    const path = opts.ranges.cutPath()
    try {
      const cut = await range.source.cut(range.cameraConfig, range.from, range.to, path, opts.signal)
      // The clip store counts whole seconds: the span rounded outwards still holds every frame.
      const stored = await clips.addFile(path, { camera: range.camera, start: Math.floor(cut.start), end: Math.ceil(cut.end), contentType: cut.contentType })
      // The cut knows its length to the millisecond; the store keeps whole seconds only.
      out.push({ ...stored, durationMs: Math.round((cut.end - cut.start) * 1000) })
    } finally {
      await rm(path, { force: true })
    }
  }
  return out
}

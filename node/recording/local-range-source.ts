// The RangeSource of the node's own continuous recordings (source `rtsp`): overlaps from the segment index,
// cuts remuxed from the segment files, thumbnails from the segment holding the instant.
import { join } from 'node:path'
import type { Camera } from '../config/index.js'
import { cutSegments } from './cut.js'
import { RangeNotRecordedError } from './range-errors.js'
import { MAX_GAP_MS, overlapsOf, segmentRuns } from './overlap.js'
import type { RangeSource } from './range-source.js'
import type { RecordedSegments } from './segment-source.js'
import { segmentThumbnail } from './thumbnails.js'

export interface LocalRangeSourceInit {
  index: RecordedSegments
  ffmpeg: string
  ffprobe: string
  /** Where thumbnails are cached (outside the recording directory, whose files the recorder reconciles). */
  thumbnails: string
  /** @default MAX_GAP_MS */
  maxGapMs?: number
}

export function localRangeSource (init: LocalRangeSourceInit): RangeSource {
  const { index } = init
  const maxGapMs = init.maxGapMs ?? MAX_GAP_MS
  return {
    async overlaps (camera: Camera, from: number, to: number) {
      return overlapsOf(camera.name, await index.segments(camera.name, from * 1000, to * 1000), from, to, maxGapMs)
    },

    async cut (camera: Camera, from: number, to: number, out: string, signal?: AbortSignal) {
      const fromMs = from * 1000
      const toMs = to * 1000
      // The whole range must lie in one continuous run: a cut across a gap would join footage seconds or
      // hours apart as if it were continuous. The run's ends count in whole seconds, as its overlap does.
      const runs = segmentRuns(await index.segments(camera.name, fromMs, toMs), maxGapMs)
      const run = runs.find((r) => Math.floor(r.start / 1000) * 1000 <= fromMs && Math.ceil(r.end / 1000) * 1000 >= toMs)
      if (run === undefined) throw new RangeNotRecordedError({ camera: camera.name, from, to })
      const cut = await cutSegments({ ffmpeg: init.ffmpeg, ffprobe: init.ffprobe, dir: index.dir, segments: run.segments, fromMs, toMs, out, ...(signal === undefined ? {} : { signal }) })
      return { start: cut.startMs / 1000, end: cut.endMs / 1000, bytes: cut.bytes, contentType: cut.contentType }
    },

    async thumbnail (camera: Camera, at: number) {
      const atMs = at * 1000
      // The segment the instant falls inside; at a boundary, the one starting there (the other has no frame left).
      const segment = (await index.segments(camera.name, atMs, atMs)).find((s) => s.start <= atMs && atMs < s.end)
      if (segment === undefined) return undefined
      return await segmentThumbnail({ ffmpeg: init.ffmpeg, cache: init.thumbnails }, join(index.dir, segment.file), atMs - segment.start)
    }
  }
}

// Which RangeSource answers for a camera, by its source's kind (rtsp: the node's own recordings; frigate:
// the NVR's API), and what the inbox and a consent ask of them: the overlaps of a request's window with
// their thumbnails, one thumbnail, and a cut into a temporary file. Nothing here sends anything off the node.
// A source that fails when asked is told as 'source:failed' (the metrics service counts it).
import { EventEmitter } from 'node:events'
import { mkdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { RecordingOverlap } from '../../protocol/index.js'
import type { PorchlightError } from '../../protocol/errors.js'
import { resolveRecording, type Camera, type CameraSource, type NodeConfig } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { Logger } from '../logging/index.js'
import { redactSource } from '../cameras/redact.js'
import { RangeSourceUnavailableError, ThumbnailNotFoundError } from './range-errors.js'
import { localRangeSource } from './local-range-source.js'
import type { Overlap, RangeSource } from './range-source.js'
import { ffmpegPath, ffprobePath, type RecordedSegments } from './segment-source.js'
import { pruneThumbnails } from './thumbnails.js'

/** Thumbnails per overlap: enough to tell a scene, few enough to make on the spot. */
export const THUMBNAILS_PER_OVERLAP = 3

export interface FootageRangesInit {
  /** The segment index of the node's recordings. @default the `recordings` service (part A) */
  segments?: RecordedSegments
  /**
   * Makes the range source of the Frigate cameras, handed where to report its failures (node/cameras/frigate.ts's
   * `frigateRangeSource`, which residentRole gives: one for all, it reads each camera's source per call).
   * Absent: a Frigate camera's ranges are refused (RANGE_SOURCE_UNAVAILABLE).
   */
  frigate?: (init: { onFailure: (camera: string, error: PorchlightError) => void }) => RangeSource
}

export interface FootageRangesEvents {
  /** A camera's source failed when asked (a Frigate that refused the token, timed out or answered nonsense). */
  'source:failed': [{ kind: CameraSource['kind'], camera: string, error: PorchlightError }]
}

export type FootageRangesComponents = Pick<NodeComponents, 'config' | 'dir' | 'store' | 'logger'> & {
  /** Part A's RecordingService (it is a RecordedSegments). */
  recordings?: RecordedSegments
}

/** A camera source kind with no range source here: every call is refused with a typed error. */
function unavailable (camera: Camera): RangeSource {
  const refuse = async (): Promise<never> => { throw new RangeSourceUnavailableError({ camera: camera.name, kind: camera.source?.kind }) }
  return { overlaps: refuse, cut: refuse }
}

/** The instants of an overlap's thumbnails: the middles of equal parts, so none falls on a run's ragged edge. */
export function thumbnailTimes (o: Overlap, count = THUMBNAILS_PER_OVERLAP): number[] {
  const n = o.duration >= count ? count : 1
  return Array.from({ length: n }, (_, i) => o.from + Math.floor((i + 0.5) * o.duration / n))
}

export class FootageRanges extends EventEmitter<FootageRangesEvents> implements NodeService {
  readonly #config: NodeConfig
  readonly #frigate: RangeSource | undefined
  readonly #segments: RecordedSegments | undefined
  readonly #log: Logger
  /** Where thumbnails are cached and cuts are made: beside the store, outside the recording directory. */
  readonly #workDir: string
  #local: RangeSource | undefined

  constructor (components: FootageRangesComponents, init: FootageRangesInit = {}) {
    super()
    this.#config = components.config
    this.#frigate = init.frigate?.({ onFailure: (camera, error) => { this.emit('source:failed', { kind: 'frigate', camera, error }) } })
    this.#segments = init.segments ?? components.recordings
    this.#log = components.logger.child({ component: 'ranges' })
    this.#workDir = components.dir ?? dirname(components.store.location)
  }

  get thumbnailDir (): string { return join(this.#workDir, 'thumbnails') }
  get cutDir (): string { return join(this.#workDir, 'cuts') }

  async start (): Promise<void> {
    // Cuts a crash left behind were never added to the clip store: nothing refers to them.
    await rm(this.cutDir, { recursive: true, force: true })
    await mkdir(this.cutDir, { recursive: true })
    const removed = await pruneThumbnails(this.thumbnailDir, resolveRecording(this.#config).retentionDays * 86_400_000)
    if (removed > 0) this.#log.info({ removed }, 'ranges: removed thumbnails older than the recordings are kept')
  }

  /** The camera's range source; undefined when its source records nothing the node can match (none, folder). */
  sourceFor (camera: Camera): RangeSource | undefined {
    switch (camera.source?.kind) {
      case 'rtsp':
        if (this.#segments === undefined) return unavailable(camera)
        this.#local ??= localRangeSource({
          index: this.#segments, ffmpeg: ffmpegPath(this.#config), ffprobe: ffprobePath(this.#config), thumbnails: this.thumbnailDir
        })
        return this.#local
      case 'frigate':
        return this.#frigate ?? unavailable(camera)
      default:
        return undefined
    }
  }

  /**
   * What each recording camera recorded inside [from, to], with its thumbnails' API paths (`pathOf(camera,
   * n)`, n counting the camera's thumbnails across its overlaps). A source that cannot answer now (Frigate
   * down) is logged and left out: the item still shows, and its other cameras.
   */
  async recordings (cameras: readonly Camera[], from: number, to: number, pathOf: (camera: string, n: number) => string): Promise<RecordingOverlap[]> {
    const out: RecordingOverlap[] = []
    for (const camera of cameras) {
      const source = this.sourceFor(camera)
      if (source === undefined) continue
      let overlaps: Overlap[]
      try { overlaps = await source.overlaps(camera, from, to) } catch (err) {
        this.#log.warn({ err, camera: camera.name, source: camera.source === undefined ? undefined : redactSource(camera.source) }, 'ranges: a camera\'s recordings could not be read')
        continue
      }
      let n = 0
      for (const o of overlaps) {
        const thumbnails = source.thumbnail === undefined ? [] : thumbnailTimes(o).map(() => pathOf(camera.name, n++))
        out.push({ ...o, thumbnails })
      }
    }
    return out
  }

  /** The n-th thumbnail of `camera`'s overlaps with [from, to], as `recordings` numbered them. */
  async thumbnail (camera: Camera, from: number, to: number, n: number): Promise<Uint8Array> {
    const source = this.sourceFor(camera)
    if (source?.thumbnail === undefined) throw new ThumbnailNotFoundError({ camera: camera.name, n })
    const at = (await source.overlaps(camera, from, to)).flatMap((o) => thumbnailTimes(o))[n]
    const image = at === undefined ? undefined : await source.thumbnail(camera, at)
    if (image === undefined) throw new ThumbnailNotFoundError({ camera: camera.name, n })
    return image
  }

  /** A fresh path for a cut in the node's cut directory (the caller removes it). */
  cutPath (): string {
    return join(this.cutDir, `${randomBytes(8).toString('hex')}.mp4`)
  }
}

/** The footage ranges for roleSetup('resident'). */
export function footageRanges (init: FootageRangesInit = {}): (components: FootageRangesComponents) => FootageRanges {
  return (components) => new FootageRanges(components, init)
}

// A Frigate NVR as a footage source, over Frigate's documented HTTP API (docs.frigate.video/integrations/api):
//   GET /api/version                                        plain text, e.g. `0.14.1-f4f3cfa`
//   GET /api/config                                         JSON; `cameras` maps each camera's name to its config
//   GET /api/<camera>/recordings?after=<s>&before=<s>       JSON list of recording segments (start_time, end_time, segment_size in MiB)
//   GET /api/<camera>/start/<t0>/end/<t1>/clip.mp4          the range remuxed (ffmpeg concat, -c copy) into one MP4, streamed
//   GET /api/<camera>/recordings/<t>/snapshot.jpg?height=   a JPEG of the recorded frame at t
// Matching reads the recording segments rather than events or review items: a Frigate that records
// continuously holds footage between detections, and a request asks what was recorded, not what Frigate
// found interesting (docs/cameras.md). Only `cut`, called after consent, fetches any video.
// The token goes as `Authorization: Bearer` (Frigate's authenticated port, 8971, takes its JWT so); a URL's
// user name and password (a proxy with basic auth in front of port 5000) go as `Authorization: Basic`.
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { once } from 'node:events'
import { LIMITS } from '../../protocol/limits/index.js'
import { isPorchlightError, type PorchlightError } from '../../protocol/errors.js'
import type { Camera, CameraSource } from '../config/index.js'
import type { Overlap, RangeSource } from '../recording/range-source.js'
import { redactUrl } from './redact.js'
import { ClipTooLargeError } from '../clips/errors.js'
import {
  FrigateNoRecordingError, FrigateNotRecordingError, FrigateUnknownCameraError, SourceBadAnswerError, SourceTimeoutError, SourceUnauthorizedError,
  SourceUnreachableError, WrongSourceKindError
} from './source-errors.js'

export type FrigateSource = Extract<CameraSource, { kind: 'frigate' }>

export interface FrigateClientInit {
  /**
   * How long to wait for an answer's headers, and the longest silence while its body arrives (an export
   * streams while Frigate's ffmpeg remuxes, so a long clip is not one deadline). @default 10_000
   */
  timeoutMs?: number
  /** An export larger than this is cut off and refused. @default LIMITS.consent.maxClipBytes */
  maxClipBytes?: number
}

/** One of Frigate's recording segments, as `GET /api/<camera>/recordings` answers it (times unix s). */
export interface FrigateRecording {
  start: number
  end: number
  /** MiB, as Frigate keeps it; absent on rows that lack it. */
  sizeMiB?: number
}

// A JSON answer is a few hundred bytes per segment: 12 h of 10 s segments is well under this.
const maxJsonBytes = 8 * 1024 * 1024
const maxSnapshotBytes = 4 * 1024 * 1024
/** Segments closer than this are one continuous run (Frigate's segments meet within a frame or two). */
const gapSeconds = 2

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The client for one Frigate source (one Frigate camera). */
export class FrigateClient {
  /** `host:port`: what messages and logs name. */
  readonly address: string
  readonly camera: string
  private readonly base: URL
  private readonly headers: Record<string, string>
  private readonly timeoutMs: number
  private readonly maxClipBytes: number

  constructor (source: FrigateSource, init: FrigateClientInit = {}) {
    if (!URL.canParse(source.url)) throw new SourceUnreachableError('frigate', redactUrl(source.url), 'not a URL')
    const url = new URL(source.url)
    this.address = url.host
    this.camera = source.camera
    this.timeoutMs = init.timeoutMs ?? 10_000
    this.maxClipBytes = init.maxClipBytes ?? LIMITS.consent.maxClipBytes
    this.headers = {}
    if (source.token !== undefined) this.headers.authorization = `Bearer ${source.token}`
    else if (url.username !== '') this.headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    // fetch refuses a URL with credentials; a reverse proxy's path prefix (`http://nas/frigate`) is kept.
    this.base = new URL(`${url.protocol}//${url.host}${url.pathname.replace(/\/?$/, '/')}`)
  }

  /** Frigate's version string; also the cheapest proof that it answers and accepts the token. */
  async version (): Promise<string> {
    const text = new TextDecoder().decode(await this.getBytes('api/version', maxJsonBytes)).trim()
    if (text === '' || text.length > 200) throw this.badAnswer('GET /api/version: not a version')
    return text
  }

  /** The names of the cameras Frigate is configured with. */
  async cameras (): Promise<string[]> {
    return Object.keys(await this.cameraConfigs())
  }

  /**
   * Throws FrigateUnknownCameraError unless Frigate has this source's camera, and FrigateNotRecordingError
   * when its config says it does not record it (nothing would ever match).
   */
  async checkCamera (): Promise<void> {
    const configs = await this.cameraConfigs()
    const config = configs[this.camera]
    if (config === undefined) throw new FrigateUnknownCameraError(this.camera, Object.keys(configs))
    if (isRecord(config) && isRecord(config.record) && config.record.enabled === false) throw new FrigateNotRecordingError(this.camera)
  }

  private async cameraConfigs (): Promise<Record<string, unknown>> {
    const config = await this.getJson('api/config')
    if (!isRecord(config) || !isRecord(config.cameras)) throw this.badAnswer('GET /api/config: no cameras object')
    return config.cameras
  }

  /** The recording segments overlapping [after, before] (unix s), in time order. */
  async recordings (after: number, before: number): Promise<FrigateRecording[]> {
    const answer = await this.getJson(`api/${encodeURIComponent(this.camera)}/recordings?after=${after}&before=${before}`, true)
    if (!Array.isArray(answer)) throw this.badAnswer('GET /api/<camera>/recordings: not a list')
    const rows = answer.map((row: unknown): FrigateRecording => {
      if (!isRecord(row) || typeof row.start_time !== 'number' || typeof row.end_time !== 'number' ||
        !Number.isFinite(row.start_time) || !Number.isFinite(row.end_time) || row.end_time < row.start_time) {
        throw this.badAnswer('GET /api/<camera>/recordings: a row without start_time ≤ end_time')
      }
      const size = typeof row.segment_size === 'number' && Number.isFinite(row.segment_size) && row.segment_size >= 0 ? row.segment_size : undefined
      return { start: row.start_time, end: row.end_time, ...(size === undefined ? {} : { sizeMiB: size }) }
    })
    return rows.sort((a, b) => a.start - b.start)
  }

  /** Streams Frigate's export of [from, to] to `out`; returns its size. A failed export leaves no file. */
  async exportClip (from: number, to: number, out: string, signal?: AbortSignal): Promise<number> {
    const path = `api/${encodeURIComponent(this.camera)}/start/${from}/end/${to}/clip.mp4`
    // `wx`: never over an existing file (and so never removing one that is not ours below).
    const file = createWriteStream(out, { flags: 'wx' })
    await once(file, 'open')
    try {
      let bytes = 0
      await this.request(path, { camera: true, signal, range: [from, to] }, async (res, idle) => {
        const length = Number(res.headers.get('content-length') ?? Number.NaN)
        if (length > this.maxClipBytes) throw new ClipTooLargeError(this.maxClipBytes, length)
        for await (const chunk of idle(res.body)) {
          bytes += chunk.byteLength
          if (bytes > this.maxClipBytes) throw new ClipTooLargeError(this.maxClipBytes, bytes)
          if (!file.write(chunk)) await once(file, 'drain')
        }
      })
      if (bytes === 0) throw this.badAnswer('GET clip.mp4: an empty clip')
      file.end()
      await once(file, 'finish')
      return bytes
    } catch (err) {
      file.destroy()
      await rm(out, { force: true })
      throw err
    }
  }

  /** A JPEG of the recorded frame at `at` (unix s), scaled to `height`; undefined where Frigate has none. */
  async snapshot (at: number, height = 180): Promise<Uint8Array | undefined> {
    try {
      return await this.getBytes(`api/${encodeURIComponent(this.camera)}/recordings/${at}/snapshot.jpg?height=${height}`, maxSnapshotBytes, true)
    } catch (err) {
      if (isPorchlightError(err, 'FrigateNoRecordingError')) return undefined
      throw err
    }
  }

  private badAnswer (reason: string): SourceBadAnswerError {
    return new SourceBadAnswerError('frigate', this.address, reason)
  }

  private async getJson (path: string, camera = false): Promise<unknown> {
    const bytes = await this.getBytes(path, maxJsonBytes, camera)
    try {
      return JSON.parse(new TextDecoder().decode(bytes))
    } catch {
      throw this.badAnswer(`GET /${path.split('?')[0]!}: not JSON`)
    }
  }

  private async getBytes (path: string, max: number, camera = false): Promise<Uint8Array> {
    return await this.request(path, { camera }, async (res, idle) => {
      const chunks: Uint8Array[] = []
      let size = 0
      for await (const chunk of idle(res.body)) {
        size += chunk.byteLength
        if (size > max) throw this.badAnswer(`GET /${path.split('?')[0]!}: larger than ${max} bytes`)
        chunks.push(chunk)
      }
      return Buffer.concat(chunks)
    })
  }

  /**
   * One GET: the timeout covers the wait for headers and each silence in the body (`idle` wraps the body's
   * reader); a status is turned into the typed error it means. `camera`: a 404 means the camera is unknown.
   */
  private async request<T> (
    path: string,
    opts: { camera: boolean, signal?: AbortSignal | undefined, range?: [number, number] },
    read: (res: Response, idle: (body: ReadableStream<Uint8Array> | null) => AsyncIterable<Uint8Array>) => Promise<T>
  ): Promise<T> {
    const controller = new AbortController()
    let timedOut = false
    let timer: NodeJS.Timeout | undefined
    const arm = (): void => {
      clearTimeout(timer)
      timer = setTimeout(() => { timedOut = true; controller.abort() }, this.timeoutMs)
    }
    const onAbort = (): void => { controller.abort(opts.signal?.reason) }
    opts.signal?.throwIfAborted()
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    const idle = async function * (body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
      if (body === null) return
      for await (const chunk of body) {
        arm()
        yield chunk
      }
    }
    arm()
    try {
      let res: Response
      try {
        res = await fetch(new URL(path, this.base), { headers: this.headers, signal: controller.signal, redirect: 'error' })
      } catch (err) {
        throw this.failure(err, timedOut, opts.signal)
      }
      try {
        if (res.status === 401 || res.status === 403) throw new SourceUnauthorizedError('frigate', this.address)
        if (res.status === 404 && opts.camera) throw await this.notFound(res, opts.range)
        // Frigate answers 400 `{ success: false }` when it has no recording in the range of an export.
        if (res.status === 400 && opts.range !== undefined) throw new FrigateNoRecordingError(this.camera, ...opts.range)
        if (res.status !== 200) throw this.badAnswer(`GET /${path.split('?')[0]!}: status ${res.status}`)
        return await read(res, idle)
      } catch (err) {
        await res.body?.cancel().catch(() => {})
        throw isPorchlightError(err) ? err : this.failure(err, timedOut, opts.signal)
      }
    } finally {
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
    }
  }

  /** A 404 on a camera's route: a camera Frigate does not have, or (a snapshot, an export) no recording there. */
  private async notFound (res: Response, range: [number, number] | undefined): Promise<PorchlightError> {
    await res.body?.cancel().catch(() => {})
    let known: string[]
    try {
      known = await this.cameras()
    } catch {
      known = []
    }
    if (known.includes(this.camera)) return new FrigateNoRecordingError(this.camera, ...(range ?? [0, 0]))
    return new FrigateUnknownCameraError(this.camera, known)
  }

  private failure (err: unknown, timedOut: boolean, signal: AbortSignal | undefined): unknown {
    if (timedOut) return new SourceTimeoutError('frigate', this.address, this.timeoutMs)
    if (signal?.aborted === true) return signal.reason
    const cause = (err as { cause?: { code?: string } }).cause
    return new SourceUnreachableError('frigate', this.address, cause?.code ?? 'no answer', err)
  }
}

/** Runs of recording inside [from, to] (unix s): segments clipped to the window, joined across gaps ≤ 2 s. */
export function overlapsOf (camera: string, recordings: readonly FrigateRecording[], from: number, to: number): Overlap[] {
  const runs: Array<{ from: number, to: number, bytes: number }> = []
  for (const r of recordings) {
    const start = Math.max(from, r.start)
    const end = Math.min(to, r.end)
    if (end <= start) continue
    // A clipped segment counts the part of its size it covers.
    const bytes = r.sizeMiB === undefined || r.end === r.start ? 0 : r.sizeMiB * 1024 * 1024 * (end - start) / (r.end - r.start)
    const last = runs.at(-1)
    if (last !== undefined && start - last.to <= gapSeconds) {
      last.to = Math.max(last.to, end)
      last.bytes += bytes
    } else {
      runs.push({ from: start, to: end, bytes })
    }
  }
  // Whole seconds, as clips are: a run is widened to the seconds it touches, never beyond the window.
  return runs.map((run) => {
    const start = Math.max(from, Math.floor(run.from))
    const end = Math.min(to, Math.ceil(run.to))
    return { camera, from: start, to: end, duration: end - start, estimatedBytes: Math.round(run.bytes) }
  })
}

export interface FrigateRangeSourceInit extends FrigateClientInit {
  /** Told of every typed failure (for the node's figures and logs); the failure is thrown as well. */
  onFailure?: (camera: string, error: PorchlightError) => void
}

function frigateSourceOf (camera: Camera): FrigateSource {
  if (camera.source?.kind !== 'frigate') throw new WrongSourceKindError(camera.name, 'frigate', camera.source?.kind)
  return camera.source
}

/**
 * The RangeSource of cameras whose source is Frigate. A client is made per call from the camera's current
 * source, so an edited source (a new token) is used at once.
 */
export function frigateRangeSource (init: FrigateRangeSourceInit = {}): RangeSource {
  const { onFailure, ...clientInit } = init
  const client = (camera: Camera): FrigateClient => new FrigateClient(frigateSourceOf(camera), clientInit)
  const reported = async <T>(camera: Camera, run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (err) {
      if (isPorchlightError(err)) onFailure?.(camera.name, err)
      throw err
    }
  }
  return {
    async overlaps (camera, from, to) {
      return await reported(camera, async () => overlapsOf(camera.name, await client(camera).recordings(from, to), from, to))
    },
    async cut (camera, from, to, out, signal) {
      return await reported(camera, async () => {
        const frigate = client(camera)
        // Asked of the recordings first, so the clip's times say what it holds (not what was asked), and a
        // range Frigate no longer has is refused before any export starts.
        const runs = overlapsOf(camera.name, await frigate.recordings(from, to), from, to)
        if (runs.length === 0) throw new FrigateNoRecordingError(camera.name, from, to)
        const start = runs[0]!.from
        const end = runs.at(-1)!.to
        const bytes = await frigate.exportClip(start, end, out, signal)
        return { start, end, bytes, contentType: 'video/mp4' }
      })
    },
    async thumbnail (camera, at) {
      return await reported(camera, async () => await client(camera).snapshot(Math.round(at)))
    }
  }
}

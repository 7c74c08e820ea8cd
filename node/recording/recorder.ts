// One camera's ffmpeg: reads the RTSP stream over TCP and copies it (no re-encode) into MPEG-TS segments of
// about `segmentSeconds`, cut at keyframes. ffmpeg's segment list (CSV on its stdout) names a segment only
// once it is closed, so whoever follows 'segment' never sees a partial file. A stream that ends, fails or
// stalls ends the run; the recorder starts a new one with backoff, and the gap is simply no segments.
// ffmpeg's stderr echoes the URL (with its credentials): every line is redacted before it goes anywhere.
import { spawn, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { PorchlightError } from '../../protocol/errors.js'
import type { Logger } from '../logging/index.js'
import { redactUrl } from '../cameras/redact.js'
import { setprivPath } from './binaries.js'
import { CameraUnreachableError, RecorderStalledError } from './errors.js'
import type { RecorderStatus } from './types.js'

export interface RecorderInit {
  camera: string
  url: string
  ffmpeg: string
  /** This camera's folder (absolute); segment files are made here. */
  dir: string
  segmentSeconds: number
  now: () => number
  /** No segment closed for this long: the run is killed and restarted. */
  stallMs: number
  /** Restart delays: doubling from `min` up to `max` while runs keep failing. */
  backoffMs: { min: number, max: number }
  logger: Logger
}

/** A segment ffmpeg closed, timed on the node's clock (unix ms). `file` is its name in the camera's folder. */
export interface ClosedSegment { file: string, start: number, end: number }

export interface RecorderEvents {
  segment: [ClosedSegment]
  status: [RecorderStatus]
  /** A new ffmpeg run after one ended (not the first). */
  restarted: []
}

/** How many recent closes the clock mapping looks back over (see `#toNodeClock`). */
const offsetWindow = 8
const segmentName = /^\d+-\d{6}\.ts$/
/** Grace between SIGTERM (ffmpeg writes its trailer and lists the last segment) and SIGKILL. */
const killGraceMs = 3000

export class Recorder extends EventEmitter<RecorderEvents> {
  readonly camera: string
  readonly url: string
  readonly #init: RecorderInit
  readonly #source: string
  readonly #secrets: string[]
  #status: RecorderStatus
  #child: ChildProcess | undefined
  #exited: Promise<void> = Promise.resolve()
  #wanted = false
  #failures = 0
  #restartTimer: NodeJS.Timeout | undefined
  #stallTimer: NodeJS.Timeout | undefined
  #runs = 0

  constructor (init: RecorderInit) {
    super()
    this.#init = init
    this.camera = init.camera
    this.url = init.url
    this.#source = redactUrl(init.url)
    this.#secrets = secretsOf(init.url)
    this.#status = { state: 'stopped', since: init.now() }
  }

  get status (): RecorderStatus {
    return this.#status
  }

  /** Starts recording (again, after `stop` or `pause`). */
  start (): void {
    if (this.#wanted) return
    this.#wanted = true
    this.#failures = 0
    this.#setStatus({ state: 'connecting', since: this.#init.now() })
    this.#spawn()
  }

  /** Stops recording; the open segment is closed and listed (ffmpeg writes its trailer on SIGTERM). */
  async stop (state: 'stopped' | 'disk-full' = 'stopped', error?: PorchlightError): Promise<void> {
    this.#wanted = false
    clearTimeout(this.#restartTimer)
    this.#kill()
    await this.#exited
    this.#setStatus({ state, since: this.#init.now(), ...this.#last(), ...(error === undefined ? {} : { error: { code: error.code, message: error.shortMessage } }) })
  }

  #spawn (): void {
    const { ffmpeg, dir, segmentSeconds, url, now } = this.#init
    const run = `${now()}-`
    const args = [
      '-hide_banner', '-nostdin', '-loglevel', 'warning',
      '-rtsp_transport', 'tcp', '-i', url,
      // Video, and audio where the camera sends it; copied as they come.
      '-map', '0:v', '-map', '0:a?', '-c', 'copy',
      '-f', 'segment', '-segment_time', String(segmentSeconds), '-segment_format', 'mpegts', '-reset_timestamps', '1',
      '-segment_list', 'pipe:1', '-segment_list_type', 'csv',
      // Relative to cwd: the recording directory's path may hold a '%', which the pattern would take as a field.
      `${run}%06d.ts`
    ]
    const setpriv = setprivPath()
    const child = setpriv === undefined
      ? spawn(ffmpeg, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(setpriv, ['--pdeathsig', 'KILL', '--', ffmpeg, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    this.#child = child
    if (this.#runs++ > 0) this.emit('restarted')
    const offsets: number[] = []
    const listed = new Set<string>()
    const lastWords: string[] = []
    let stalled = false
    const armStall = (): void => {
      clearTimeout(this.#stallTimer)
      this.#stallTimer = setTimeout(() => {
        stalled = true
        this.#kill()
      }, this.#init.stallMs)
    }
    armStall()
    createInterface({ input: child.stdout }).on('line', (line) => {
      const closedAt = now()
      const [file, startText, endText] = line.split(',')
      const start = Number(startText)
      const end = Number(endText)
      if (file === undefined || !segmentName.test(file) || !Number.isFinite(start) || !Number.isFinite(end)) return
      listed.add(file)
      // ffmpeg closes a segment when the first packet past its end arrives: the close time minus the stream
      // time of its end is the mapping from stream time to the node's clock, plus a delay that is never
      // negative. The smallest over the last few closes drops a late one (the last segment, listed only when a
      // stalled run is stopped), and a window keeps the camera's clock drift from adding up over days.
      offsets.push(closedAt - end * 1000)
      if (offsets.length > offsetWindow) offsets.shift()
      const offset = Math.min(...offsets)
      this.#failures = 0
      armStall()
      this.emit('segment', { file, start: Math.round(offset + start * 1000), end: Math.round(offset + end * 1000) })
      const since = this.#status.state === 'recording' ? this.#status.since : closedAt
      this.#setStatus({ state: 'recording', since, lastSegmentAt: closedAt })
    })
    createInterface({ input: child.stderr }).on('line', (raw) => {
      const line = this.#redact(raw)
      lastWords.push(line)
      if (lastWords.length > 4) lastWords.shift()
      this.#init.logger.debug({ component: 'recording', ffmpeg: line }, 'recording: ffmpeg said')
    })
    this.#exited = new Promise((resolve) => {
      child.on('error', (err) => { lastWords.push(this.#redact(err.message)) })
      child.on('close', (code) => {
        clearTimeout(this.#stallTimer)
        this.#child = undefined
        void this.#removeUnlisted(run, listed).finally(() => {
          resolve()
          if (!this.#wanted) return
          const error = stalled
            ? new RecorderStalledError(this.#source, this.#init.stallMs)
            : new CameraUnreachableError(this.#source, lastWords.at(-1) ?? 'the stream ended', code)
          this.#init.logger.warn({ component: 'recording', err: error, exitCode: code, ffmpeg: lastWords }, 'recording: ffmpeg run ended')
          this.#failed(error)
        })
      })
    })
  }

  #failed (error: PorchlightError): void {
    const since = this.#status.state === 'unreachable' ? this.#status.since : this.#init.now()
    this.#setStatus({ state: 'unreachable', since, ...this.#last(), error: { code: error.code, message: error.shortMessage } })
    const { min, max } = this.#init.backoffMs
    const delay = Math.min(max, min * 2 ** this.#failures++)
    this.#restartTimer = setTimeout(() => { if (this.#wanted) this.#spawn() }, delay)
  }

  /** A killed run leaves its open segment behind, never listed: it goes, so the folder holds only indexed files. */
  async #removeUnlisted (run: string, listed: ReadonlySet<string>): Promise<void> {
    let names: string[]
    try { names = await readdir(this.#init.dir) } catch { return }
    await Promise.all(names.filter((n) => n.startsWith(run) && !listed.has(n)).map(async (n) => { await rm(join(this.#init.dir, n), { force: true }) }))
  }

  #kill (): void {
    const child = this.#child
    if (child === undefined) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), killGraceMs)
    child.once('close', () => { clearTimeout(timer) })
  }

  #last (): Pick<RecorderStatus, 'lastSegmentAt'> {
    return this.#status.lastSegmentAt === undefined ? {} : { lastSegmentAt: this.#status.lastSegmentAt }
  }

  #setStatus (status: RecorderStatus): void {
    this.#status = status
    this.emit('status', status)
  }

  /** Every URL in the line redacted, and the credentials themselves wherever ffmpeg quoted them decoded. */
  #redact (line: string): string {
    let out = line.replace(/rtsps?:\/\/\S+/gi, (url) => redactUrl(url))
    for (const secret of this.#secrets) out = out.split(secret).join('***')
    return out
  }
}

function secretsOf (url: string): string[] {
  if (!URL.canParse(url)) return []
  const u = new URL(url)
  // The URL itself is always redacted whole; this catches credentials ffmpeg quotes on their own. A one- or
  // two-letter name would shred every word it occurs in, and says next to nothing.
  return [...new Set([u.username, u.password, safeDecode(u.username), safeDecode(u.password)])].filter((s) => s.length >= 3)
}

function safeDecode (text: string): string {
  try { return decodeURIComponent(text) } catch { return text }
}

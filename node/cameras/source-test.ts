// "Does this camera source work?", answered in plain words for `porchlight cameras test` and the UI's Test
// button (POST /api/cameras/test). An RTSP camera is probed with ffprobe (what the recorder will read); a
// Frigate source must answer its version and have the camera; a folder must exist and be one the node can
// read and write (the import moves files into done/ and failed/). Nothing is recorded or stored.
// ffprobe echoes the URL it was given, password and all: its words are redacted before they go anywhere.
import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { isPorchlightError, type PorchlightError } from '../../protocol/errors.js'
import type { CameraSource } from '../config/index.js'
import type { SourceTestDetails, SourceTestResult } from '../../protocol/api/cameras.js'
import { FrigateClient } from './frigate.js'
import { redactUrl } from './redact.js'
import {
  SourceFolderError, SourceProbeFailedError, SourceStreamNotFoundError, SourceTimeoutError, SourceUnauthorizedError,
  SourceUnreachableError
} from './source-errors.js'

export type { SourceTestDetails, SourceTestResult }

export interface SourceTestOptions {
  /** The ffprobe binary (node/recording/binaries.ts `ffprobePath`). */
  ffprobe: string
  /** The longest the test may take. */
  timeoutMs: number
  /** A relative folder path is taken from here (the node's directory). @default the working directory */
  dir?: string
}

/** Tests a source; never throws for what the source does wrong (that is the answer), only for bugs. */
export async function testSource (source: CameraSource, opts: SourceTestOptions): Promise<SourceTestResult> {
  try {
    switch (source.kind) {
      case 'rtsp': return { ok: true, details: await probeRtsp(source.url, opts) }
      case 'frigate': {
        const frigate = new FrigateClient(source, { timeoutMs: opts.timeoutMs })
        const version = await frigate.version()
        await frigate.checkCamera()
        return { ok: true, details: { version } }
      }
      case 'folder':
        await checkFolder(folderPathOf(source, opts.dir))
        return { ok: true, details: {} }
    }
  } catch (err) {
    if (!isPorchlightError(err)) throw err
    return { ok: false, error: { code: err.code, message: err.message } }
  }
}

/** A folder source's absolute path: a relative one is inside the node's directory. */
export function folderPathOf (source: Extract<CameraSource, { kind: 'folder' }>, dir: string | undefined): string {
  return resolve(dir ?? '.', source.path)
}

/** Throws SourceFolderError unless `path` is a directory the node can read and write. */
export async function checkFolder (path: string): Promise<void> {
  let info
  try {
    info = await stat(path)
  } catch (err) {
    throw new SourceFolderError(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'not-accessible', err)
  }
  if (!info.isDirectory()) throw new SourceFolderError(path, 'not-a-directory')
  try {
    await access(path, constants.R_OK | constants.W_OK | constants.X_OK)
  } catch (err) {
    throw new SourceFolderError(path, 'not-accessible', err)
  }
}

/** `host:port` of an RTSP URL (554 when it names none). */
function rtspAddress (url: URL): string {
  return `${url.hostname}:${url.port === '' ? '554' : url.port}`
}

/** ffprobe's words with every trace of the URL's credentials taken out. */
export function redactProbeOutput (text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url))
  if (URL.canParse(url)) {
    const { password } = new URL(url)
    for (const secret of [password, decodeURIComponent(password)]) {
      if (secret !== '') out = out.split(secret).join('***')
    }
  }
  // Any other `scheme://user:pass@` ffprobe prints (a redirect's URL).
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1')
}

function frameRate (text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined
  const [n, d] = text.split('/').map(Number)
  if (n === undefined || d === undefined || !Number.isFinite(n) || !Number.isFinite(d) || n <= 0 || d <= 0) return undefined
  return Math.round((n / d) * 100) / 100
}

/** Which typed error ffprobe's (redacted) stderr means. */
function probeFailure (stderr: string, url: URL): PorchlightError {
  const address = rtspAddress(url)
  if (/401 Unauthorized/i.test(stderr)) return new SourceUnauthorizedError('rtsp', address)
  if (/404 Not Found/i.test(stderr)) return new SourceStreamNotFoundError(address, url.pathname)
  if (/Connection refused/i.test(stderr)) return new SourceUnreachableError('rtsp', address, 'connection refused')
  if (/No route to host|Network is unreachable/i.test(stderr)) return new SourceUnreachableError('rtsp', address, 'no route to host')
  if (/Name or service not known|Temporary failure in name resolution|Failed to resolve/i.test(stderr)) return new SourceUnreachableError('rtsp', address, 'no such host')
  const last = stderr.trim().split('\n').at(-1)?.trim() ?? ''
  return new SourceProbeFailedError(address, last === '' ? 'ffprobe failed' : last.slice(0, 300))
}

/** ffprobe's view of the URL's first video stream; typed errors in plain words otherwise. */
export async function probeRtsp (rawUrl: string, opts: Pick<SourceTestOptions, 'ffprobe' | 'timeoutMs'>): Promise<SourceTestDetails> {
  if (!URL.canParse(rawUrl)) throw new SourceProbeFailedError(redactUrl(rawUrl), 'not a URL')
  const url = new URL(rawUrl)
  const address = rtspAddress(url)
  // No `-timeout`: its meaning differs between ffmpeg versions (before 5.0 it made rtsp *listen*); the
  // timer below bounds every version the same way.
  const child = spawn(opts.ffprobe, [
    '-v', 'error', '-rtsp_transport', 'tcp',
    '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,avg_frame_rate,r_frame_rate',
    '-of', 'json', rawUrl
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { if (stdout.length < 1_000_000) stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { if (stderr.length < 100_000) stderr += d.toString() })
  let timedOut = false
  const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL') }, opts.timeoutMs)
  const exit = await new Promise<number | null | Error>((resolve) => {
    child.on('error', resolve)
    child.on('close', (code) => { resolve(code) })
  }).finally(() => { clearTimeout(timer) })
  if (exit instanceof Error) throw new SourceProbeFailedError(address, `cannot run ffprobe (${(exit as NodeJS.ErrnoException).code ?? 'error'})`)
  if (timedOut) throw new SourceTimeoutError('rtsp', address, opts.timeoutMs)
  if (exit !== 0) throw probeFailure(redactProbeOutput(stderr, rawUrl), url)
  let stream: Record<string, unknown> | undefined
  try {
    stream = (JSON.parse(stdout) as { streams?: Array<Record<string, unknown>> }).streams?.[0]
  } catch {
    throw new SourceProbeFailedError(address, 'ffprobe printed no JSON')
  }
  if (stream === undefined) throw new SourceProbeFailedError(address, 'the stream has no video')
  const fps = frameRate(stream.avg_frame_rate) ?? frameRate(stream.r_frame_rate)
  return {
    ...(typeof stream.codec_name === 'string' ? { codec: stream.codec_name } : {}),
    ...(typeof stream.width === 'number' ? { width: stream.width } : {}),
    ...(typeof stream.height === 'number' ? { height: stream.height } : {}),
    ...(fps === undefined ? {} : { fps })
  }
}

// A STAND-IN FOR FRIGATE, not Frigate: Frigate ships as a container and cannot run here, so the tests talk
// to this HTTP server, which answers the endpoints of Frigate's documented HTTP API that Porchlight uses
// (docs.frigate.video/integrations/api) in Frigate's shapes, and serves real MP4 files remuxed by ffmpeg the
// way Frigate's own export does (concat demuxer with inpoint/outpoint, `-c copy`, fragmented MP4 streamed):
//   GET /api/version, GET /api/config, GET /api/<camera>/recordings?after=&before=,
//   GET /api/<camera>/start/<t0>/end/<t1>/clip.mp4, GET /api/<camera>/recordings/<t>/snapshot.jpg?height=
// With a token set it answers 401 to a request without `Authorization: Bearer <token>`, as Frigate's
// authenticated port does. `hang` makes it accept requests and never answer (a wedged NVR).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ffmpegPath } from '../../node/recording/binaries.js'

// The ffmpeg the node itself would run (node/recording/binaries.ts).
const ffmpeg = ffmpegPath({})

/** One recorded MP4 file of a camera, covering [start, end] (unix s). */
export interface StandinRecording {
  camera: string
  start: number
  end: number
  file: string
}

export interface FrigateStandinInit {
  cameras: string[]
  recordings?: StandinRecording[]
  token?: string
  /** Basic auth instead (a reverse proxy in front of Frigate's port 5000). */
  basic?: { user: string, password: string }
  /** Served under this path prefix (a reverse proxy's `/frigate`). @default '' */
  basePath?: string
  /** Accept every request and never answer. */
  hang?: boolean
  /** Cameras Frigate has but does not record (`record.enabled: false` in its config). */
  notRecording?: string[]
  /** Frigate keeps recordings in segments of this many seconds. @default 10 */
  segmentSeconds?: number
}

export interface FrigateStandin {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** Every request's method and path (with query), in order. */
  requests: string[]
  close: () => Promise<void>
}

type Test = { after: (fn: () => Promise<void>) => void }

function json (res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

/** Starts the stand-in on a free loopback port; it is closed when the test ends, however it ends. */
export async function startFrigateStandin (t: Test, init: FrigateStandinInit): Promise<FrigateStandin> {
  const recordings = init.recordings ?? []
  const segment = init.segmentSeconds ?? 10
  const requests: string[] = []
  const sockets = new Set<Socket>()
  const children = new Set<ReturnType<typeof spawn>>()
  const work = await mkdtemp(join(tmpdir(), 'frigate-standin-'))

  // Frigate's recordings table: each file split into segments of `segment` seconds.
  const segments = (camera: string): Array<{ start: number, end: number, file: string, offset: number, sizeMiB: number }> =>
    recordings.filter((r) => r.camera === camera).flatMap((r) => {
      const rows = []
      for (let s = r.start; s < r.end; s += segment) {
        const end = Math.min(r.end, s + segment)
        rows.push({ start: s, end, file: r.file, offset: s - r.start, sizeMiB: 0.1 * (end - s) })
      }
      return rows
    })

  const stream = (res: ServerResponse, type: string, args: string[]): void => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'ignore'] })
    children.add(child)
    child.on('exit', () => children.delete(child))
    res.writeHead(200, { 'content-type': type })
    child.stdout.pipe(res)
    res.on('close', () => { if (child.exitCode === null) child.kill('SIGKILL') })
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests.push(`${req.method} ${req.url}`)
    if (init.hang === true) return
    if (init.token !== undefined && req.headers.authorization !== `Bearer ${init.token}`) {
      json(res, 401, { success: false, message: 'Unauthorized' })
      return
    }
    if (init.basic !== undefined && req.headers.authorization !== `Basic ${Buffer.from(`${init.basic.user}:${init.basic.password}`).toString('base64')}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="frigate"' }).end()
      return
    }
    const prefix = init.basePath ?? ''
    if (!(req.url ?? '/').startsWith(`${prefix}/`)) return json(res, 404, { detail: 'Not Found' })
    const url = new URL((req.url ?? '/').slice(prefix.length), 'http://standin')
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent)
    if (req.method !== 'GET' || parts[0] !== 'api') return json(res, 404, { detail: 'Not Found' })
    if (url.pathname === '/api/version') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('0.14.1-standin')
      return
    }
    if (url.pathname === '/api/config') {
      return json(res, 200, { cameras: Object.fromEntries(init.cameras.map((c) => [c, { enabled: true, detect: { width: 1280, height: 720, fps: 5 }, record: { enabled: init.notRecording?.includes(c) !== true } }])) })
    }
    const camera = parts[1]!
    // Frigate's camera routes answer 404 for a camera it does not have.
    if (!init.cameras.includes(camera)) return json(res, 404, { success: false, message: 'Camera not found' })
    const rows = segments(camera)
    if (parts.length === 3 && parts[2] === 'recordings') {
      const after = Number(url.searchParams.get('after'))
      const before = Number(url.searchParams.get('before'))
      const hits = rows.filter((r) => r.end >= after && r.start <= before)
      return json(res, 200, hits.map((r, i) => ({ id: `${r.start}.0-${i}`, start_time: r.start, end_time: r.end, segment_size: r.sizeMiB, motion: 0, objects: 0, duration: r.end - r.start })))
    }
    if (parts.length === 7 && parts[2] === 'start' && parts[4] === 'end' && parts[6] === 'clip.mp4') {
      const from = Number(parts[3])
      const to = Number(parts[5])
      const hits = rows.filter((r) => (r.start >= from && r.start <= to) || (r.end >= from && r.end <= to) || (from > r.start && to < r.end))
      if (hits.length === 0) return json(res, 400, { success: false, message: 'No recordings found for the specified time range' })
      // As Frigate writes its playlist: each segment a file with inpoint/outpoint (here an offset into one file).
      const list = join(work, `playlist-${requests.length}.txt`)
      await writeFile(list, hits.map((r) => {
        const inpoint = r.offset + Math.max(0, Math.trunc(from - r.start))
        const outpoint = r.offset + Math.min(r.end - r.start, Math.trunc(to - r.start))
        return `file '${r.file}'\ninpoint ${inpoint}\noutpoint ${outpoint}\n`
      }).join(''))
      stream(res, 'video/mp4', ['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-movflags', 'frag_keyframe+empty_moov', '-f', 'mp4', 'pipe:1'])
      return
    }
    if (parts.length === 5 && parts[2] === 'recordings' && parts[4] === 'snapshot.jpg') {
      const at = Number(parts[3])
      const hit = rows.find((r) => r.start <= at && at <= r.end)
      if (hit === undefined) return json(res, 404, { success: false, message: 'Recording not found at requested time' })
      const height = Number(url.searchParams.get('height') ?? '180')
      stream(res, 'image/jpeg', ['-ss', String(hit.offset + at - hit.start), '-i', hit.file, '-frames:v', '1', '-vf', `scale=-2:${height}`, '-f', 'mjpeg', 'pipe:1'])
      return
    }
    json(res, 404, { detail: 'Not Found' })
  }

  const server = createServer((req, res) => { handle(req, res).catch((err: Error) => { res.destroy(err) }) })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  let closed: Promise<void> | undefined
  const close = async (): Promise<void> => {
    closed ??= (async () => {
      for (const child of children) child.kill('SIGKILL')
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close').catch(() => {})
      await rm(work, { recursive: true, force: true })
    })()
    await closed
  }
  t.after(close)
  return { url: `http://127.0.0.1:${port}`, requests, close }
}

/**
 * Makes an H.264 MP4 of `seconds` from ffmpeg's lavfi test source, one keyframe a second (`fps` frames), so
 * a cut's keyframe alignment is easy to check.
 */
export async function makeTestMp4 (path: string, seconds: number, opts: { size?: string, fps?: number } = {}): Promise<string> {
  const fps = opts.fps ?? 10
  const child = spawn(ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${opts.size ?? '320x240'}:rate=${fps}:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(fps), '-keyint_min', String(fps), '-sc_threshold', '0',
    path
  ], { stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  child.stderr.on('data', (d: Buffer) => { err += d.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  if (code !== 0) throw new Error(`ffmpeg could not make ${path}: ${err}`)
  return path
}

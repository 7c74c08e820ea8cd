// Continuous recording of one 1080p RTSP stream (test/support/rtsp-server.py: GStreamer, H.264 1080p at 15 fps,
// 4 Mbit/s, a keyframe a second): the CPU of the recording service's ffmpeg child (from /proc, user + system
// time, in % of one core) beside ffmpeg alone doing the same copy into the same segments, reading the same
// shared stream in the same run; and the bytes the recorder wrote to disk against the H.264 it carried (the
// packets' sizes as ffprobe counts them in the segments): what MPEG-TS costs on top of the source bitrate.
// The camera itself (x264 encoding 1080p) runs on the same machine and is not counted.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import { parseConfig } from '../node/config/index.js'
import { createLogger } from '../node/logging/index.js'
import { openStore } from '../node/storage/index.js'
import { RecordingService, ffmpegPath, ffprobePath, type SegmentRecord } from '../node/recording/index.js'
import { childrenNamed } from '../test/helpers/process-tree.js'
import { RtspTestServer } from '../test/support/rtsp-server.js'
import { median, type BenchContext } from './lib.js'

const run = promisify(execFile)
/** Linux's USER_HZ: /proc times are in these ticks (getconf CLK_TCK says 100 on every Linux we run). */
const TICKS_PER_SECOND = 100

async function cpuTicks (pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12]) // utime, stime (fields 14 and 15 of the line)
}

/** % of one core each pid used over `ms`. */
async function cpuPercent (pids: number[], ms: number): Promise<number[]> {
  const before = await Promise.all(pids.map(cpuTicks))
  const start = performance.now()
  await delay(ms)
  const after = await Promise.all(pids.map(cpuTicks))
  const seconds = (performance.now() - start) / 1000
  return pids.map((_, i) => (after[i]! - before[i]!) / TICKS_PER_SECOND / seconds * 100)
}

async function h264Bytes (ffprobe: string, file: string): Promise<number> {
  const { stdout } = await run(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=size', '-of', 'csv=p=0', file], { maxBuffer: 64 * 2 ** 20 })
  // One `size,` line per packet (and empty lines for side data).
  return stdout.split('\n').map((l) => Number.parseInt(l, 10)).filter(Number.isFinite).reduce((sum, n) => sum + n, 0)
}

export default async function (ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 2 : 5
  const windowMs = ctx.quick ? 5000 : 10_000
  const cleanups: Array<() => Promise<void> | void> = []
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-bench-recording-'))
  cleanups.push(async () => { await rm(dir, { recursive: true, force: true }) })
  let alone: ChildProcess | undefined
  try {
    const server = await RtspTestServer.start({ after: (fn) => { cleanups.push(fn) } }, { width: 1920, height: 1080, fps: 15, keyint: 1, bitrate: 4000 })
    const store = await openStore(dir)
    cleanups.push(async () => { await store.close() })
    const config = parseConfig({ version: 1, role: 'resident', name: 'bench', cameras: [{ name: 'porch', lat: 40.7, lng: -74, source: { kind: 'rtsp', url: server.url() } }], recording: { segmentSeconds: 10 } })
    const service = new RecordingService({ config, dir, store, logger: createLogger({ level: 'warn' }) })
    const written: SegmentRecord[] = []
    service.on('segment', (r) => { written.push(r) })
    await service.start()
    cleanups.push(async () => { await service.stop() })
    const aloneDir = await mkdtemp(join(tmpdir(), 'porchlight-bench-ffmpeg-'))
    cleanups.push(async () => { await rm(aloneDir, { recursive: true, force: true }) })
    alone = spawn(ffmpegPath(config), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', server.url(), '-map', '0:v', '-c', 'copy',
      '-f', 'segment', '-segment_time', '10', '-segment_format', 'mpegts', '-reset_timestamps', '1', '%06d.ts'], { cwd: aloneDir, stdio: 'ignore' })
    const aloneChild = alone
    cleanups.push(async () => { if (aloneChild.exitCode === null) { const exited = once(aloneChild, 'exit'); aloneChild.kill('SIGTERM'); await exited } })
    // Both are reading once the recorder has closed its first segment (the first keyframe came).
    await once(service, 'segment')
    const recorder = (await childrenNamed(process.pid, 'ffmpeg')).find((pid) => pid !== aloneChild.pid)
    if (recorder === undefined || aloneChild.pid === undefined) throw new Error('no ffmpeg to measure')
    const ours: number[] = []
    const theirs: number[] = []
    for (let r = 0; r < rounds; r++) {
      const [a, b] = await cpuPercent([recorder, aloneChild.pid], windowMs)
      ours.push(a!)
      theirs.push(b!)
    }
    const load = loadavg()[0]!
    const ffprobe = ffprobePath(config)
    const disk = written.reduce((n, s) => n + s.bytes, 0)
    let payload = 0
    for (const s of written) payload += await h264Bytes(ffprobe, join(service.dir, s.file))
    const seconds = written.reduce((n, s) => n + (s.end - s.start) / 1000, 0)
    const section = 'recording'
    const note = `1080p15 H.264 at 4 Mbit/s from GStreamer on this machine; ${rounds} windows of ${windowMs / 1000} s; load average ${load.toFixed(1)}`
    ctx.row({ section, figure: 'recorder CPU per 1080p stream (copy only)', value: median(ours), unit: '% of a core', baseline: { label: 'ffmpeg alone, same copy, same stream', value: median(theirs) }, better: 'lower', goal: '≤ 2 % of a core', met: median(ours) <= 2, note })
    ctx.row({ section, figure: 'disk written vs the H.264 it carries', value: disk / seconds / 125_000, unit: 'Mbit/s', baseline: { label: 'H.264 packets in the same segments', value: payload / seconds / 125_000 }, better: 'lower', goal: '≈ 1.0× the source', met: disk / payload <= 1.1, note: `${written.length} segments, ${seconds.toFixed(0)} s` })
    const left = await readdir(join(service.dir))
    if (left.length === 0) throw new Error('the recorder wrote nothing')
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
}

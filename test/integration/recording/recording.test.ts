// Continuous recording against a real RTSP server (GStreamer's, test/support/rtsp-server.py) and a real ffmpeg:
// segments closed and indexed, copied without re-encoding; a camera that drops out and comes back leaves a gap;
// a node killed with SIGKILL leaves an index that names no missing or partial file; the disk floor stops and
// resumes recording; credentials never reach the log, the status or /metrics.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { once, type EventEmitter } from 'node:events'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Registry } from 'prom-client'
import { parseConfig, type NodeConfig } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { openStore, type Store } from '../../../node/storage/index.js'
import { RecordingService, cameraFolder, ffprobePath, type RecorderStatus, type RecordingInit, type SegmentRecord } from '../../../node/recording/index.js'
import { recordingMetrics } from '../../../node/metrics/recording.js'
import { RtspTestServer } from '../../support/rtsp-server.js'
import { createNode, residentRole } from '../../../node/index.js'
import { childrenNamed, descendantsOf, isAlive } from '../../helpers/process-tree.js'

const run = promisify(execFile)
const CHILD = fileURLToPath(new URL('../../fixtures/recording-child.ts', import.meta.url))
const PASSWORD = 'pw-0f3a9c-never-logged'

interface Fixture { dir: string, store: Store, config: NodeConfig, service: RecordingService, logs: string[], registry: Registry }

async function fixture (t: { after: (fn: () => Promise<void>) => void }, url: string | undefined, init: RecordingInit = {}, dir?: string): Promise<Fixture> {
  dir ??= await mkdtemp(join(tmpdir(), 'porchlight-recording-'))
  const store = await openStore(dir)
  const logs: string[] = []
  // debug: ffmpeg's own words are logged at that level, and must be redacted too.
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => { logs.push(line) } } })
  const cameras = url === undefined ? [] : [{ name: 'porch', lat: 40.7, lng: -74, source: { kind: 'rtsp', url } }]
  const config = parseConfig({ version: 1, role: 'resident', name: 'home', cameras, recording: { segmentSeconds: 1 } })
  const service = new RecordingService({ config, dir, store, logger }, { backoffMs: { min: 200, max: 1000 }, ...init })
  const registry = new Registry()
  const stopMetrics = recordingMetrics(registry, service)
  const d = dir
  t.after(async () => { stopMetrics(); await service.stop(); await store.close(); await rm(d, { recursive: true, force: true }) })
  await service.start()
  return { dir, store, config, service, logs, registry }
}

/** Resolves with the first event whose argument passes `ok` (a test's timeout bounds the wait). */
async function next<T> (emitter: EventEmitter, event: string, ok: (value: T) => boolean = () => true): Promise<T> {
  for (;;) {
    const [value] = await once(emitter, event) as [T]
    if (ok(value)) return value
  }
}

async function statusOf (service: RecordingService, state: RecorderStatus['state']): Promise<RecorderStatus> {
  const now = service.status().porch
  if (now?.state === state) return now
  return (await next<{ camera: string, status: RecorderStatus }>(service, 'status', ({ status }) => status.state === state)).status
}

async function probe (ffprobe: string, input: string): Promise<{ codec: string, width: number, height: number, frames?: number }> {
  // A file's packets are counted (to show it holds video); a stream's would never end.
  const args = input.startsWith('rtsp') ? ['-rtsp_transport', 'tcp'] : ['-count_packets']
  const { stdout } = await run(ffprobe, ['-v', 'error', ...args, '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_packets', '-of', 'json', input], { timeout: 20_000 })
  const s = (JSON.parse(stdout) as { streams: Array<{ codec_name: string, width: number, height: number, nb_read_packets?: string }> }).streams[0]!
  return { codec: s.codec_name, width: s.width, height: s.height, ...(s.nb_read_packets === undefined ? {} : { frames: Number(s.nb_read_packets) }) }
}

/** The index and the folder agree: every entry's file is there at its size, and (with `exact`) no other file is. */
async function assertIndexMatchesFolder (f: Pick<Fixture, 'dir' | 'service'>, records: SegmentRecord[], exact: boolean): Promise<void> {
  const folder = join(f.service.dir, cameraFolder('porch'))
  const files = (await readdir(folder)).map((n) => `${cameraFolder('porch')}/${n}`)
  for (const r of records) {
    assert.ok(files.includes(r.file), `${r.file} is on disk`)
    assert.equal((await stat(join(f.service.dir, r.file))).size, r.bytes)
  }
  if (exact) assert.deepEqual(files.sort(), records.map((r) => r.file).sort())
}

test('an RTSP camera is recorded continuously: closed segments indexed in order, copied without re-encoding, no credential anywhere', async (t) => {
  const server = await RtspTestServer.start(t, { user: 'viewer', password: PASSWORD, width: 640, height: 360, fps: 15, keyint: 1 })
  const t0 = Date.now()
  const f = await fixture(t, server.url())
  assert.equal((await statusOf(f.service, 'connecting')).state, 'connecting')
  for (let n = 0; n < 3; n++) await next(f.service, 'segment')
  const records = await f.service.segments('porch', 0, Date.now() + 60_000)
  assert.ok(records.length >= 3, `${records.length} segments`)
  for (const [i, r] of records.entries()) {
    assert.equal(r.camera, 'porch')
    assert.ok(r.start >= t0 - 2000 && r.end <= Date.now() && r.start < r.end, `segment ${i} on the node clock`)
    // 1 s segments cut at keyframes 1 s apart: about a second each (the first may wait for its keyframe).
    assert.ok(r.end - r.start >= 500 && r.end - r.start <= 3500, `segment ${i} lasts ${r.end - r.start} ms`)
    if (i > 0) assert.ok(Math.abs(r.start - records[i - 1]!.end) < 500, `segment ${i} follows the one before`)
  }
  // The open segment is in the folder too, never in the index.
  await assertIndexMatchesFolder(f, records, false)
  const ffprobe = ffprobePath(f.config)
  const source = await probe(ffprobe, server.url())
  assert.deepEqual({ codec: source.codec, width: source.width, height: source.height }, { codec: 'h264', width: 640, height: 360 })
  for (const r of records) {
    const got = await probe(ffprobe, join(f.service.dir, r.file))
    assert.deepEqual({ codec: got.codec, width: got.width, height: got.height }, { codec: source.codec, width: source.width, height: source.height })
    assert.ok((got.frames ?? 0) >= 7, `${r.file} holds ${got.frames} frames`)
  }
  const status = f.service.status().porch!
  assert.equal(status.state, 'recording')
  assert.ok(status.lastSegmentAt !== undefined && status.lastSegmentAt >= records.at(-1)!.end - 1000)
  const metrics = await f.registry.metrics()
  assert.match(metrics, /porchlight_recording_segments_total [1-9]/)
  assert.match(metrics, /porchlight_recording_cameras\{state="recording"\} 1/)
  for (const text of [f.logs.join(''), JSON.stringify(f.service.status()), metrics]) assert.ok(!text.includes(PASSWORD))
})

test('a wrong password: the camera is unreachable with a typed error, and the password is in no log line and no status', async (t) => {
  const server = await RtspTestServer.start(t, { user: 'viewer', password: 'the-right-one' })
  const f = await fixture(t, server.url({ user: 'viewer', password: PASSWORD }))
  const status = await statusOf(f.service, 'unreachable')
  assert.equal(status.error?.code, 'CAMERA_UNREACHABLE')
  await next(f.service, 'restarted')
  assert.deepEqual(await f.service.segments('porch', 0, Date.now()), [])
  // ffmpeg quoted the URL (it answers 401 with it): the line was logged, redacted.
  assert.ok(f.logs.some((l) => l.includes('ffmpeg said') && l.includes('credentials hidden')), 'ffmpeg\'s words were logged')
  for (const text of [f.logs.join(''), JSON.stringify(f.service.status()), await f.registry.metrics()]) assert.ok(!text.includes(PASSWORD))
})

test('a camera that drops out and comes back leaves a gap in the recording, not a stuck recorder', async (t) => {
  const server = await RtspTestServer.start(t)
  const f = await fixture(t, server.url())
  for (let n = 0; n < 2; n++) await next(f.service, 'segment')
  const down = Date.now()
  await server.stop()
  const unreachable = await statusOf(f.service, 'unreachable')
  assert.equal(unreachable.error?.code, 'CAMERA_UNREACHABLE')
  // Two more runs refused while the camera is away: the recorder keeps trying.
  for (let n = 0; n < 2; n++) await next(f.service, 'restarted')
  assert.equal(f.service.status().porch?.since, unreachable.since, 'unreachable since the first failure')
  await server.restart()
  const back = Date.now()
  await next<SegmentRecord>(f.service, 'segment', (r) => r.start > back)
  assert.equal(f.service.status().porch?.state, 'recording')
  const records = await f.service.segments('porch', 0, Date.now())
  const gaps = records.slice(1).map((r, i) => r.start - records[i]!.end)
  const longest = Math.max(...gaps)
  assert.ok(longest >= back - down - 1500, `a gap of ${longest} ms for ${back - down} ms away`)
  assert.equal(gaps.filter((g) => g > 500).length, 1, 'one gap')
  await assertIndexMatchesFolder(f, records, false)
  assert.match(await f.registry.metrics(), /porchlight_recording_restarts_total [2-9]/)
})

test('kill -9 of a node while it records: after restart the index names no missing or partial file', async (t) => {
  const server = await RtspTestServer.start(t)
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-recording-crash-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, server.url()], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(() => { child.kill('SIGKILL') })
  const indexed: SegmentRecord[] = []
  const lines = createInterface({ input: child.stdout })
  for await (const line of lines) {
    if (line.startsWith('segment ')) indexed.push(JSON.parse(line.slice(8)) as SegmentRecord)
    if (indexed.length >= 3) break
  }
  const recorders = await descendantsOf(child.pid!)
  assert.ok(recorders.length > 0, 'ffmpeg runs under the node')
  const exited = once(child, 'exit')
  child.kill('SIGKILL')
  await exited
  // ffmpeg goes with its node (a parent-death signal), rather than writing on with no index to name its files.
  for (let i = 0; i < 100 && recorders.some(isAlive); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  assert.deepEqual(recorders.filter(isAlive), [])
  const folder = join(dir, 'recordings', cameraFolder('porch'))
  const before = await readdir(folder)
  assert.ok(before.some((n) => !indexed.some((r) => r.file.endsWith(`/${n}`))), 'the open segment was left behind')
  // And one indexed file lost as well (a disk that dropped it): its entry must go.
  const lost = indexed[0]!
  await rm(join(dir, 'recordings', lost.file))

  const f = await fixture(t, undefined, {}, dir)
  const records = await f.service.segments('porch', 0, Date.now())
  const files = records.map((r) => r.file)
  for (const r of indexed.slice(1)) assert.ok(files.includes(r.file), `${r.file}, indexed before the kill, is kept`)
  assert.ok(!files.includes(lost.file), 'the lost file is no longer named')
  await assertIndexMatchesFolder(f, records, true)
  const ffprobe = ffprobePath(f.config)
  for (const r of records) assert.equal((await probe(ffprobe, join(f.service.dir, r.file))).codec, 'h264')
})

test('below the disk floor recording stops with an alert and resumes when space returns; the index stays whole', async (t) => {
  const server = await RtspTestServer.start(t)
  let free = 100 * 2 ** 30
  const f = await fixture(t, server.url(), { freeBytes: async () => free, checkIntervalMs: 100 })
  await next(f.service, 'segment')
  free = 2 ** 20
  const alert = once(f.service, 'disk-full')
  const full = await statusOf(f.service, 'disk-full')
  const [error] = await alert as [{ code: string }]
  assert.equal(error.code, 'RECORDING_DISK_FULL')
  assert.equal(full.error?.code, 'RECORDING_DISK_FULL')
  assert.ok(f.logs.some((l) => JSON.parse(l).level === 50 && l.includes('RECORDING_DISK_FULL')), 'logged as an error')
  assert.match(await f.registry.metrics(), /porchlight_recording_disk_full_total 1/)
  const stoppedAt = Date.now()
  const lateSegments: SegmentRecord[] = []
  f.service.on('segment', (r) => { if (r.start > stoppedAt) lateSegments.push(r) })
  free = 100 * 2 ** 30
  await statusOf(f.service, 'recording')
  const resumed = f.service.status().porch!.since
  assert.ok(resumed > stoppedAt)
  assert.deepEqual(lateSegments.filter((r) => r.start < resumed - 1000), [], 'nothing recorded while the disk was full')
  await assertIndexMatchesFolder(f, await f.service.segments('porch', 0, Date.now()), false)
})

/** This process's ffmpeg children: the recorders (the RTSP server is a python child). */
async function recorders (): Promise<number[]> {
  return await childrenNamed(process.pid, 'ffmpeg')
}

test('sync() follows the camera list: a camera added is recorded once (even when two changes come at once), one removed is stopped', async (t) => {
  const server = await RtspTestServer.start(t)
  const f = await fixture(t, undefined)
  assert.deepEqual(f.service.status(), {})
  const porch = { name: 'porch', lat: 40.7, lng: -74, source: { kind: 'rtsp' as const, url: server.url() } }
  const folderOnly = { name: 'shed', lat: 40.7, lng: -74, source: { kind: 'folder' as const, path: '/tmp/x' } }
  await Promise.all([f.service.sync([porch]), f.service.sync([porch, folderOnly])])
  assert.deepEqual(Object.keys(f.service.status()), ['porch'], 'only rtsp cameras are recorded')
  await next(f.service, 'segment')
  assert.equal((await recorders()).length, 1, 'one ffmpeg for the camera')
  const stopped = next<{ camera: string, status: RecorderStatus }>(f.service, 'status', ({ status }) => status.state === 'stopped')
  await f.service.sync([folderOnly])
  assert.equal((await stopped).camera, 'porch')
  assert.deepEqual(f.service.status(), {})
  assert.deepEqual(await recorders(), [])
})

test('a camera that accepts the connection and sends nothing: the watchdog ends the run and the recorder keeps trying', async (t) => {
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => { sockets.add(socket) })
  silent.listen(0, '127.0.0.1')
  await once(silent, 'listening')
  t.after(async () => { for (const s of sockets) s.destroy(); silent.close(); await once(silent, 'close') })
  const { port } = silent.address() as { port: number }
  const f = await fixture(t, `rtsp://viewer:${PASSWORD}@127.0.0.1:${port}/cam`, { stallMs: 1000 })
  const status = await statusOf(f.service, 'unreachable')
  assert.equal(status.error?.code, 'RECORDER_STALLED')
  // It connects again after the one it gave up on.
  if (sockets.size < 2) await next(silent, 'connection', () => sockets.size >= 2)
  assert.equal(f.service.status().porch?.state, 'unreachable')
  assert.ok(!JSON.stringify(f.service.status()).includes(PASSWORD))
})

test('a resident node records its rtsp cameras: the service is wired, its figures are on the token-guarded /metrics', async (t) => {
  const server = await RtspTestServer.start(t, { user: 'viewer', password: PASSWORD })
  const config = parseConfig({ version: 1, role: 'resident', name: 'maple', cameras: [{ name: 'porch', lat: 47.6062, lng: -122.3321, source: { kind: 'rtsp', url: server.url() } }], recording: { segmentSeconds: 1 } })
  const node = await createNode({ config, services: residentRole(), staticDir: false, logger: createLogger({ level: 'silent' }) })
  t.after(async () => { await node.stop() })
  await node.start()
  const record = await next<SegmentRecord>(node.services.recordings, 'segment')
  assert.equal(record.camera, 'porch')
  const text = await (await fetch(`${node.info().api!.url}/metrics`, { headers: { authorization: `Bearer ${node.keys.apiToken}` } })).text()
  assert.match(text, /porchlight_recording_segments_total [1-9]/)
  assert.ok(!text.includes(PASSWORD))
})

// The Frigate source against A STAND-IN FOR FRIGATE (test/support/frigate-standin.ts): Frigate ships as a
// container and cannot run here, so an HTTP server in the test answers Frigate's documented API and serves
// real MP4 files remuxed by ffmpeg. What is shown: matching from Frigate's recordings, gaps splitting the
// runs; an export cut to the range (codec and size equal the source's, duration within a keyframe interval);
// nothing but the recordings list fetched to match; a refused token, an unknown camera, a hanging or absent
// server, an oversize export and a bad answer each a typed error that leaves no file.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Registry } from 'prom-client'
import { cameraSourceMetrics } from '../../../node/metrics/camera-sources.js'
import type { Camera } from '../../../node/config/index.js'
import { FrigateClient, frigateRangeSource, overlapsOf } from '../../../node/cameras/frigate.js'
import { testSource } from '../../../node/cameras/source-test.js'
import { ffprobePath } from '../../../node/recording/binaries.js'
import type { PorchlightError } from '../../../protocol/errors.js'
import { makeTestMp4, startFrigateStandin, type FrigateStandin } from '../../support/frigate-standin.js'

const T = 1_764_000_000 // a whole-minute unix time; the stand-in's recordings start here
const TOKEN = 'frigate-jwt-s3cret'
const ffprobe = ffprobePath({})

type Test = TestContext

async function tempDir (t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'frigate-test-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

function camera (url: string, overrides: { camera?: string, token?: string | undefined } = {}): Camera {
  const token = 'token' in overrides ? overrides.token : TOKEN
  return { name: 'porch', lat: 40.7, lng: -74, source: { kind: 'frigate', url, camera: overrides.camera ?? 'front_door', ...(token === undefined ? {} : { token }) } }
}

/** Two recorded runs of front_door: [T, T+60] and [T+100, T+130] (a 40 s gap). */
async function standin (t: Test, extra: { hang?: boolean, notRecording?: string[] } = {}): Promise<FrigateStandin & { dir: string }> {
  const dir = await tempDir(t)
  const [a, b] = await Promise.all([makeTestMp4(join(dir, 'a.mp4'), 60), makeTestMp4(join(dir, 'b.mp4'), 30)])
  const server = await startFrigateStandin(t, {
    cameras: ['front_door', 'garage_side'],
    recordings: [{ camera: 'front_door', start: T, end: T + 60, file: a }, { camera: 'front_door', start: T + 100, end: T + 130, file: b }],
    token: TOKEN,
    ...extra
  })
  return { ...server, dir }
}

async function probe (file: string): Promise<{ codec: string, width: number, height: number, duration: number, keyframes: number[] }> {
  const { stdout } = await promisify(execFile)(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height:format=duration',
    '-show_entries', 'packet=pts_time,flags', '-of', 'json', file])
  const out = JSON.parse(stdout) as { streams: Array<{ codec_name: string, width: number, height: number }>, format: { duration: string }, packets: Array<{ pts_time: string, flags: string }> }
  const s = out.streams[0]!
  return { codec: s.codec_name, width: s.width, height: s.height, duration: Number(out.format.duration), keyframes: out.packets.filter((p) => p.flags.startsWith('K')).map((p) => Number(p.pts_time)) }
}

function codeOf (err: unknown): string {
  return (err as PorchlightError).code
}

test('overlaps: the runs Frigate recorded inside the window, split at the gap, clipped to the window; only the recordings list is fetched', async (t) => {
  const frigate = await standin(t)
  const source = frigateRangeSource()
  const whole = await source.overlaps(camera(frigate.url), T - 600, T + 600)
  assert.deepEqual(whole.map(({ camera, from, to, duration }) => ({ camera, from, to, duration })), [
    { camera: 'porch', from: T, to: T + 60, duration: 60 },
    { camera: 'porch', from: T + 100, to: T + 130, duration: 30 }
  ])
  // The stand-in's segments are 0.1 MiB a second.
  assert.equal(whole[0]!.estimatedBytes, Math.round(60 * 0.1 * 1024 * 1024))
  const clipped = await source.overlaps(camera(frigate.url), T + 30, T + 110)
  assert.deepEqual(clipped.map(({ from, to }) => [from, to]), [[T + 30, T + 60], [T + 100, T + 110]])
  assert.deepEqual(await source.overlaps(camera(frigate.url), T + 65, T + 95), [])
  assert.ok(frigate.requests.every((r) => r.startsWith('GET /api/front_door/recordings?')), frigate.requests.join('\n'))
})

test('overlapsOf joins segments that meet within 2 s and keeps whole seconds inside the window', () => {
  const runs = overlapsOf('c', [{ start: 10.4, end: 20.2, sizeMiB: 1 }, { start: 21.9, end: 30 }, { start: 40, end: 50 }], 0, 45)
  assert.deepEqual(runs.map(({ from, to }) => [from, to]), [[10, 30], [40, 45]])
})

test('cut: Frigate\'s export of the range, remuxed: same codec and size, duration within one keyframe interval', async (t) => {
  const frigate = await standin(t)
  const out = join(frigate.dir, 'cut.mp4')
  const cut = await frigateRangeSource().cut(camera(frigate.url), T + 12, T + 42, out)
  assert.deepEqual({ start: cut.start, end: cut.end, contentType: cut.contentType }, { start: T + 12, end: T + 42, contentType: 'video/mp4' })
  assert.equal(cut.bytes, (await stat(out)).size)
  const p = await probe(out)
  assert.deepEqual({ codec: p.codec, width: p.width, height: p.height }, { codec: 'h264', width: 320, height: 240 })
  assert.ok(Math.abs(p.duration - 30) <= 1, `duration ${p.duration}`)
  assert.ok(p.keyframes.length >= 30, 'a keyframe a second, not re-encoded into fewer')
  assert.equal(frigate.requests.filter((r) => r.includes('/clip.mp4')).length, 1)
})

test('cut: a range Frigate has no recording of is refused before any export, and no file is left', async (t) => {
  const frigate = await standin(t)
  const out = join(frigate.dir, 'none.mp4')
  await assert.rejects(frigateRangeSource().cut(camera(frigate.url), T + 70, T + 90, out), { name: 'FrigateNoRecordingError', code: 'FRIGATE_NO_RECORDING' })
  await assert.rejects(stat(out), { code: 'ENOENT' })
  assert.equal(frigate.requests.filter((r) => r.includes('/clip.mp4')).length, 0)
})

test('cut: an export over the size cap is cut off with CLIP_TOO_LARGE and its partial file removed', async (t) => {
  const frigate = await standin(t)
  const out = join(frigate.dir, 'big.mp4')
  await assert.rejects(frigateRangeSource({ maxClipBytes: 20_000 }).cut(camera(frigate.url), T, T + 60, out), { name: 'ClipTooLargeError', code: 'CLIP_TOO_LARGE' })
  await assert.rejects(stat(out), { code: 'ENOENT' })
})

test('cut: an aborted consent stops the export and leaves no file', async (t) => {
  const frigate = await standin(t)
  const out = join(frigate.dir, 'aborted.mp4')
  const controller = new AbortController()
  controller.abort(new Error('consent withdrawn'))
  await assert.rejects(frigateRangeSource().cut(camera(frigate.url), T, T + 60, out, controller.signal), /consent withdrawn/)
  await assert.rejects(stat(out), { code: 'ENOENT' })
  assert.deepEqual(await readdir(frigate.dir), ['a.mp4', 'b.mp4'])
})

test('thumbnail: a JPEG of the recorded frame from Frigate; undefined in a gap', async (t) => {
  const frigate = await standin(t)
  const source = frigateRangeSource()
  const jpeg = await source.thumbnail!(camera(frigate.url), T + 5)
  assert.ok(jpeg !== undefined && jpeg[0] === 0xff && jpeg[1] === 0xd8, 'a JPEG (starts FF D8)')
  assert.equal(await source.thumbnail!(camera(frigate.url), T + 80), undefined)
})

test('a wrong or missing token: SOURCE_UNAUTHORIZED, reported, the token in no message', async (t) => {
  const frigate = await standin(t)
  const failures: Array<[string, string]> = []
  const source = frigateRangeSource({ onFailure: (name, err) => failures.push([name, err.code]) })
  for (const token of ['wrong-token', undefined]) {
    await assert.rejects(source.overlaps(camera(frigate.url, { token }), T, T + 60), (err: PorchlightError) => {
      assert.equal(err.code, 'SOURCE_UNAUTHORIZED')
      assert.ok(!JSON.stringify({ m: err.message, d: err.details }).includes('wrong-token'))
      return true
    })
  }
  assert.deepEqual(failures, [['porch', 'SOURCE_UNAUTHORIZED'], ['porch', 'SOURCE_UNAUTHORIZED']])
  const result = await testSource(camera(frigate.url, { token: 'wrong-token' }).source!, { ffprobe, timeoutMs: 5000 })
  assert.equal(result.ok, false)
  assert.equal(!result.ok && result.error.code, 'SOURCE_UNAUTHORIZED')
  assert.ok(!JSON.stringify(result).includes('wrong-token'))
})

test('a camera Frigate does not have: FRIGATE_UNKNOWN_CAMERA naming the ones it has', async (t) => {
  const frigate = await standin(t)
  await assert.rejects(frigateRangeSource().overlaps(camera(frigate.url, { camera: 'back_yard' }), T, T + 60), (err: PorchlightError) => {
    assert.equal(err.code, 'FRIGATE_UNKNOWN_CAMERA')
    assert.deepEqual(err.details.limit, ['front_door', 'garage_side'])
    return true
  })
  const result = await testSource(camera(frigate.url, { camera: 'back_yard' }).source!, { ffprobe, timeoutMs: 5000 })
  assert.deepEqual(result.ok ? 'ok' : result.error.code, 'FRIGATE_UNKNOWN_CAMERA')
  assert.deepEqual(await testSource(camera(frigate.url).source!, { ffprobe, timeoutMs: 5000 }), { ok: true, details: { version: '0.14.1-standin' } })
})

test('testing a Frigate camera that Frigate does not record: FRIGATE_NOT_RECORDING', async (t) => {
  const frigate = await standin(t, { notRecording: ['garage_side'] })
  const result = await testSource(camera(frigate.url, { camera: 'garage_side' }).source!, { ffprobe, timeoutMs: 5000 })
  assert.equal(result.ok ? 'ok' : result.error.code, 'FRIGATE_NOT_RECORDING')
})

test('an export that stalls mid-body: SOURCE_TIMEOUT after the silence, and the partial file removed', async (t) => {
  const server = createServer((req, res) => {
    if (req.url?.endsWith('/recordings?after=' + T + '&before=' + (T + 60)) === true) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ start_time: T, end_time: T + 60, segment_size: 1 }]))
      return
    }
    res.writeHead(200, { 'content-type': 'video/mp4' })
    res.write(Buffer.alloc(5000)) // and then nothing more
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => { server.closeAllConnections(); server.close() })
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const out = join(await tempDir(t), 'stalled.mp4')
  const started = Date.now()
  await assert.rejects(frigateRangeSource({ timeoutMs: 400 }).cut(camera(url, { token: undefined }), T, T + 60, out), { code: 'SOURCE_TIMEOUT' })
  assert.ok(Date.now() - started < 3000)
  await assert.rejects(stat(out), { code: 'ENOENT' })
})

test('a Frigate that accepts and never answers: SOURCE_TIMEOUT after the timeout, not a hang', async (t) => {
  const frigate = await standin(t, { hang: true })
  const started = Date.now()
  await assert.rejects(frigateRangeSource({ timeoutMs: 300 }).overlaps(camera(frigate.url), T, T + 60), { name: 'SourceTimeoutError', code: 'SOURCE_TIMEOUT' })
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`)
  const out = join(frigate.dir, 'hung.mp4')
  await assert.rejects(new FrigateClient(camera(frigate.url).source as never, { timeoutMs: 300 }).exportClip(T, T + 10, out), { code: 'SOURCE_TIMEOUT' })
  await assert.rejects(stat(out), { code: 'ENOENT' })
})

test('nothing listening: SOURCE_UNREACHABLE with the reason', async (t) => {
  const frigate = await standin(t)
  await frigate.close()
  await assert.rejects(frigateRangeSource().overlaps(camera(frigate.url), T, T + 60), (err: PorchlightError) => {
    assert.equal(codeOf(err), 'SOURCE_UNREACHABLE')
    assert.equal(err.details.reason, 'ECONNREFUSED')
    return true
  })
})

test('answers outside Frigate\'s documented shapes: SOURCE_BAD_ANSWER', async (t) => {
  const answers: Record<string, [number, string]> = {
    '/api/version': [200, ''],
    '/api/config': [200, '{"cameras": ['],
    '/api/front_door/recordings': [200, '[{"start_time": "yesterday"}]']
  }
  const server = createServer((req, res) => {
    const [status, body] = answers[new URL(req.url ?? '/', 'http://x').pathname] ?? [500, 'oops']
    res.writeHead(status).end(body)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => { server.close(); server.closeAllConnections() })
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const client = new FrigateClient({ kind: 'frigate', url, camera: 'front_door' })
  await assert.rejects(client.version(), { code: 'SOURCE_BAD_ANSWER' })
  await assert.rejects(client.cameras(), { code: 'SOURCE_BAD_ANSWER' })
  await assert.rejects(client.recordings(T, T + 60), { code: 'SOURCE_BAD_ANSWER' })
  const out = join(await tempDir(t), 'x.mp4')
  await assert.rejects(client.exportClip(T, T + 60, out), { code: 'SOURCE_BAD_ANSWER' })
  await assert.rejects(stat(out), { code: 'ENOENT' })
})

test('a camera of another kind handed to the Frigate source is a typed error', async () => {
  await assert.rejects(frigateRangeSource().overlaps({ name: 'x', lat: 0, lng: 0, source: { kind: 'rtsp', url: 'rtsp://192.0.2.1/' } }, 0, 1), { code: 'WRONG_SOURCE_KIND' })
})

test('export never overwrites an existing file', async (t) => {
  const frigate = await standin(t)
  const out = join(frigate.dir, 'taken.mp4')
  await writeFile(out, 'mine')
  await assert.rejects(new FrigateClient(camera(frigate.url).source as never).exportClip(T, T + 10, out), { code: 'EEXIST' })
  assert.equal((await stat(out)).size, 4)
})

test('failures reach /metrics by kind and code, never with the URL or the token', async (t) => {
  const frigate = await standin(t)
  const registry = new Registry()
  const metrics = cameraSourceMetrics(registry)
  const source = frigateRangeSource({ onFailure: (_camera, err) => { metrics.failed('frigate', err.code) } })
  await assert.rejects(source.overlaps(camera(frigate.url, { token: 'wrong-token' }), T, T + 60))
  await assert.rejects(source.overlaps(camera(frigate.url, { camera: 'back_yard' }), T, T + 60))
  const text = await registry.metrics()
  assert.match(text, /porchlight_camera_source_failures_total\{kind="frigate",code="SOURCE_UNAUTHORIZED"\} 1/)
  assert.match(text, /porchlight_camera_source_failures_total\{kind="frigate",code="FRIGATE_UNKNOWN_CAMERA"\} 1/)
  for (const secret of ['wrong-token', TOKEN, frigate.url, '"porch"', 'front_door']) assert.ok(!text.includes(secret), secret)
})

test('behind a reverse proxy: a path prefix is kept and the URL\'s user and password go as basic auth', async (t) => {
  const dir = await tempDir(t)
  const file = await makeTestMp4(join(dir, 'a.mp4'), 10)
  const proxy = await startFrigateStandin(t, {
    cameras: ['front_door'], recordings: [{ camera: 'front_door', start: T, end: T + 10, file }], basic: { user: 'fri gate', password: 'p@ss:w0rd' }, basePath: '/frigate'
  })
  const url = proxy.url.replace('http://', `http://${encodeURIComponent('fri gate')}:${encodeURIComponent('p@ss:w0rd')}@`) + '/frigate'
  const overlaps = await frigateRangeSource().overlaps(camera(url, { token: undefined }), T, T + 10)
  assert.deepEqual(overlaps.map(({ from, to }) => [from, to]), [[T, T + 10]])
  const wrong = await testSource({ kind: 'frigate', url: url.replace('p%40ss', 'nope'), camera: 'front_door' }, { ffprobe, timeoutMs: 5000 })
  assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'SOURCE_UNAUTHORIZED')
  assert.ok(!JSON.stringify(wrong).includes('nope'))
})

test('a Frigate URL that does not parse is a typed error, not a crash', async () => {
  const result = await testSource({ kind: 'frigate', url: 'http://[::1', camera: 'front_door' }, { ffprobe, timeoutMs: 1000 })
  assert.equal(result.ok ? 'ok' : result.error.code, 'SOURCE_UNREACHABLE')
})

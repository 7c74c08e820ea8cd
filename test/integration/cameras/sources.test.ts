// Testing camera sources for real: a GStreamer RTSP server (test/support/rtsp-server.py, basic auth on)
// probed with ffprobe, folders on disk, and `porchlight cameras test|list` as a process against a node's
// config.json. Shown: the stream's codec, size and rate; a wrong password, a wrong path, a closed port and a
// server that never answers each a typed error in plain words, with the password in no output.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initNode, type Camera, type CameraSource } from '../../../node/config/index.js'
import { redactProbeOutput, testSource } from '../../../node/cameras/source-test.js'
import { cliInProcess, exitOf, porchlight } from '../../helpers/cli.js'
import { descendantsOf } from '../../helpers/process-tree.js'
import { RtspTestServer } from '../../support/rtsp-server.js'
import { ffprobePath } from '../../../node/recording/binaries.js'

type Test = TestContext

const PASSWORD = 'pa55-w0rd-XYZ'

/** A GStreamer RTSP camera with basic auth (user `cam`), 640×360 at 10 fps, stopped when the test ends. */
async function rtspServer (t: Test): Promise<{ port: number }> {
  const server = await RtspTestServer.start(t, { user: 'cam', password: PASSWORD, fps: 10 })
  return { port: server.port }
}

async function tempDir (t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sources-test-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

/** A port nothing listens on (bound, then closed). */
async function closedPort (): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

// The node's own choice of ffprobe (node/recording/binaries.ts).
const ffprobe = ffprobePath({})
const options = { ffprobe, timeoutMs: 10_000 }

test('an RTSP camera: ffprobe reads its codec, size and rate; wrong password, wrong path and closed port are told apart', async (t) => {
  const { port } = await rtspServer(t)
  const good: CameraSource = { kind: 'rtsp', url: `rtsp://cam:${PASSWORD}@127.0.0.1:${port}/cam` }
  assert.deepEqual(await testSource(good, options), { ok: true, details: { codec: 'h264', width: 640, height: 360, fps: 10 } })
  const wrong = await testSource({ kind: 'rtsp', url: `rtsp://cam:not-${PASSWORD}@127.0.0.1:${port}/cam` }, options)
  assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'SOURCE_UNAUTHORIZED')
  assert.ok(!JSON.stringify(wrong).includes(PASSWORD), JSON.stringify(wrong))
  const path = await testSource({ kind: 'rtsp', url: `rtsp://cam:${PASSWORD}@127.0.0.1:${port}/nothing-here` }, options)
  assert.equal(path.ok ? 'ok' : path.error.code, 'SOURCE_STREAM_NOT_FOUND')
  const closed = await testSource({ kind: 'rtsp', url: `rtsp://cam:${PASSWORD}@127.0.0.1:${await closedPort()}/cam` }, options)
  assert.equal(closed.ok ? 'ok' : closed.error.code, 'SOURCE_UNREACHABLE')
  for (const r of [wrong, path, closed]) assert.ok(!JSON.stringify(r).includes(PASSWORD))
})

test('an RTSP server that accepts and never answers: SOURCE_TIMEOUT, and no ffprobe left running', async (t) => {
  const sockets = new Set<Socket>()
  const server = createServer((s) => { sockets.add(s) }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => { for (const s of sockets) s.destroy(); server.close() })
  const { port } = server.address() as { port: number }
  const started = Date.now()
  const result = await testSource({ kind: 'rtsp', url: `rtsp://cam:${PASSWORD}@127.0.0.1:${port}/cam` }, { ffprobe, timeoutMs: 700 })
  assert.equal(result.ok ? 'ok' : result.error.code, 'SOURCE_TIMEOUT')
  assert.ok(Date.now() - started < 5000)
  const left = await Promise.all((await descendantsOf(process.pid)).map(async (pid) => (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim()))
  assert.ok(!left.includes('ffprobe'), left.join(', '))
})

test('ffprobe\'s words lose the URL\'s password however it is echoed', () => {
  const url = 'rtsp://admin:p%40ss@192.0.2.5:554/live'
  const echoed = `${url}: Server returned 401\nConnection to tcp://admin:p@ss@192.0.2.5 failed; p@ss again`
  const shown = redactProbeOutput(echoed, url)
  assert.ok(!shown.includes('p@ss') && !shown.includes('p%40ss'), shown)
})

test('a folder source: missing, a file, and a usable folder (relative paths are inside the node\'s directory)', async (t) => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'a-file'), 'x')
  await mkdir(join(dir, 'porch-clips'))
  const codeOf = async (path: string): Promise<unknown> => {
    const r = await testSource({ kind: 'folder', path }, { ...options, dir })
    return r.ok ? 'ok' : [r.error.code, r.error.message.startsWith(join(dir, path === '' ? '.' : path))]
  }
  assert.deepEqual(await codeOf('no-such-folder'), ['SOURCE_FOLDER_UNUSABLE', true])
  assert.deepEqual(await codeOf('a-file'), ['SOURCE_FOLDER_UNUSABLE', true])
  assert.equal(await codeOf('porch-clips'), 'ok')
  assert.equal(await codeOf(join(dir, 'porch-clips')), 'ok')
})

interface JsonLine { camera: string, source?: { kind: string, url?: string }, result?: { ok: boolean, error?: { code: string } } }

test('`porchlight cameras test` as a process: one line per camera, exit 1 on any failure, no password printed; `cameras list` redacts', async (t) => {
  const { port } = await rtspServer(t)
  const dir = await tempDir(t)
  await mkdir(join(dir, 'porch-clips'))
  const at = { lat: 40.7128, lng: -74.006 }
  const cameras: Camera[] = [
    { name: 'front', ...at, source: { kind: 'rtsp', url: `rtsp://cam:${PASSWORD}@127.0.0.1:${port}/cam` } },
    { name: 'side', ...at, source: { kind: 'rtsp', url: `rtsp://cam:wrong-${PASSWORD}@127.0.0.1:${port}/cam` } },
    { name: 'porch', ...at, source: { kind: 'folder', path: 'porch-clips' } },
    { name: 'shed', ...at, source: { kind: 'folder', path: 'gone' } },
    { name: 'hand', ...at }
  ]
  await initNode(join(dir, 'node'), { role: 'resident', name: 'maple', cameras: cameras.map((c) => c.source?.kind === 'folder' ? { ...c, source: { kind: 'folder', path: join('..', c.source.path) } } : c) })

  const text = await exitOf(porchlight(t, ['cameras', 'test', '--dir', join(dir, 'node'), '--timeout', '10']))
  assert.equal(text.code, 1, text.stderr)
  const lines = text.stdout.trim().split('\n')
  assert.deepEqual(lines.map((l) => l.split(':')[0]), ['front', 'side', 'porch', 'shed', 'hand'])
  assert.match(lines[0]!, /: ok h264 640x360 10 fps$/)
  assert.match(lines[1]!, /\(SOURCE_UNAUTHORIZED\)$/)
  assert.match(lines[3]!, /\(SOURCE_FOLDER_UNUSABLE\)$/)
  assert.ok(!text.stdout.includes(PASSWORD) && !text.stderr.includes(PASSWORD), text.stdout)

  // The rest in this process (a CLI process takes seconds to start from sources).
  const json = await cliInProcess(['cameras', 'test', '--dir', join(dir, 'node'), '--json'])
  assert.equal(json.code, 1)
  const results = JSON.parse(json.out) as JsonLine[]
  assert.deepEqual(results.map((r) => [r.camera, r.result === undefined ? 'none' : r.result.ok ? 'ok' : r.result.error!.code]),
    [['front', 'ok'], ['side', 'SOURCE_UNAUTHORIZED'], ['porch', 'ok'], ['shed', 'SOURCE_FOLDER_UNUSABLE'], ['hand', 'none']])
  assert.ok(!json.out.includes(PASSWORD))

  const list = await cliInProcess(['cameras', 'list', '--dir', join(dir, 'node'), '--json'])
  assert.equal(list.code, 0)
  const views = JSON.parse(list.out) as Array<{ name: string, source?: { url?: string } }>
  assert.equal(views[0]!.source!.url, `rtsp://127.0.0.1:${port}/cam (credentials hidden)`)
  assert.ok(!list.out.includes(PASSWORD))

  // Only the working ones left: exit 0.
  await initNode(join(dir, 'ok-node'), { role: 'resident', cameras: [cameras[0]!, cameras[4]!] })
  const ok = await cliInProcess(['cameras', 'test', '--dir', join(dir, 'ok-node')])
  assert.equal(ok.code, 0, ok.out + ok.err)
})

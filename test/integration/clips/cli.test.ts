import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { readNodeInfo } from '../../../node/index.js'
import { bin, exitOf, porchlight } from '../../helpers/cli.js'
import { clipCid } from '../../../protocol/codec/index.js'
import { randomClip } from '../../support/byte-streams.js'

const start = new Date((Math.floor(Date.now() / 1000) - 3600) * 1000).toISOString()

async function run (t: { after: (fn: () => void) => void }, args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return await exitOf(porchlight(t, args))
}

async function residentDir (t: { after: (fn: () => Promise<void>) => void }): Promise<{ root: string, dir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'porchlight-clips-cli-'))
  t.after(async () => { await rm(root, { recursive: true, force: true }) })
  const dir = join(root, 'resident')
  const made = spawnSync(process.execPath, [bin, 'init', '--role', 'resident', '--dir', dir, '--camera', 'porch:40.712776,-74.005974'], { encoding: 'utf8' })
  assert.equal(made.status, 0, made.stderr)
  return { root, dir }
}

test('porchlight clips add and list: directly on a stopped node, then through the running node\'s API', async (t) => {
  const { root, dir } = await residentDir(t)
  const a = randomClip(100_000)
  await writeFile(join(root, 'a.mp4'), a)

  const added = await run(t, ['clips', 'add', join(root, 'a.mp4'), '--camera', 'porch', '--start', start, '--duration', '60', '--dir', dir])
  assert.equal(added.code, 0, added.stderr)
  const clip = JSON.parse(added.stdout) as Record<string, unknown>
  assert.equal(clip.cid, clipCid(a).toString())
  assert.deepEqual([clip.created, clip.via, clip.size, clip.contentType, (clip.end as number) - (clip.start as number)], [true, 'store', 100_000, 'video/mp4', 60])
  const again = await run(t, ['clips', 'add', join(root, 'a.mp4'), '--camera', 'porch', '--start', start, '--duration', '60', '--dir', dir])
  assert.equal(JSON.parse(again.stdout).created, false)

  const unknown = await run(t, ['clips', 'add', join(root, 'a.mp4'), '--camera', 'attic', '--start', start, '--duration', '60', '--dir', dir])
  assert.equal(unknown.code, 1)
  assert.match(unknown.stderr, /UNKNOWN_CAMERA/)
  const both = await run(t, ['clips', 'add', join(root, 'a.mp4'), '--camera', 'porch', '--start', start, '--end', start, '--duration', '60', '--dir', dir])
  assert.equal(both.code, 1)
  assert.match(both.stderr, /INVALID_CLIP_TIME/)
  for (const args of [['clips', 'add', join(root, 'a.mp4'), '--start', start, '--duration', '1', '--dir', dir], ['clips', 'list'], ['clips', 'remove', '--dir', dir], ['clips', 'list', '--dir', dir, '--bogus']]) {
    assert.equal((await run(t, args)).code, 2, args.join(' '))
  }

  const listed = await run(t, ['clips', 'list', '--dir', dir, '--json'])
  const { created: _created, via: _via, ...record } = clip
  assert.deepEqual(JSON.parse(listed.stdout), [record])
  const table = await run(t, ['clips', 'list', '--dir', dir])
  assert.match(table.stdout, new RegExp(`^${clip.cid}  porch  `))

  const node = porchlight(t, ['start', '--dir', dir])
  const lines = createInterface({ input: node.stdout! })
  for await (const line of lines) if (line.includes('ready')) break
  const b = randomClip(50_000)
  await writeFile(join(root, 'b.mov'), b)
  const viaApi = await run(t, ['clips', 'add', join(root, 'b.mov'), '--camera', 'porch', '--start', start, '--end', start, '--dir', dir])
  assert.equal(viaApi.code, 0, viaApi.stderr)
  assert.deepEqual([JSON.parse(viaApi.stdout).via, JSON.parse(viaApi.stdout).created, JSON.parse(viaApi.stdout).contentType], ['api', true, 'video/quicktime'])
  const refused = await run(t, ['clips', 'add', join(root, 'b.mov'), '--camera', 'attic', '--start', start, '--duration', '1', '--dir', dir])
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /UNKNOWN_CAMERA/)
  const all = JSON.parse((await run(t, ['clips', 'list', '--dir', dir, '--json'])).stdout) as Array<{ cid: string }>
  assert.deepEqual(all.map((c) => c.cid).sort(), [clipCid(a).toString(), clipCid(b).toString()].sort())

  const info = await readNodeInfo(dir)
  const token = (await readFile(join(dir, 'api-token'), 'utf8')).trim()
  const res = await fetch(`${info!.api!.url}/api/clips/${clipCid(b).toString()}`, { headers: { authorization: `Bearer ${token}` } })
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), b)
  node.kill('SIGTERM')
  const [code] = await once(node, 'exit') as [number | null]
  assert.equal(code, 0)
})

test('kill -9 during an add leaves no clip and no temporary file once the store is opened again', async (t) => {
  const { root, dir } = await residentDir(t)
  const feed = join(root, 'feed.mp4')
  assert.equal(spawnSync('mkfifo', [feed]).status, 0)
  const adding = porchlight(t, ['clips', 'add', feed, '--camera', 'porch', '--start', start, '--duration', '60', '--dir', dir])
  const exited = once(adding, 'exit')
  // The CLI reads the FIFO as fast as it stores; once 8 MiB went in, the add is well under way.
  const writer = createWriteStream(feed)
  writer.on('error', () => {}) // EPIPE once the reader is killed
  const chunk = randomClip(1024 * 1024)
  for (let i = 0; i < 8; i++) if (!writer.write(chunk)) await once(writer, 'drain')
  const incoming = join(dir, 'clips', '.incoming')
  const [temp] = await readdir(incoming)
  assert.ok(temp !== undefined && (await stat(join(incoming, temp))).size > 0, 'the add had begun writing')
  adding.kill('SIGKILL')
  assert.deepEqual(await exited, [null, 'SIGKILL'])
  writer.destroy()

  const listed = await run(t, ['clips', 'list', '--dir', dir, '--json'])
  assert.equal(listed.code, 0, listed.stderr)
  assert.deepEqual(JSON.parse(listed.stdout), [])
  assert.deepEqual(await readdir(join(dir, 'clips')), ['.incoming'])
  assert.deepEqual(await readdir(incoming), [])
})

test('porchlight clips on a node that is not a resident is a usage error', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'porchlight-clips-cli-'))
  t.after(async () => { await rm(root, { recursive: true, force: true }) })
  const dir = join(root, 'auditor')
  assert.equal(spawnSync(process.execPath, [bin, 'init', '--role', 'auditor', '--dir', dir]).status, 0)
  const listed = await run(t, ['clips', 'list', '--dir', dir])
  assert.equal(listed.code, 2)
  assert.match(listed.stderr, /residents/)
})

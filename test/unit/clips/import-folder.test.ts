import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once, type EventEmitter } from 'node:events'
import { appendFile, mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createNode, residentRole, type PorchlightNode } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import type { ClipsEvents, ClipsService } from '../../../node/clips/index.js'
import { clipCid } from '../../../protocol/codec/index.js'
import { randomClip } from '../../support/byte-streams.js'

const start = Math.floor(Date.now() / 1000) - 3600
const camera = { name: 'porch', lat: 40.712776, lng: -74.005974 }

async function resident (t: { after: (fn: () => Promise<void>) => void }, before?: (folder: string, service: ClipsService) => Promise<void>): Promise<{ node: PorchlightNode<{ clips: ClipsService }>, folder: string }> {
  const config = parseConfig({ version: 1, role: 'resident', name: 'maple', listen: ['/memory/clips-import'], cameras: [camera] })
  const node = await createNode({ config, services: { cameras: residentRole().cameras, clips: residentRole().clips }, listenApi: false, staticDir: false })
  t.after(async () => { await node.stop() })
  const folder = node.services.clips.importFolder
  if (before !== undefined) {
    await mkdir(folder, { recursive: true })
    await before(folder, node.services.clips)
  }
  await node.start()
  return { node, folder }
}

/** The next event of that type (the import folder's work is awaited, never slept on). */
async function next<K extends keyof ClipsEvents> (service: ClipsService, type: K): Promise<ClipsEvents[K][0]> {
  const [value] = await once(service as EventEmitter, type, { signal: AbortSignal.timeout(10_000) }) as ClipsEvents[K]
  return value
}

test('a video and its sidecar are imported and moved to done/', async (t) => {
  const { node, folder } = await resident(t)
  const bytes = randomClip(30_000)
  const imported = next(node.services.clips, 'import:imported')
  await writeFile(join(folder, 'porch-1200.mp4'), bytes)
  await writeFile(join(folder, 'porch-1200.json'), JSON.stringify({ camera: 'porch', start: new Date(start * 1000).toISOString(), duration: 90 }))
  const { file, clip, created } = await imported
  assert.equal(file, 'porch-1200.mp4')
  assert.equal(created, true)
  assert.deepEqual({ ...clip, addedAt: 0 }, { cid: clipCid(bytes).toString(), size: 30_000, camera: 'porch', start, end: start + 90, contentType: 'video/mp4', addedAt: 0 })
  assert.deepEqual(await node.services.clips.list(), [clip])
  assert.deepEqual((await readdir(join(folder, 'done'))).sort(), ['porch-1200.json', 'porch-1200.mp4'])
  assert.deepEqual((await readdir(folder)).sort(), ['done', 'failed'])
})

test('a sidecar that names a size waits for the whole video', async (t) => {
  const { node, folder } = await resident(t)
  const bytes = randomClip(300_000)
  const imported = next(node.services.clips, 'import:imported')
  await writeFile(join(folder, 'long.mkv'), bytes.subarray(0, 1000))
  await writeFile(join(folder, 'long.json'), JSON.stringify({ camera: 'porch', start, end: start + 600, size: bytes.length }))
  for (let at = 1000; at < bytes.length; at += 50_000) await appendFile(join(folder, 'long.mkv'), bytes.subarray(at, at + 50_000))
  const { clip } = await imported
  assert.equal(clip.size, bytes.length)
  assert.equal(clip.cid, clipCid(bytes).toString())
  assert.equal(clip.contentType, 'video/x-matroska')
})

test('a sidecar that does not parse yet is taken as still being written', async (t) => {
  const { node, folder } = await resident(t)
  const imported = next(node.services.clips, 'import:imported')
  await writeFile(join(folder, 'a.mp4'), randomClip(100))
  const sidecar = JSON.stringify({ camera: 'porch', start, duration: 5 })
  await writeFile(join(folder, 'a.json'), sidecar.slice(0, 10))
  await appendFile(join(folder, 'a.json'), sidecar.slice(10))
  assert.equal((await imported).clip.end, start + 5)
})

test('files with partial names are ignored until renamed', async (t) => {
  const { node, folder } = await resident(t)
  const imported = next(node.services.clips, 'import:imported')
  await writeFile(join(folder, 'b.mp4.part'), randomClip(100))
  await writeFile(join(folder, 'b.json'), JSON.stringify({ camera: 'porch', start, duration: 5 }))
  await writeFile(join(folder, '.c.mp4'), randomClip(100))
  await rename(join(folder, 'b.mp4.part'), join(folder, 'b.mp4'))
  assert.equal((await imported).file, 'b.mp4')
  assert.deepEqual(await readdir(join(folder, 'failed')), [])
  assert.deepEqual((await readdir(folder)).sort(), ['.c.mp4', 'done', 'failed'])
})

test('a refused pair moves to failed/ beside an .error.txt that names the error', async (t) => {
  const { node, folder } = await resident(t)
  const cases: Array<[string, object, string]> = [
    ['attic', { camera: 'attic', start, duration: 5 }, 'UNKNOWN_CAMERA'],
    ['typo', { camera: 'porch', start, duration: 5, durration: 5 }, 'INVALID_SIDECAR'],
    ['array', [], 'INVALID_SIDECAR'],
    ['both', { camera: 'porch', start, end: start + 5, duration: 5 }, 'INVALID_CLIP_TIME'],
    ['nozone', { camera: 'porch', start: '2026-01-01T00:00:00', duration: 5 }, 'INVALID_CLIP_TIME'],
    ['short', { camera: 'porch', start, duration: 5, size: 10 }, 'IMPORT_SIZE_MISMATCH']
  ]
  for (const [name, sidecar, code] of cases) {
    const failed = next(node.services.clips, 'import:failed')
    await writeFile(join(folder, `${name}.mp4`), randomClip(100))
    await writeFile(join(folder, `${name}.json`), JSON.stringify(sidecar))
    const { file, error } = await failed
    assert.equal(file, `${name}.mp4`)
    assert.equal(error.code, code, name)
    assert.match(await readFile(join(folder, 'failed', `${name}.mp4.error.txt`), 'utf8'), new RegExp(`\\(${code}\\)`))
  }
  assert.equal((await readdir(join(folder, 'failed'))).length, cases.length * 3)
  assert.deepEqual(await node.services.clips.list(), [])
})

test('two videos for one sidecar are ambiguous and fail', async (t) => {
  const { node, folder } = await resident(t, async (f) => {
    await writeFile(join(f, 'x.mp4'), randomClip(100))
    await writeFile(join(f, 'x.mov'), randomClip(100))
  })
  const failed = next(node.services.clips, 'import:failed')
  await writeFile(join(folder, 'x.json'), JSON.stringify({ camera: 'porch', start, duration: 5 }))
  assert.equal((await failed).error.code, 'AMBIGUOUS_IMPORT')
  assert.deepEqual((await readdir(join(folder, 'failed'))).sort(), ['x.json', 'x.mov', 'x.mov.error.txt', 'x.mp4'])
})

test('pairs that arrived while the node was down are imported at start; a repeat keeps both in done/', async (t) => {
  const bytes = randomClip(1000)
  const sidecar = JSON.stringify({ camera: 'porch', start, duration: 5 })
  let imported: Promise<ClipsEvents['import:imported'][0]> | undefined
  const { node, folder } = await resident(t, async (f, service) => {
    await writeFile(join(f, 'early.mp4'), bytes)
    await writeFile(join(f, 'early.json'), sidecar)
    imported = next(service, 'import:imported')
  })
  assert.equal((await imported!).clip.cid, clipCid(bytes).toString())
  imported = next(node.services.clips, 'import:imported')
  await writeFile(join(folder, 'early.mp4'), bytes)
  await writeFile(join(folder, 'early.json'), sidecar)
  assert.equal((await imported).created, false)
  const done = await readdir(join(folder, 'done'))
  assert.equal(done.length, 4)
  assert.equal(done.filter((f) => f.endsWith('-early.mp4')).length, 1)
})

// A camera whose source is a folder: watched as the import folder is (the same sidecar format, done/ and
// failed/), its clips are that camera's, a sidecar may leave `camera` out, and one naming another camera is
// refused. A missing folder is reported, not created.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { once, type EventEmitter } from 'node:events'
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode, residentRole, type PorchlightNode } from '../../../node/index.js'
import { parseConfig, type Camera } from '../../../node/config/index.js'
import type { ClipsEvents, ClipsService } from '../../../node/clips/index.js'
import type { FolderSources } from '../../../node/cameras/folder-source.js'
import type { CameraBook } from '../../../node/cameras/camera-book.js'
import { clipCid } from '../../../protocol/codec/index.js'
import { randomClip } from '../../support/byte-streams.js'

const start = Math.floor(Date.now() / 1000) - 3600
const at = { lat: 40.712776, lng: -74.005974 }

async function resident (t: TestContext, cameras: Camera[]): Promise<PorchlightNode<{ cameras: CameraBook, clips: ClipsService, folders: FolderSources }>> {
  const config = parseConfig({ version: 1, role: 'resident', name: 'maple', listen: ['/memory/folder-source'], cameras })
  const role = residentRole()
  const node = await createNode({ config, services: { cameras: role.cameras, clips: role.clips, folders: role.folders }, listenApi: false, staticDir: false })
  t.after(async () => { await node.stop() })
  await node.start()
  return node
}

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'folder-source-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

async function next<K extends keyof ClipsEvents> (service: ClipsService, type: K): Promise<ClipsEvents[K][0]> {
  const [value] = await once(service as EventEmitter, type, { signal: AbortSignal.timeout(10_000) }) as ClipsEvents[K]
  return value
}

test('a clip in the camera\'s folder is that camera\'s, even when its sidecar leaves the camera out', async (t) => {
  const dir = await tempDir(t)
  const folder = join(dir, 'porch-cam')
  await mkdir(folder)
  const node = await resident(t, [{ name: 'porch', ...at, source: { kind: 'folder', path: folder } }, { name: 'garage', ...at }])
  assert.deepEqual(node.services.folders.status().porch?.state, 'watching')
  const bytes = randomClip(20_000)
  const imported = next(node.services.clips, 'import:imported')
  await writeFile(join(folder, 'motion-1.mp4'), bytes)
  await writeFile(join(folder, 'motion-1.json'), JSON.stringify({ start, duration: 30 }))
  const { clip } = await imported
  assert.deepEqual({ cid: clip.cid, camera: clip.camera, start: clip.start, end: clip.end }, { cid: clipCid(bytes).toString(), camera: 'porch', start, end: start + 30 })
  assert.deepEqual((await readdir(join(folder, 'done'))).sort(), ['motion-1.json', 'motion-1.mp4'])
})

test('a sidecar in the camera\'s folder naming another camera is refused; nothing is stored', async (t) => {
  const dir = await tempDir(t)
  const folder = join(dir, 'porch-cam')
  await mkdir(folder)
  const node = await resident(t, [{ name: 'porch', ...at, source: { kind: 'folder', path: folder } }, { name: 'garage', ...at }])
  const failed = next(node.services.clips, 'import:failed')
  await writeFile(join(folder, 'x.mp4'), randomClip(1000))
  await writeFile(join(folder, 'x.json'), JSON.stringify({ camera: 'garage', start, duration: 10 }))
  const { error } = await failed
  assert.equal(error.code, 'INVALID_SIDECAR')
  assert.equal(error.details.field, 'camera')
  assert.deepEqual(await node.services.clips.list(), [])
  assert.ok((await readdir(join(folder, 'failed'))).includes('x.mp4.error.txt'))
})

test('a folder that does not exist is reported, not created; a sync follows the camera list', async (t) => {
  const dir = await tempDir(t)
  const missing = join(dir, 'typo')
  const node = await resident(t, [{ name: 'shed', ...at, source: { kind: 'folder', path: missing } }])
  const status = node.services.folders.status().shed
  assert.equal(status?.state, 'unusable')
  assert.equal(status?.state === 'unusable' && status.error.code, 'SOURCE_FOLDER_UNUSABLE')
  await assert.rejects(stat(missing), { code: 'ENOENT' })

  await mkdir(missing)
  await node.services.folders.sync([{ name: 'shed', ...at, source: { kind: 'folder', path: missing } }])
  // Still the same path: the failed one is tried again.
  assert.equal(node.services.folders.status().shed?.state, 'watching')
  await node.services.folders.sync([{ name: 'shed', ...at }])
  assert.deepEqual(node.services.folders.status(), {})
})

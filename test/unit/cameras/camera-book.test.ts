// The camera book on its own: changes saved to config.json and shown only once saved, every refused change
// leaves the file and the list as they were and announces nothing, the request topics to follow the
// cameras' res-7 cells, and a source's credentials survive an edit that sends back only what the API showed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { cellToLatLng, latLngToCell } from 'h3-js'
import { CameraBook, followCameras, resolveSource, cameraView, topicChanges } from '../../../node/cameras/camera-book.js'
import { initNode, loadConfig, type Camera, type NodeConfig } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { topicCells } from '../../../protocol/index.js'
import type { CameraBody } from '../../../protocol/index.js'

const [LAT, LNG] = cellToLatLng(latLngToCell(47.6205, -122.3493, 9))
/** ~30 km south: another res-7 cell. */
const FAR = { lat: LAT - 0.3, lng: LNG }
const SECRET = 's3cr3t-pw'

async function withBook (t: { after: (fn: () => Promise<void>) => void }, cameras: NodeConfig['cameras'] = []): Promise<{ book: CameraBook, dir: string, config: NodeConfig, lines: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-book-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await initNode(dir, { role: 'resident', name: 'birch lane', cameras })
  const config = await loadConfig(dir)
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', destination: new Writable({ write (chunk, _enc, done) { lines.push(String(chunk)); done() } }) })
  return { book: new CameraBook({ config, dir, logger }), dir, config, lines }
}

const porch: CameraBody = { name: 'porch', lat: LAT, lng: LNG, direction: 90, source: { kind: 'rtsp', url: `rtsp://admin:${SECRET}@192.0.2.5:554/stream1` } }

test('an added camera is saved to config.json, shown in the list and announced; a restart reads it back', async (t) => {
  const { book, dir } = await withBook(t)
  const changed: unknown[] = []
  book.on('cameras:changed', (list) => changed.push(list))
  await book.add(porch)
  assert.deepEqual(book.list().map((c) => c.name), ['porch'])
  assert.equal(changed.length, 1)
  const saved = await loadConfig(dir)
  assert.deepEqual(saved.cameras, [{ name: 'porch', lat: LAT, lng: LNG, direction: 90, source: porch.source }])
  // The node's other settings are what they were.
  assert.equal(saved.name, 'birch lane')
  const again = new CameraBook({ config: saved, dir, logger: createLogger({ level: 'silent' }) })
  assert.deepEqual(again.list(), saved.cameras)
})

test('a refused change leaves the file, the list and the topics as they were, with a typed error', async (t) => {
  const { book, dir } = await withBook(t, [{ name: 'porch', lat: LAT, lng: LNG }])
  const changed: unknown[] = []
  book.on('cameras:changed', (list) => changed.push(list))
  const before = await readFile(join(dir, 'config.json'), 'utf8')
  const refused: string[] = []
  book.on('cameras:refused', ({ error }) => refused.push(error.code))
  const cases: Array<[() => Promise<unknown>, string, string?]> = [
    [async () => await book.add({ name: 'porch', lat: LAT, lng: LNG }), 'CameraExistsError'],
    [async () => await book.add({ name: 'garage', lat: 91, lng: LNG }), 'InvalidCameraError', 'lat'],
    [async () => await book.add({ name: 'garage', lat: LAT, lng: LNG, direction: 360 }), 'InvalidCameraError', 'direction'],
    [async () => await book.add({ name: 'garage\u0007', lat: LAT, lng: LNG }), 'InvalidCameraError', 'name'],
    [async () => await book.add({ name: 'garage', lat: LAT, lng: LNG, source: { kind: 'rtsp', url: 'http://192.0.2.5/stream' } }), 'InvalidCameraError', 'source/url'],
    [async () => await book.add({ name: 'garage', lat: LAT, lng: LNG, source: { kind: 'frigate', url: 'http://nvr:5000', camera: 'front door' } }), 'InvalidCameraError', 'source/camera'],
    // The view's form of a URL, for a camera that has none stored to keep.
    [async () => await book.add({ name: 'garage', lat: LAT, lng: LNG, source: { kind: 'rtsp', url: 'rtsp://192.0.2.5:554/stream1 (credentials hidden)' } }), 'InvalidCameraError', 'source/url'],
    [async () => await book.update('shed', { name: 'shed', lat: LAT, lng: LNG }), 'CameraNotFoundError'],
    [async () => await book.remove('shed'), 'CameraNotFoundError']
  ]
  for (const [change, name, field] of cases) {
    await assert.rejects(change, (err: Error & { details?: { field?: string } }) => {
      assert.equal(err.name, name)
      if (field !== undefined) assert.equal(err.details?.field, field)
      return true
    })
  }
  assert.equal(await readFile(join(dir, 'config.json'), 'utf8'), before)
  assert.deepEqual(book.list().map((c) => c.name), ['porch'])
  assert.equal(refused.length, cases.length)
  assert.equal(changed.length, 0)
})

test('the request topics to follow: a new cell joined, a cell left with its last camera, none for a camera beside another', () => {
  const porch = { name: 'porch', lat: LAT, lng: LNG }
  const garage = { name: 'garage', lat: LAT + 0.0005, lng: LNG }
  const cabin = { name: 'cabin', ...FAR }
  const here = topicCells([latLngToCell(LAT, LNG, 9)])
  const there = topicCells([latLngToCell(FAR.lat, FAR.lng, 9)])
  assert.notDeepEqual(here, there)
  assert.deepEqual(topicChanges([], [porch]), { join: here, leave: [] })
  assert.deepEqual(topicChanges([porch], [porch, garage]), { join: [], leave: [] })
  assert.deepEqual(topicChanges([porch, garage], [porch, garage, cabin]), { join: there, leave: [] })
  assert.deepEqual(topicChanges([porch, garage, cabin], [garage, cabin]), { join: [], leave: [] })
  assert.deepEqual(topicChanges([garage, cabin], [garage, { ...cabin, lat: LAT, lng: LNG + 0.0005 }]), { join: [], leave: there })
  assert.deepEqual(topicChanges([garage], []), { join: [], leave: here })
})

test('an edit that sends the shown source back keeps the stored credentials; a new address or token replaces them', async (t) => {
  const { book, dir, lines } = await withBook(t)
  await book.add(porch)
  const shown = cameraView(book.get('porch'))
  assert.equal(JSON.stringify(shown).includes(SECRET), false)
  await book.update('porch', { name: 'front porch', lat: LAT, lng: LNG, source: shown.source! })
  assert.deepEqual(book.get('front porch').source, porch.source, 'renamed, the password kept')
  await book.update('front porch', { name: 'front porch', lat: LAT, lng: LNG, source: { kind: 'rtsp', url: 'rtsp://192.0.2.6/stream2' } })
  assert.deepEqual(book.get('front porch').source, { kind: 'rtsp', url: 'rtsp://192.0.2.6/stream2' })
  // Nothing the book logged has the password in it, and the file has only the current source.
  assert.ok(lines.length >= 3)
  assert.equal(lines.some((l) => l.includes(SECRET)), false)
  assert.equal((await readFile(join(dir, 'config.json'), 'utf8')).includes(SECRET), false)
})

test('a Frigate token: kept when sent back as `true` for the same server, refused for another, removed with `false`', () => {
  const stored = { kind: 'frigate' as const, url: 'http://nvr.lan:5000', camera: 'front_door', token: 'tok-1' }
  assert.deepEqual(resolveSource({ kind: 'frigate', url: 'http://nvr.lan:5000', camera: 'porch', token: true }, stored), { ...stored, camera: 'porch' })
  assert.deepEqual(resolveSource({ kind: 'frigate', url: 'http://nvr.lan:5000', camera: 'front_door', token: 'tok-2' }, stored), { ...stored, token: 'tok-2' })
  assert.deepEqual(resolveSource({ kind: 'frigate', url: 'http://nvr.lan:5000', camera: 'front_door', token: false }, stored), { kind: 'frigate', url: 'http://nvr.lan:5000', camera: 'front_door' })
  assert.throws(() => resolveSource({ kind: 'frigate', url: 'http://evil.example:5000', camera: 'front_door', token: true }, stored), { name: 'InvalidCameraError' })
  assert.throws(() => resolveSource({ kind: 'frigate', url: 'http://nvr.lan:5000', camera: 'front_door', token: true }, undefined), { name: 'InvalidCameraError' })
  // An rtsp source's URL is never handed to a source of another kind.
  assert.throws(() => resolveSource({ kind: 'frigate', url: 'rtsp://192.0.2.5:554/s (credentials hidden)', camera: 'x', token: true }, { kind: 'rtsp', url: 'rtsp://a:b@192.0.2.5:554/s' }), { name: 'InvalidCameraError' })
})

test('changes run one at a time: two adds at once both land, in order, in the file', async (t) => {
  const { book, dir } = await withBook(t)
  await Promise.all([book.add({ name: 'a', lat: LAT, lng: LNG }), book.add({ name: 'b', lat: LAT, lng: LNG }), book.add({ name: 'a', lat: LAT, lng: LNG }).catch((e: Error) => e.name)])
  assert.deepEqual((await loadConfig(dir)).cameras.map((c) => c.name), ['a', 'b'])
})

test('a follower (the recorder, the folder watcher) gets every saved list; its failure is logged and the change stands', async (t) => {
  const { book, dir, lines } = await withBook(t)
  const synced: string[][] = []
  let fail = false
  let last: Promise<void> = Promise.resolve()
  const sync = async (cameras: readonly Camera[]): Promise<void> => { synced.push(cameras.map((c) => c.name)); if (fail) throw new Error('ffmpeg is missing') }
  const stop = followCameras(book, { sync: (cameras) => (last = sync(cameras)) }, createLogger({ level: 'error', destination: new Writable({ write (chunk, _enc, done) { lines.push(String(chunk)); done() } }) }))
  await book.add(porch)
  await assert.rejects(book.add({ name: 'porch', lat: LAT, lng: LNG }), { name: 'CameraExistsError' })
  fail = true
  await book.add({ name: 'garage', lat: LAT, lng: LNG })
  // The book's own handler on the failed sync was attached first, so it has run when this one does.
  await last.catch(() => {})
  assert.deepEqual(synced, [['porch'], ['porch', 'garage']], 'a refused change is never handed on')
  assert.ok(lines.some((l) => l.includes('could not follow')))
  assert.deepEqual((await loadConfig(dir)).cameras.map((c) => c.name), ['porch', 'garage'])
  stop()
  await book.remove('garage')
  assert.equal(synced.length, 2)
})

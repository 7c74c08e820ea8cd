// The camera API's views: a recorder's status joins its camera's view, a source never shows its secret,
// and a node built without a source tester says so with a typed error rather than a guess.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CameraApi } from '../../../node/cameras/camera-api.js'
import { CameraBook } from '../../../node/cameras/camera-book.js'
import { parseConfig } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import type { RecorderStatusView } from '../../../protocol/index.js'

const logger = createLogger({ level: 'silent' })
const config = parseConfig({
  version: 1,
  role: 'resident',
  name: 'birch lane',
  cameras: [
    { name: 'porch', lat: 47.62, lng: -122.35, source: { kind: 'rtsp', url: 'rtsp://admin:hunter2@192.0.2.5/s' } },
    { name: 'door', lat: 47.62, lng: -122.35, source: { kind: 'frigate', url: 'http://nvr:5000', camera: 'front_door', token: 'tok-hunter2' } },
    { name: 'shed', lat: 47.62, lng: -122.35 }
  ]
})

test('a recorder\'s status is shown with its camera; other cameras have none; no secret in any view', () => {
  const status: RecorderStatusView = { state: 'unreachable', since: 1_700_000_000_000, error: { code: 'RECORDER_UNREACHABLE', message: 'cannot connect to 192.0.2.5:554' } }
  const api = new CameraApi({ logger, cameras: new CameraBook({ config, dir: undefined, logger }), recordings: { status: () => ({ porch: status }) } })
  const views = api.views()
  assert.deepEqual(views.map((v) => v.status), [status, undefined, undefined])
  assert.deepEqual(views[1]!.source, { kind: 'frigate', url: 'http://nvr:5000/', camera: 'front_door', token: true })
  assert.equal(JSON.stringify(views).includes('hunter2'), false)
  assert.deepEqual(api.view('porch').status, status)
  assert.throws(() => api.view('garage'), { name: 'CameraNotFoundError' })
})

test('without a source tester, a test is refused with SOURCE_TEST_UNAVAILABLE; a camera without a source, with INVALID_CAMERA', async () => {
  const api = new CameraApi({ logger, cameras: new CameraBook({ config, dir: undefined, logger }) })
  await assert.rejects(api.test({ name: 'porch' }), { name: 'SourceTestUnavailableError', code: 'SOURCE_TEST_UNAVAILABLE' })
  await assert.rejects(api.test({ name: 'shed' }), { name: 'InvalidCameraError' })
  await assert.rejects(api.test({}), { name: 'InvalidCameraError' })
  await assert.rejects(api.test({ source: { kind: 'rtsp', url: 'http://not-rtsp' } }), { name: 'InvalidCameraError' })
})

test('a test beyond the ones running at once is refused with SOURCE_TEST_BUSY; a slot frees when one ends', async () => {
  const waiting: Array<() => void> = []
  const testSource = async (): Promise<{ ok: true, details: Record<string, never> }> => { await new Promise<void>((resolve) => waiting.push(resolve)); return { ok: true, details: {} } }
  const api = new CameraApi({ logger, cameras: new CameraBook({ config, dir: undefined, logger }) }, { testSource, maxTests: 2 })
  const first = api.test({ name: 'porch' })
  const second = api.test({ name: 'door' })
  await assert.rejects(api.test({ name: 'porch' }), { name: 'SourceTestBusyError', code: 'SOURCE_TEST_BUSY' })
  // A test reaches the tester within its call (nothing before it awaits).
  assert.equal(waiting.length, 2)
  waiting.shift()!()
  assert.deepEqual(await first, { ok: true, details: {} })
  const third = api.test({ name: 'porch' })
  assert.equal(waiting.length, 2)
  for (const go of waiting.splice(0)) go()
  assert.deepEqual(await Promise.all([second, third]), [{ ok: true, details: {} }, { ok: true, details: {} }])
})

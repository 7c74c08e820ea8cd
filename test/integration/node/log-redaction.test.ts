// A real resident node with a camera, logging at `trace`: after clips are imported (from the import folder
// and over the API), one refused, and the API is used with its token, no log line holds the token, a key,
// the camera's position or name, or a clip's file name.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { createNode, roleSetup } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import type { ClipsService } from '../../../node/clips/index.js'

const camera = { name: 'porch-of-the-cedar-house', lat: 47.606209, lng: -122.332071 }
const clipFile = 'cedar-house-front-door-2026-11-30'
const refusedFile = 'neighbours-garden-at-night'
const sample = new URL('../../fixtures/sample-clip.webm', import.meta.url)

test('a resident node\'s log lines carry no token, key, camera position or name, nor clip name', async (t) => {
  const lines: string[] = []
  const destination = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(...chunk.toString().split('\n').filter((l) => l !== '')); done() } })
  const setup = roleSetup('resident')
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'resident', name: 'cedar', cameras: [camera] }),
    services: setup.services,
    libp2p: { messageId: setup.messageId },
    staticDir: false,
    logger: createLogger({ level: 'trace', destination, base: { role: 'resident', node: 'cedar' } })
  })
  t.after(async () => { await node.stop() })
  await node.start()
  const clips = (node.services as { clips: ClipsService }).clips
  const token = node.keys.apiToken
  const url = node.info().api!.url
  const bytes = await readFile(sample)

  // From the import folder: one clip taken, one refused (its sidecar names no camera of this node).
  await mkdir(clips.importFolder, { recursive: true })
  const imported = once(clips, 'import:imported')
  await writeFile(join(clips.importFolder, `${clipFile}.webm`), bytes)
  await writeFile(join(clips.importFolder, `${clipFile}.json`), JSON.stringify({ camera: camera.name, start: '2026-11-30T20:00:00Z', duration: 10 }))
  await imported
  const failed = once(clips, 'import:failed')
  await writeFile(join(clips.importFolder, `${refusedFile}.webm`), bytes)
  await writeFile(join(clips.importFolder, `${refusedFile}.json`), JSON.stringify({ camera: 'garden-cam-behind-the-shed', start: '2026-11-30T21:00:00Z', duration: 10 }))
  await failed

  // Over the API, with the token, and a request that puts it (wrongly) in the query string.
  const query = new URLSearchParams({ camera: camera.name, start: '2026-11-30T22:00:00Z', duration: '5' })
  const upload = await fetch(`${url}/api/clips?${query.toString()}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'video/webm' }, body: new Uint8Array([...bytes, 1]) })
  assert.equal(upload.status, 201)
  assert.equal((await fetch(`${url}/api/cameras`, { headers: { authorization: `Bearer ${token}` } })).status, 200)
  assert.equal((await fetch(`${url}/api/clips?token=${token}`)).status, 401)
  await node.stop()

  // Something was logged, as JSON lines, about exactly these events …
  const parsed = lines.map((l) => JSON.parse(l) as { msg: string, route?: string, err?: { code?: string } })
  assert.ok(parsed.some((l) => l.msg === 'clips: imported'))
  assert.ok(parsed.some((l) => l.msg === 'clips: import failed' && l.err?.code === 'UNKNOWN_CAMERA'))
  assert.ok(parsed.some((l) => l.msg === 'request' && l.route === '/api/clips'))
  assert.ok(parsed.some((l) => l.msg === 'node: ready'))
  // … and none of it says what must stay on the node.
  const text = lines.join('\n')
  const secrets = [
    token, Buffer.from(node.keys.peerKey.raw).toString('hex'),
    camera.name, String(camera.lat), String(camera.lng), '47.6062', '-122.3320',
    clipFile, refusedFile, 'garden-cam-behind-the-shed'
  ]
  for (const secret of secrets) assert.equal(text.includes(secret), false, `a log line holds '${secret}'`)
})

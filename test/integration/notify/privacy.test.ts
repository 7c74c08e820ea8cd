// What leaves the node in a notification, on every channel at once: a resident with a camera inside the
// request's area and a clip of it inside the window sends MQTT (with discovery), a JSON webhook and an
// email; every byte each receiver got (topics, payloads, HTTP headers and body, the raw email) is searched
// for the camera's name, its position in several spellings, its cell and the area's cells, the clip's CID
// and the API token. Only the request's public fields and the link may be there.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cameraCell } from '../../../protocol/index.js'
import { startMosquitto, mosquittoPath } from '../../support/mosquitto.js'
import { CAMERA_INSIDE, ingestRequest, startNotifyingResident, startSmtpServer, startWebhookServer, subscribe } from '../../helpers/notify-world.js'

const skip = mosquittoPath() === undefined ? 'mosquitto is not installed (apt-get install mosquitto)' : false

/** Every way a position could be written: as configured, rounded, and without the sign. */
function spellings (x: number): string[] {
  return [String(x), x.toFixed(5), x.toFixed(4), x.toFixed(3), String(Math.abs(x)), Math.abs(x).toFixed(4)]
}

test('no channel\'s payload names a camera, a position, a cell, a clip or the token', { skip }, async (t) => {
  const broker = await startMosquitto()
  t.after(async () => { await broker.stop() })
  const hook = await startWebhookServer()
  t.after(async () => { await hook.close() })
  const smtp = await startSmtpServer({ secure: true })
  t.after(async () => { await smtp.close() })
  const sub = await subscribe(broker.url, '#')
  t.after(async () => { await sub.end() })

  const node = await startNotifyingResident('cedar', {
    camera: CAMERA_INSIDE,
    notify: {
      mqtt: { url: broker.url },
      webhook: { url: `${hook.url}/hook`, format: 'json' },
      email: { host: '127.0.0.1', port: smtp.port, from: 'porchlight@home.example', to: ['alex@home.example'] }
    },
    init: { emailTls: { ca: smtp.ca } }
  })
  t.after(async () => { await node.stop() })
  // A clip of the camera inside the window to come: the inbox item will list it as matching.
  const now = Math.floor(Date.now() / 1000)
  const clip = await node.services.clips.add((async function * () { yield new TextEncoder().encode('footage of the cedar house porch') })(), { camera: CAMERA_INSIDE.name, start: now - 5400, end: now - 5300, contentType: 'video/mp4' })

  const sent = new Set<string>()
  const allSent = new Promise<void>((resolve) => { node.services.notify.on('notify:sent', ({ channel }) => { sent.add(channel); if (sent.size === 3) resolve() }) })
  const { id, request, item } = await ingestRequest(node)
  await allSent
  // The inbox item does hold what must not leave: the test would prove nothing otherwise.
  assert.deepEqual(item?.cameras, [CAMERA_INSIDE.name])
  assert.deepEqual((await node.services.inbox.get(id)).clips?.map((c) => c.cid), [clip.clip.cid])
  assert.ok(request.cells.includes(cameraCell(CAMERA_INSIDE.lat, CAMERA_INSIDE.lng)))

  const event = await sub.until((m) => m.topic.endsWith('/request'))
  const http = hook.received[0]!
  const mail = smtp.received[0]!
  const payloads: Record<string, string> = {
    'mqtt (every topic and payload)': sub.messages.map((m) => `${m.topic}\n${m.payload}`).join('\n'),
    webhook: `${http.url}\n${JSON.stringify(http.headers)}\n${http.body}`,
    // Unfolded (quoted-printable soft breaks), so a value split across lines is still found.
    email: mail.raw + '\n' + mail.raw.replace(/=\r?\n/g, '')
  }
  const forbidden: Record<string, string[]> = {
    'camera name': [CAMERA_INSIDE.name],
    'camera latitude': spellings(CAMERA_INSIDE.lat),
    'camera longitude': spellings(CAMERA_INSIDE.lng),
    'camera cell': [cameraCell(CAMERA_INSIDE.lat, CAMERA_INSIDE.lng)],
    'area cells': request.cells,
    'clip CID': [clip.clip.cid],
    'API token': [node.keys.apiToken]
  }
  for (const [channel, text] of Object.entries(payloads)) {
    for (const [what, values] of Object.entries(forbidden)) {
      for (const v of values) assert.ok(!text.includes(v), `${channel} carries the ${what} (${v})`)
    }
  }

  // The structured payloads carry exactly the public fields and the link, nothing more.
  const fields = ['id', 'title', 'agency', 'agencyName', 'caseCode', 'category', 'windowStart', 'windowEnd', 'expiresAt', 'link']
  assert.deepEqual(Object.keys(JSON.parse(event.payload) as object).sort(), ['event_type', ...fields].sort())
  assert.deepEqual(Object.keys(JSON.parse(http.body) as object).sort(), ['event', ...fields].sort())
  assert.ok(!(JSON.parse(event.payload) as { link: string }).link.includes('token'))
})

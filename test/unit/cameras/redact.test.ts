// What a camera source may show: never a password, user name or token (they sit in RTSP URLs and Frigate sources).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { redactSource, redactUrl } from '../../../node/cameras/redact.js'

test('an RTSP URL loses its user, password, query and fragment, and says so', () => {
  const shown = redactUrl('rtsp://admin:hunter2@192.0.2.5:554/Streaming/Channels/101?token=s3cret#x')
  assert.equal(shown, 'rtsp://192.0.2.5:554/Streaming/Channels/101 (credentials hidden)')
  for (const secret of ['admin', 'hunter2', 's3cret']) assert.ok(!shown.includes(secret))
  assert.equal(redactUrl('rtsp://192.0.2.5/live'), 'rtsp://192.0.2.5/live')
  assert.equal(redactUrl('rtsp://[::1'), '(invalid URL)')
})

test('a Frigate source shows whether it has a token, never the token', () => {
  const view = redactSource({ kind: 'frigate', url: 'http://user:pw@192.0.2.8:5000', camera: 'front_door', token: 'tok-123' })
  assert.deepEqual(view, { kind: 'frigate', url: 'http://192.0.2.8:5000/ (credentials hidden)', camera: 'front_door', token: true })
  assert.ok(!JSON.stringify(view).includes('tok-123'))
})

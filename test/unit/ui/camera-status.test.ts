// The Cameras tab's words for a recorder's status and a source test's answer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { age, statusWords, testWords } from '../../../ui/src/resident/camera-status.js'

const NOW = new Date(2026, 11, 1, 12, 0, 0).getTime()
const at = (h: number, m: number): number => new Date(2026, 11, 1, h, m).getTime()
const hhmm = (ms: number): string => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
const rtsp = { kind: 'rtsp' as const, url: 'rtsp://192.0.2.5/s' }

test('each recorder state in words, with how long ago or since when', () => {
  assert.equal(statusWords({ source: rtsp, status: { state: 'recording', since: at(9, 0), lastSegmentAt: NOW - 3000 } }, NOW), 'recording, last segment 3 s ago')
  assert.equal(statusWords({ source: rtsp, status: { state: 'recording', since: at(9, 0) } }, NOW), `recording since ${hhmm(at(9, 0))}`)
  assert.equal(statusWords({ source: rtsp, status: { state: 'unreachable', since: at(10, 2) } }, NOW), `source unreachable since ${hhmm(at(10, 2))}`)
  assert.equal(statusWords({ source: rtsp, status: { state: 'unreachable', since: at(10, 2), error: { code: 'X', message: 'connection refused' } } }, NOW), `source unreachable since ${hhmm(at(10, 2))}: connection refused`)
  assert.equal(statusWords({ source: rtsp, status: { state: 'disk-full', since: at(11, 30) } }, NOW), `disk full: recording stopped since ${hhmm(at(11, 30))}`)
  assert.equal(statusWords({ source: rtsp, status: { state: 'connecting', since: at(11, 59) } }, NOW), `connecting since ${hhmm(at(11, 59))}`)
  // Yesterday's time carries its day.
  assert.notEqual(statusWords({ source: rtsp, status: { state: 'unreachable', since: at(10, 2) - 86_400_000 } }, NOW), `source unreachable since ${hhmm(at(10, 2))}`)
})

test('without a recorder status, the source says where footage comes from', () => {
  assert.equal(statusWords({ source: rtsp }, NOW), 'not recording')
  assert.equal(statusWords({ source: { kind: 'frigate', url: 'http://nvr:5000/', camera: 'front_door', token: false } }, NOW), 'recorded by Frigate (camera “front_door”)')
  assert.equal(statusWords({ source: { kind: 'folder', path: '/srv/cam' } }, NOW), 'clips from a folder')
  assert.equal(statusWords({}, NOW), 'clips from imports and uploads only')
})

test('ages and test answers read as words', () => {
  assert.deepEqual([age(3000), age(89_000), age(5 * 60_000), age(3 * 3600_000), age(3 * 86_400_000)], ['3 s', '89 s', '5 min', '3 h', '3 days'])
  assert.equal(testWords({ ok: true, details: { codec: 'h264', width: 1920, height: 1080, fps: 25 } }), 'The source answers: H.264, 1920×1080, 25 fps.')
  assert.equal(testWords({ ok: true, details: {} }), 'The source answers.')
  assert.equal(testWords({ ok: false, error: { code: 'SOURCE_UNAUTHORIZED', message: 'the camera refused the user name or password' } }), 'the camera refused the user name or password')
})

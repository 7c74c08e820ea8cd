import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isPorchlightError } from '../../../protocol/errors.js'
import { contentTypeOf, toClipSpan, toContentType, toUnixSeconds } from '../../../node/clips/index.js'

/** A validator for assert.throws: the error's code and the field its details name. */
function failsOn (code: string, field: string): (err: unknown) => boolean {
  return (err) => isPorchlightError(err) && err.code === code && err.details.field === field
}

test('times are unix seconds or ISO 8601 with a zone; an end rounds up to cover the span', () => {
  assert.equal(toUnixSeconds('start', '2026-11-26T14:05:00Z'), 1795701900)
  assert.equal(toUnixSeconds('start', '2026-11-26T09:05:00-05:00'), 1795701900)
  assert.equal(toUnixSeconds('start', '1795701900'), 1795701900)
  assert.equal(toUnixSeconds('start', 1795701900), 1795701900)
  assert.equal(toUnixSeconds('start', '2026-11-26T14:05:00.5Z'), 1795701900)
  assert.equal(toUnixSeconds('end', '2026-11-26T14:05:00.5Z', 'up'), 1795701901)
  for (const bad of ['2026-11-26T14:05:00', '2026-11-26', 'yesterday', '', '-5', '2026-13-40T99:99:00Z', 1.5, null]) {
    assert.throws(() => toUnixSeconds('start', bad), failsOn('INVALID_CLIP_TIME', 'start'), String(bad))
  }
})

test('a span takes exactly one of end and duration', () => {
  assert.deepEqual(toClipSpan({ start: 100, end: 160 }), { start: 100, end: 160 })
  assert.deepEqual(toClipSpan({ start: '100', duration: '60' }), { start: 100, end: 160 })
  assert.deepEqual(toClipSpan({ start: 100, duration: 0 }), { start: 100, end: 100 })
  assert.throws(() => toClipSpan({ start: 100 }), failsOn('INVALID_CLIP_TIME', 'end'))
  assert.throws(() => toClipSpan({ start: 100, end: 200, duration: 100 }), failsOn('INVALID_CLIP_TIME', 'end'))
  assert.throws(() => toClipSpan({ start: 100, duration: -1 }), failsOn('INVALID_CLIP_TIME', 'duration'))
})

test('content types come from the extension or the header, without parameters', () => {
  assert.equal(contentTypeOf('porch-1200.MP4'), 'video/mp4')
  assert.equal(contentTypeOf('still.jpeg'), 'image/jpeg')
  assert.equal(contentTypeOf('dump.bin'), 'application/octet-stream')
  assert.equal(toContentType('Video/MP4; codecs="avc1"'), 'video/mp4')
  assert.equal(toContentType(undefined), undefined)
  assert.equal(toContentType(' '), undefined)
})

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { peekStream, sniffMediaType } from '../../../node/deliveries/index.js'
import { byteStream, readAll } from '../../support/byte-streams.js'

test('sniffMediaType: mp4 by its ftyp box, webm by EBML, anything else octet-stream', () => {
  assert.equal(sniffMediaType(new Uint8Array([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69])), 'video/mp4')
  assert.equal(sniffMediaType(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1])), 'video/webm')
  assert.equal(sniffMediaType(new Uint8Array([0x3c, 0x68, 0x74, 0x6d, 0x6c, 0, 0, 0])), 'application/octet-stream')
  assert.equal(sniffMediaType(new Uint8Array([0, 0, 0])), 'application/octet-stream')
})

test('peekStream: the head is the first chunk and the stream still yields every byte', async () => {
  const bytes = new Uint8Array(1000).map((_, i) => i % 251)
  const { head, stream } = await peekStream(byteStream(bytes, 300))
  assert.deepEqual(head, bytes.slice(0, 300))
  assert.deepEqual(await readAll(stream), bytes)
  const empty = await peekStream(byteStream(new Uint8Array(0)))
  assert.equal(empty.head.length, 0)
  assert.equal((await readAll(empty.stream)).length, 0)
})

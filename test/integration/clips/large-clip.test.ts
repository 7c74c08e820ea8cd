import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { get, request, type IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createNode, residentRole } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import type { ClipRecord } from '../../../node/clips/index.js'
import { RAW_CODE, cidFromSha256Digest } from '../../../protocol/codec/index.js'
import { randomClip } from '../../support/byte-streams.js'

const MiB = 1024 * 1024
const clipBytes = 200 * MiB
// Generous: a clip held whole would grow RSS by 200 MiB; streaming needs a few buffers, plus the garbage
// the collector has not reclaimed yet (measured here: 35–50 MiB, client and server together).
const maxRssGrowth = 80 * MiB

const chunkBytes = 256 * 1024

/** `total` bytes in 256 KiB chunks, each distinct, generated as they are pulled. */
function* generated (total: number, onChunk: () => void): Generator<Uint8Array> {
  const block = randomClip(chunkBytes)
  for (let i = 0; i * chunkBytes < total; i++) {
    const chunk = new Uint8Array(block)
    new DataView(chunk.buffer).setUint32(0, i)
    onChunk()
    yield chunk
  }
}

test('a 200 MiB clip goes up through the API and back with RSS growth far below its size', { timeout: 120_000 }, async (t) => {
  const start = Math.floor(Date.now() / 1000) - 3600
  const config = parseConfig({ version: 1, role: 'resident', name: 'maple', cameras: [{ name: 'porch', lat: 40.712776, lng: -74.005974 }] })
  const node = await createNode({ config, services: { cameras: residentRole().cameras, clips: residentRole({ clips: { importFolder: false } }).clips }, staticDir: false })
  await node.start()
  t.after(async () => { await node.stop() })
  const { url } = node.info().api!
  const auth = { authorization: `Bearer ${node.keys.apiToken}` }

  const baseline = process.memoryUsage.rss()
  let peak = baseline
  const sample = (): void => { peak = Math.max(peak, process.memoryUsage.rss()) }
  const sampler = setInterval(sample, 5)
  t.after(() => { clearInterval(sampler) })

  const sent = createHash('sha256')
  const req = request(`${url}/api/clips?camera=porch&start=${start}&duration=600`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'video/mp4', 'content-length': clipBytes }
  })
  const answered = new Promise<{ status: number, body: string }>((resolve, reject) => {
    req.once('error', reject).once('response', (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (d: string) => { body += d }).once('end', () => { resolve({ status: res.statusCode ?? 0, body }) })
    })
  })
  await pipeline(Readable.from(generated(clipBytes, sample)).on('data', (c: Uint8Array) => { sent.update(c) }), req)
  const { status, body } = await answered
  assert.equal(status, 201, body)
  const clip = JSON.parse(body) as ClipRecord
  assert.equal(clip.size, clipBytes)
  assert.equal(clip.cid, cidFromSha256Digest(new Uint8Array(sent.digest()), RAW_CODE).toString())
  const uploadGrowth = peak - baseline

  const res = await new Promise<IncomingMessage>((resolve, reject) => { get(`${url}/api/clips/${clip.cid}`, { headers: auth }, resolve).once('error', reject) })
  assert.equal(res.statusCode, 200)
  const received = createHash('sha256')
  let size = 0
  for await (const chunk of res) {
    received.update(chunk as Buffer)
    size += (chunk as Buffer).length
    sample()
  }
  clearInterval(sampler)
  assert.equal(size, clipBytes)
  assert.equal(cidFromSha256Digest(new Uint8Array(received.digest()), RAW_CODE).toString(), clip.cid)
  // Client and server share this process, so both sides count.
  t.diagnostic(`RSS growth: upload ${(uploadGrowth / MiB).toFixed(1)} MiB, upload then download ${((peak - baseline) / MiB).toFixed(1)} MiB`)
  assert.ok(uploadGrowth < maxRssGrowth, `RSS grew by ${(uploadGrowth / MiB).toFixed(1)} MiB during the upload`)
  assert.ok(peak - baseline < maxRssGrowth, `RSS grew by ${((peak - baseline) / MiB).toFixed(1)} MiB`)
})

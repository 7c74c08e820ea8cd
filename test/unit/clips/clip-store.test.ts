import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clipCid } from '../../../protocol/codec/index.js'
import { openStore, type Store } from '../../../node/storage/index.js'
import { openClipStore, type ClipStore, type ClipMeta } from '../../../node/clips/index.js'
import { randomClip } from '../../support/byte-streams.js'

const now = 1_800_000_000
const cameras = [{ name: 'porch', lat: 40.712776, lng: -74.005974 }, { name: 'garage', lat: 40.7129, lng: -74.006 }]
const meta: ClipMeta = { camera: 'porch', start: now - 600, end: now - 540, contentType: 'video/mp4' }

interface Fixture { dir: string, db: Store, clips: ClipStore }

async function fixture (t: { after: (fn: () => Promise<void>) => void }, maxClipBytes?: number): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-clips-'))
  const db = await openStore(dir)
  t.after(async () => { await db.close(); await rm(dir, { recursive: true, force: true }) })
  const clips = await openClipStore(db, { dir, cameras, now: () => now, ...(maxClipBytes === undefined ? {} : { maxClipBytes }) })
  return { dir, db, clips }
}

/** A source that counts the chunks it served and may fail after some. */
function source (bytes: Uint8Array, opts: { chunk?: number, failAfter?: number } = {}): AsyncIterable<Uint8Array> & { pulled: number } {
  const chunk = opts.chunk ?? 1000
  const it = {
    pulled: 0,
    async * [Symbol.asyncIterator] () {
      for (let at = 0; at < bytes.length; at += chunk) {
        if (opts.failAfter !== undefined && it.pulled >= opts.failAfter) throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' }) // as a cut-off upload does
        it.pulled++
        yield bytes.subarray(at, at + chunk)
      }
    }
  }
  return it
}

/** Nothing visible and nothing temporary: only the empty .incoming folder in clips/. */
async function assertEmpty (f: Fixture): Promise<void> {
  assert.deepEqual(await readdir(join(f.dir, 'clips')), ['.incoming'])
  assert.deepEqual(await readdir(join(f.dir, 'clips', '.incoming')), [])
  assert.deepEqual(await f.clips.list(), [])
}

async function codeOf (promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (err) {
    return (err as { code: string }).code
  }
  return 'resolved'
}

test('a clip is stored under its raw CID with its metadata, and reads back byte for byte', async (t) => {
  const f = await fixture(t)
  const bytes = randomClip(10_000)
  const { clip, created } = await f.clips.add(source(bytes), meta)
  assert.equal(created, true)
  assert.deepEqual(clip, { cid: clipCid(bytes).toString(), size: 10_000, camera: 'porch', start: now - 600, end: now - 540, contentType: 'video/mp4', addedAt: now })
  assert.deepEqual(new Uint8Array(await readFile(join(f.dir, 'clips', clip.cid))), bytes)
  assert.deepEqual(await f.clips.get(clip.cid), clip)
  assert.deepEqual(await f.clips.list(), [clip])
  const { stream } = await f.clips.read(clip.cid, { start: 10, end: 19 })
  const parts: Buffer[] = []
  for await (const part of stream) parts.push(part as Buffer)
  assert.deepEqual(new Uint8Array(Buffer.concat(parts)), bytes.subarray(10, 20))
})

test('adding the same bytes again is idempotent; with other metadata it is a conflict that changes nothing', async (t) => {
  const f = await fixture(t)
  const bytes = randomClip(5000)
  const first = await f.clips.add(source(bytes), meta)
  const again = await f.clips.add(source(bytes, { chunk: 7 }), meta)
  assert.equal(again.created, false)
  assert.deepEqual(again.clip, first.clip)
  assert.equal(await codeOf(f.clips.add(source(bytes), { ...meta, camera: 'garage' })), 'CLIP_CONFLICT')
  assert.equal(await codeOf(f.clips.add(source(bytes), { ...meta, end: meta.end + 1 })), 'CLIP_CONFLICT')
  assert.deepEqual(await f.clips.list(), [first.clip])
  assert.deepEqual((await readdir(join(f.dir, 'clips'))).sort(), ['.incoming', first.clip.cid])
  assert.deepEqual(await readdir(join(f.dir, 'clips', '.incoming')), [])
})

test('two adds of the same bytes at once store one clip', async (t) => {
  const f = await fixture(t)
  const bytes = randomClip(50_000)
  const results = await Promise.all([f.clips.add(source(bytes), meta), f.clips.add(source(bytes, { chunk: 333 }), meta)])
  assert.deepEqual(results.map((r) => r.created).sort(), [false, true])
  assert.equal((await f.clips.list()).length, 1)
})

test('bad metadata is refused before a byte is read, and leaves nothing', async (t) => {
  const f = await fixture(t)
  const cases: Array<[Partial<ClipMeta>, string]> = [
    [{ camera: 'attic' }, 'UNKNOWN_CAMERA'],
    [{ start: now, end: now - 1 }, 'INVALID_CLIP_TIME'],
    [{ start: -1 }, 'INVALID_CLIP_TIME'],
    [{ start: 1.5 }, 'INVALID_CLIP_TIME'],
    [{ end: now + 3600 }, 'INVALID_CLIP_TIME'],
    [{ contentType: 'text/html' }, 'UNSUPPORTED_CLIP_TYPE'],
    [{ contentType: 'image/svg+xml' }, 'UNSUPPORTED_CLIP_TYPE']
  ]
  for (const [change, code] of cases) {
    const src = source(randomClip(100))
    assert.equal(await codeOf(f.clips.add(src, { ...meta, ...change })), code, JSON.stringify(change))
    assert.equal(src.pulled, 0)
  }
  await assertEmpty(f)
})

test('a snapshot (start = end) and a clip ending within the clock skew are accepted', async (t) => {
  const f = await fixture(t)
  assert.equal((await f.clips.add(source(randomClip(10)), { camera: 'garage', start: now, end: now, contentType: 'image/jpeg' })).created, true)
  assert.equal((await f.clips.add(source(randomClip(10)), { camera: 'garage', start: now, end: now + 60 })).clip.contentType, 'application/octet-stream')
})

test('an empty clip, a clip over the size limit and a source that fails are refused and leave nothing', async (t) => {
  const f = await fixture(t, 1000)
  assert.equal(await codeOf(f.clips.add(source(new Uint8Array(0)), meta)), 'EMPTY_CLIP')
  const big = source(randomClip(5000), { chunk: 100 })
  await assert.rejects(f.clips.add(big, meta), { name: 'ClipTooLargeError', details: { field: 'size', limit: 1000, value: 1001 + 99 } })
  assert.equal(big.pulled, 11) // it stops at the first chunk past the limit
  assert.equal(await codeOf(f.clips.add(source(randomClip(900), { chunk: 100, failAfter: 3 }), meta)), 'CLIP_SOURCE_FAILED')
  assert.equal((await f.clips.add(source(randomClip(1000)), meta)).created, true) // exactly the limit
  assert.equal((await f.clips.list()).length, 1)
  assert.deepEqual(await readdir(join(f.dir, 'clips', '.incoming')), [])
})

test('opening the store clears temporary files and clip files that never got their record', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-clips-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  let db = await openStore(dir)
  const clips = await openClipStore(db, { dir, cameras, now: () => now })
  const { clip } = await clips.add(source(randomClip(100)), meta)
  await db.close()
  // What a crash leaves: a half-written temporary file, and a renamed file whose record was never written.
  await writeFile(join(dir, 'clips', '.incoming', 'a1b2c3'), randomClip(50))
  const orphan = clipCid(new Uint8Array([9])).toString()
  await writeFile(join(dir, 'clips', orphan), new Uint8Array([9]))
  await mkdir(join(dir, 'clips', '.incoming', 'nested'))
  db = await openStore(dir)
  t.after(async () => { await db.close() })
  const reopened = await openClipStore(db, { dir, cameras, now: () => now })
  assert.deepEqual((await readdir(join(dir, 'clips'))).sort(), ['.incoming', clip.cid])
  assert.deepEqual(await readdir(join(dir, 'clips', '.incoming')), [])
  assert.deepEqual(await reopened.list(), [clip])
})

test('reading a clip that is not stored is ClipNotFoundError', async (t) => {
  const f = await fixture(t)
  await assert.rejects(f.clips.read(clipCid(new Uint8Array([1])).toString()), { name: 'ClipNotFoundError', code: 'CLIP_NOT_FOUND' })
})

test('the list is ordered by recording time', async (t) => {
  const f = await fixture(t)
  const later = await f.clips.add(source(randomClip(10)), { ...meta, start: now - 100, end: now - 50 })
  const earlier = await f.clips.add(source(randomClip(10)), { ...meta, start: now - 1000, end: now - 900 })
  assert.deepEqual((await f.clips.list()).map((c) => c.cid), [earlier.clip.cid, later.clip.cid])
})

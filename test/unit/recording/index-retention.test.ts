// The segment index and retention, without ffmpeg: segments made as files of the sizes the index names, then
// a recording service (no camera to record) started on them with an injected clock.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { openStore } from '../../../node/storage/index.js'
import { RecordingService, cameraFolder, type RecordingEvents, type SegmentRecord } from '../../../node/recording/index.js'
import { SegmentIndex, type SegmentIndexDb } from '../../../node/recording/segment-index.js'

const DAY = 86_400_000
const NOW = 1_800_000_000_000
const KiB = 1024

/** `segments` as files under `<dir>/recordings` and entries in the node store's index. */
async function recorded (dir: string, segments: Array<Omit<SegmentRecord, 'file'>>): Promise<SegmentRecord[]> {
  const store = await openStore(dir)
  const index = await SegmentIndex.open(store.sublevel('recording-segments', { valueEncoding: 'json' }) as unknown as SegmentIndexDb)
  const records: SegmentRecord[] = []
  for (const [i, s] of segments.entries()) {
    const folder = cameraFolder(s.camera)
    const file = `${folder}/${s.start}-${String(i).padStart(6, '0')}.ts`
    await mkdir(join(dir, 'recordings', folder), { recursive: true })
    await writeFile(join(dir, 'recordings', file), new Uint8Array(s.bytes))
    const record = { ...s, file }
    await index.put(record)
    records.push(record)
  }
  await store.close()
  return records
}

async function service (t: { after: (fn: () => Promise<void>) => void }, dir: string, recording: Record<string, unknown> = {}): Promise<RecordingService> {
  const store = await openStore(dir)
  const config = parseConfig({ version: 1, role: 'resident', name: 'home', recording })
  const s = new RecordingService({ config, dir, store, logger: createLogger({ level: 'silent' }) }, { now: () => NOW, checkIntervalMs: 20, freeBytes: async () => 2 ** 40 })
  t.after(async () => { await s.stop(); await store.close() })
  await s.start()
  return s
}

async function tempDir (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-recording-unit-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

test('segments(): the ones overlapping the range, in time order, one camera only', async (t) => {
  const dir = await tempDir(t)
  const at = NOW - 60_000
  await recorded(dir, [
    { camera: 'porch', start: at, end: at + 10_000, bytes: 10 },
    { camera: 'porch', start: at + 10_000, end: at + 20_000, bytes: 10 },
    // a gap
    { camera: 'porch', start: at + 40_000, end: at + 50_000, bytes: 10 },
    { camera: 'garage', start: at + 5000, end: at + 15_000, bytes: 10 }
  ])
  const s = await service(t, dir)
  const starts = async (from: number, to: number, camera = 'porch'): Promise<number[]> => (await s.segments(camera, at + from, at + to)).map((r) => r.start - at)
  assert.deepEqual(await starts(5000, 6000), [0], 'inside one segment: the one that began before the range')
  assert.deepEqual(await starts(5000, 45_000), [0, 10_000, 40_000])
  assert.deepEqual(await starts(25_000, 35_000), [], 'inside the gap')
  assert.deepEqual(await starts(10_000, 10_000), [10_000], 'an end is not an overlap')
  assert.deepEqual(await starts(-90_000, -1), [])
  assert.deepEqual(await starts(51_000, 90_000), [])
  assert.deepEqual(await starts(0, 60_000, 'garage'), [5000])
  assert.deepEqual(await starts(0, 60_000, 'porc'), [], 'a name that is a prefix of another names none of its segments')
  assert.equal(s.bytes, 40)
})

test('retention: older than retentionDays first, then oldest first over maxBytes across cameras; entry and file both go', async (t) => {
  const dir = await tempDir(t)
  const seg = 400 * KiB
  const records = await recorded(dir, [
    { camera: 'porch', start: NOW - 9 * DAY, end: NOW - 9 * DAY + 10_000, bytes: seg },
    { camera: 'garage', start: NOW - 3 * DAY, end: NOW - 3 * DAY + 10_000, bytes: seg },
    { camera: 'porch', start: NOW - 2 * DAY, end: NOW - 2 * DAY + 10_000, bytes: seg },
    { camera: 'garage', start: NOW - 1 * DAY, end: NOW - 1 * DAY + 10_000, bytes: seg },
    { camera: 'porch', start: NOW - 60_000, end: NOW - 50_000, bytes: seg }
  ])
  const deleted: Array<RecordingEvents['deleted'][0]> = []
  const store = await openStore(dir)
  const config = parseConfig({ version: 1, role: 'resident', name: 'home', recording: { retentionDays: 7, maxBytes: 1024 * KiB } })
  const s = new RecordingService({ config, dir, store, logger: createLogger({ level: 'silent' }) }, { now: () => NOW, checkIntervalMs: 20, freeBytes: async () => 2 ** 40 })
  t.after(async () => { await s.stop(); await store.close() })
  s.on('deleted', (d) => { deleted.push(d) })
  const third = new Promise<void>((resolve) => { s.on('deleted', () => { if (deleted.length === 3) resolve() }) })
  await s.start()
  await third
  // Stopping waits for the index work under way: whatever retention was still going to delete, it has.
  await s.stop()
  assert.deepEqual(deleted.map((d) => [d.record.file, d.reason]), [[records[0]!.file, 'age'], [records[1]!.file, 'budget'], [records[2]!.file, 'budget']])
  assert.equal(s.bytes, 2 * seg)
  const left = [...await s.segments('porch', 0, NOW), ...await s.segments('garage', 0, NOW)].map((r) => r.file).sort()
  assert.deepEqual(left, [records[3]!.file, records[4]!.file].sort())
  const onDisk = (await Promise.all(['porch', 'garage'].map(async (c) => (await readdir(join(dir, 'recordings', cameraFolder(c)))).map((n) => `${cameraFolder(c)}/${n}`)))).flat().sort()
  assert.deepEqual(onDisk, left)
})

test('a node that never recorded makes no recording folder', async (t) => {
  const dir = await tempDir(t)
  const s = await service(t, dir)
  assert.deepEqual(await s.segments('porch', 0, NOW), [])
  assert.ok(!(await readdir(dir)).includes('recordings'))
})

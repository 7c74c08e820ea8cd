// A resident's continuous recording of its `rtsp` cameras (docs/cameras.md): one Recorder (ffmpeg) per camera,
// the index of closed segments in the node's store, retention by age and by a byte budget over all cameras,
// and a floor of free disk space under which every recorder waits. The index never names a missing or partial
// file: an entry is written only after ffmpeg listed its segment as closed and is deleted before its file, and
// at start the folder and the index are reconciled (what a `kill -9` left behind goes).
import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdir, open, readdir, rm, stat, statfs } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { Camera, RecordingConfig } from '../config/index.js'
import { resolveRecording } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import { ffmpegPath } from './binaries.js'
import { RecordingDiskFullError, RecordingNotStartedError } from './errors.js'
import { Recorder } from './recorder.js'
import { SegmentIndex, type SegmentIndexDb } from './segment-index.js'
import type { RecorderStatus, SegmentRecord } from './types.js'

export interface RecordingInit {
  /** Unix ms. @default Date.now */
  now?: () => number
  /** Free bytes on the disk holding `dir`. @default statfs's blocks available to the node's user */
  freeBytes?: (dir: string) => Promise<number>
  /** How often the disk floor and retention are checked besides after every segment. @default 10 s */
  checkIntervalMs?: number
  /** No segment for this long: ffmpeg is restarted. @default 3 segments + 10 s */
  stallMs?: number
  /** Restart delays while a camera stays unreachable. @default 1 s doubling to 30 s */
  backoffMs?: { min: number, max: number }
}

export type DeleteReason = 'age' | 'budget'

export interface RecordingEvents {
  /** A segment was closed and indexed. */
  segment: [SegmentRecord]
  status: [{ camera: string, status: RecorderStatus }]
  /** Retention deleted a segment (index entry, then file). */
  deleted: [{ record: SegmentRecord, reason: DeleteReason }]
  /** A camera's ffmpeg was started again after a run ended. */
  restarted: [{ camera: string }]
  /** Free space fell below the floor: every recorder stopped. */
  'disk-full': [RecordingDiskFullError]
}

export type RecordingComponents = Pick<NodeComponents, 'config' | 'dir' | 'store' | 'logger'>

/** A camera's folder under the recording directory: a hash, since a name may hold any character ('/', '..'). */
export function cameraFolder (camera: string): string {
  return createHash('sha256').update(camera).digest('hex').slice(0, 16)
}

const folderName = /^[0-9a-f]{16}$/
const segmentName = /^\d+-\d{6}\.ts$/

export class RecordingService extends EventEmitter<RecordingEvents> implements NodeService {
  /** Where segments are kept (absolute). */
  readonly dir: string
  readonly #components: RecordingComponents
  readonly #settings: RecordingConfig
  readonly #now: () => number
  readonly #freeBytes: (dir: string) => Promise<number>
  readonly #init: RecordingInit
  readonly #recorders = new Map<string, Recorder>()
  #index: SegmentIndex | undefined
  #cameras: readonly Camera[]
  #diskFull = false
  #timer: NodeJS.Timeout | undefined
  /** Index writes and deletions in order, so retention never races a new entry and `stop` waits for them. */
  #queue: Promise<void> = Promise.resolve()
  #syncing: Promise<void> = Promise.resolve()
  #stopped = false

  constructor (components: RecordingComponents, init: RecordingInit = {}) {
    super()
    this.#components = components
    this.#init = init
    this.#settings = resolveRecording(components.config)
    this.#now = init.now ?? Date.now
    this.#freeBytes = init.freeBytes ?? (async (dir) => { const s = await statfs(dir); return s.bavail * s.bsize })
    this.#cameras = components.config.cameras
    this.dir = resolve(components.dir ?? dirname(components.store.location), this.#settings.dir)
  }

  /** All cameras' segments together, in bytes. */
  get bytes (): number {
    return this.#index?.bytes ?? 0
  }

  async start (): Promise<void> {
    if (this.#index !== undefined) return
    const index = await SegmentIndex.open(this.#components.store.sublevel('recording-segments', { valueEncoding: 'json' }) as unknown as SegmentIndexDb)
    // A node that never recorded makes no folder (a simulator's thousand residents, a node without cameras).
    if (index.bytes > 0 || this.#cameras.some(isRecorded) || await exists(this.dir)) {
      await mkdir(this.dir, { recursive: true })
      await this.#reconcile(index)
      // A node started after days off deletes what aged meanwhile at once.
      this.#enqueue(async () => { await this.#retain(index) })
      await this.#checkDisk()
    }
    this.#index = index
    await this.sync(this.#cameras)
    this.#timer = setInterval(() => { void this.#check() }, this.#init.checkIntervalMs ?? 10_000)
    this.#timer.unref()
  }

  async stop (): Promise<void> {
    this.#stopped = true
    clearInterval(this.#timer)
    await this.#syncing
    await Promise.all([...this.#recorders.values()].map(async (r) => { await r.stop() }))
    this.#recorders.clear()
    await this.#queue
  }

  /**
   * Records the `rtsp` cameras among `cameras` and no others (a changed URL restarts its recorder). Calls run
   * one after the other, so two quick changes of the camera book never start two recorders for one camera.
   */
  async sync (cameras: readonly Camera[]): Promise<void> {
    this.#cameras = cameras
    const done = this.#syncing.then(async () => { await this.#sync(cameras) })
    this.#syncing = done.catch(() => {})
    await done
  }

  async #sync (cameras: readonly Camera[]): Promise<void> {
    if (this.#index === undefined || this.#stopped) return
    const wanted = new Map(cameras.flatMap((c) => c.source?.kind === 'rtsp' ? [[c.name, c.source.url] as const] : []))
    if (wanted.size > 0 && this.#recorders.size === 0) await this.#checkDisk()
    for (const [camera, recorder] of this.#recorders) {
      if (wanted.get(camera) === recorder.url) continue
      this.#recorders.delete(camera)
      await recorder.stop()
    }
    for (const [camera, url] of wanted) {
      if (this.#recorders.has(camera)) continue
      const folder = join(this.dir, cameraFolder(camera))
      await mkdir(folder, { recursive: true })
      const recorder = new Recorder({
        camera,
        url,
        ffmpeg: ffmpegPath(this.#components.config),
        dir: folder,
        segmentSeconds: this.#settings.segmentSeconds,
        now: this.#now,
        stallMs: this.#init.stallMs ?? this.#settings.segmentSeconds * 3000 + 10_000,
        backoffMs: this.#init.backoffMs ?? { min: 1000, max: 30_000 },
        logger: this.#components.logger
      })
      recorder.on('segment', (closed) => { this.#enqueue(async () => { await this.#indexSegment(camera, closed) }) })
      recorder.on('status', (status) => { this.emit('status', { camera, status }) })
      recorder.on('restarted', () => { this.emit('restarted', { camera }) })
      this.#recorders.set(camera, recorder)
      if (this.#diskFull) await recorder.stop('disk-full', this.#diskFullError(0))
      else recorder.start()
    }
  }

  /** Each recorded camera's state. */
  status (): Record<string, RecorderStatus> {
    return Object.fromEntries([...this.#recorders].map(([camera, r]) => [camera, r.status]))
  }

  /** The camera's closed segments overlapping [fromMs, toMs] (unix ms, node clock), in time order. */
  async segments (camera: string, fromMs: number, toMs: number): Promise<SegmentRecord[]> {
    if (this.#index === undefined) throw new RecordingNotStartedError()
    return await this.#index.overlapping(camera, fromMs, toMs)
  }

  async #indexSegment (camera: string, closed: { file: string, start: number, end: number }): Promise<void> {
    const index = this.#index
    if (index === undefined) return
    const file = `${cameraFolder(camera)}/${closed.file}`
    let bytes: number
    try {
      // On disk before the index names it (ffmpeg never fsyncs): a power cut cannot leave an entry whose file
      // lost its last pages. One fsync per segment.
      const handle = await open(join(this.dir, file), 'r')
      try {
        await handle.sync()
        bytes = (await handle.stat()).size
      } finally { await handle.close() }
    } catch { return } // gone already (a removed camera's folder): nothing to name
    const record: SegmentRecord = { camera, file, start: closed.start, end: closed.end, bytes }
    await index.put(record)
    this.emit('segment', record)
    await this.#retain(index)
    await this.#checkDisk()
  }

  async #check (): Promise<void> {
    if (this.#recorders.size === 0 && this.bytes === 0) return
    this.#enqueue(async () => { if (this.#index !== undefined) await this.#retain(this.#index) })
    await this.#checkDisk()
  }

  /** Oldest first: what is older than `retentionDays`, then what is over `maxBytes` (all cameras together). */
  async #retain (index: SegmentIndex): Promise<void> {
    const oldest = this.#now() - this.#settings.retentionDays * 86_400_000
    for await (const record of index.oldestFirst()) {
      const reason: DeleteReason | undefined = record.end < oldest ? 'age' : index.bytes > this.#settings.maxBytes ? 'budget' : undefined
      if (reason === undefined) break
      // The entry first: a crash between the two leaves a file the index does not name, which start removes.
      await index.delete(record)
      await rm(join(this.dir, record.file), { force: true })
      this.emit('deleted', { record, reason })
    }
  }

  async #checkDisk (): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    let free: number
    try { free = await this.#freeBytes(this.dir) } catch { return }
    const full = free < this.#settings.minFreeBytes
    if (full === this.#diskFull) return
    this.#diskFull = full
    const logger = this.#components.logger
    if (full) {
      const error = this.#diskFullError(free)
      logger.error({ component: 'recording', err: error, freeBytes: free, minFreeBytes: this.#settings.minFreeBytes }, 'recording: disk floor reached, recording stopped')
      this.emit('disk-full', error)
      await Promise.all([...this.#recorders.values()].map(async (r) => { await r.stop('disk-full', error) }))
    } else {
      logger.info({ component: 'recording', freeBytes: free }, 'recording: disk space back, recording resumed')
      for (const recorder of this.#recorders.values()) recorder.start()
    }
  }

  #diskFullError (free: number): RecordingDiskFullError {
    return new RecordingDiskFullError(free, this.#settings.minFreeBytes)
  }

  #enqueue (task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch((err) => {
      this.#components.logger.error({ component: 'recording', err }, 'recording: index update failed')
    })
  }

  /** Entries whose file is gone or has another size go; files the index does not name (an open segment of a killed node) go. */
  async #reconcile (index: SegmentIndex): Promise<void> {
    const named = new Set<string>()
    const stale: SegmentRecord[] = []
    for await (const record of index.all()) {
      const size = await stat(join(this.dir, record.file)).then((s) => s.size, () => undefined)
      if (size === record.bytes) named.add(record.file)
      else stale.push(record)
    }
    for (const record of stale) await index.delete(record)
    for (const folder of (await readdir(this.dir)).filter((n) => folderName.test(n))) {
      const names = await readdir(join(this.dir, folder)).catch(() => [])
      for (const name of names.filter((n) => segmentName.test(n) && !named.has(`${folder}/${n}`))) {
        await rm(join(this.dir, folder, name), { force: true })
      }
    }
    if (stale.length > 0) this.#components.logger.warn({ component: 'recording', dropped: stale.length }, 'recording: index entries without their file dropped')
  }
}

function isRecorded (camera: Camera): boolean {
  return camera.source?.kind === 'rtsp'
}

async function exists (path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false)
}

/** The recording service for roleSetup('resident'). */
export function recordings (init: RecordingInit = {}): (components: RecordingComponents) => RecordingService {
  return (components) => new RecordingService(components, init)
}

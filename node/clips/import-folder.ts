// The watched import folder `<dir>/import/`: camera software (or a person) drops `NAME.<ext>` and a sidecar
// `NAME.json` = `{ camera, start, end | duration, size?, contentType? }`. The sidecar is the completion
// marker: the pair is imported once the sidecar parses and, when it names a `size`, the video has reached
// it. Then both move to `import/done/`, or to `import/failed/` beside `NAME.<ext>.error.txt`.
// fs.watch drives it, and a scan at start catches what arrived while the node was down.
import { createReadStream, watch, type FSWatcher } from 'node:fs'
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { PorchlightError } from '../../protocol/errors.js'
import { contentTypeOf, toClipSpan, type ClipMeta } from './clip-meta.js'
import type { AddedClip, ClipStore } from './clip-store.js'
import { AmbiguousImportError, ImportFailedError, ImportSizeMismatchError, InvalidSidecarError } from './errors.js'

export interface ImportFolderInit {
  /** `<dir>/import` */
  folder: string
  store: ClipStore
  onImported: (file: string, added: AddedClip) => void
  onFailed: (file: string, error: PorchlightError) => void
  /**
   * A camera's own folder (a `folder` source): its clips are this camera's, so a sidecar may leave `camera`
   * out, and one naming another camera is refused. @default none: every sidecar names its camera
   */
  camera?: string
}

// Names that say "still being written" (a browser's or rsync's partial files) or are our own output.
const ignored = /^\.|\.(?:part|partial|tmp|crdownload|error\.txt)$/i
const sidecarKeys = new Set(['camera', 'start', 'end', 'duration', 'size', 'contentType'])

function baseName (file: string): string {
  const ext = extname(file)
  return ext === '' ? file : file.slice(0, -ext.length)
}

/** The clip metadata and expected size a sidecar names; undefined while it does not parse (still written). */
function readSidecar (file: string, text: string, camera: string | undefined): { meta: ClipMeta, size?: number } | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidSidecarError(file, 'is not a JSON object')
  const sidecar = value as Record<string, unknown>
  for (const key of Object.keys(sidecar)) if (!sidecarKeys.has(key)) throw new InvalidSidecarError(file, `unknown key '${key}'`, key)
  if (camera !== undefined) {
    sidecar.camera ??= camera
    if (sidecar.camera !== camera) throw new InvalidSidecarError(file, `camera must be '${camera}' (this folder's camera) or left out`, 'camera')
  }
  if (typeof sidecar.camera !== 'string') throw new InvalidSidecarError(file, 'camera must be a string', 'camera')
  if (sidecar.contentType !== undefined && typeof sidecar.contentType !== 'string') throw new InvalidSidecarError(file, 'contentType must be a string', 'contentType')
  const size = sidecar.size
  if (size !== undefined && (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1)) throw new InvalidSidecarError(file, 'size must be a positive integer', 'size')
  const span = toClipSpan({ start: sidecar.start, end: sidecar.end, duration: sidecar.duration })
  const meta: ClipMeta = { camera: sidecar.camera, ...span, ...(sidecar.contentType === undefined ? {} : { contentType: sidecar.contentType }) }
  return { meta, ...(size === undefined ? {} : { size }) }
}

export class ImportFolder {
  private readonly init: ImportFolderInit
  private watcher: FSWatcher | undefined
  private readonly pending = new Set<string>()
  private worker: Promise<void> | undefined
  private stopped = false

  constructor (init: ImportFolderInit) {
    this.init = init
  }

  get folder (): string {
    return this.init.folder
  }

  async start (): Promise<void> {
    const { folder } = this.init
    await mkdir(join(folder, 'done'), { recursive: true })
    await mkdir(join(folder, 'failed'), { recursive: true })
    this.stopped = false
    // Watch first, then scan, so a file arriving in between is seen by one or the other.
    this.watcher = watch(folder, (_event, file) => { if (file !== null) this.schedule(file.toString()) })
    this.watcher.on('error', () => {}) // the folder removed under us: the scan at the next start recovers
    for (const file of await readdir(folder)) this.schedule(file)
  }

  /** Stops watching and waits for an import in progress to finish. */
  async stop (): Promise<void> {
    this.stopped = true
    this.watcher?.close()
    this.watcher = undefined
    this.pending.clear()
    await this.worker
  }

  private schedule (file: string): void {
    if (this.stopped || ignored.test(file) || file === 'done' || file === 'failed') return
    this.pending.add(baseName(file))
    this.worker ??= this.drain().finally(() => { this.worker = undefined })
  }

  private async drain (): Promise<void> {
    for (const base of this.pending) {
      this.pending.delete(base)
      if (this.stopped) return
      try {
        await this.importPair(base)
      } catch (err) {
        // The folder itself went away under us (its files' own failures are handled in importPair): nothing
        // to import now, and the scan at the next start recovers. Never an unhandled rejection.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      }
    }
  }

  private async importPair (base: string): Promise<void> {
    const { folder, store } = this.init
    const names = (await readdir(folder)).filter((f) => !ignored.test(f) && baseName(f) === base)
    const sidecarName = `${base}.json`
    const videos = names.filter((f) => f !== sidecarName)
    if (!names.includes(sidecarName) || videos.length === 0) return
    const files = [...videos, sidecarName]
    const video = videos[0]!
    try {
      if (videos.length > 1) throw new AmbiguousImportError(videos)
      const sidecar = readSidecar(sidecarName, await readFile(join(folder, sidecarName), 'utf8'), this.init.camera)
      if (sidecar === undefined) return
      const path = join(folder, video)
      if (sidecar.size !== undefined) {
        const { size } = await stat(path)
        if (size < sidecar.size) return
        if (size > sidecar.size) throw new ImportSizeMismatchError(video, sidecar.size, size)
      }
      const added = await store.add(createReadStream(path, { highWaterMark: 256 * 1024 }), { contentType: contentTypeOf(video), ...sidecar.meta })
      await this.moveAll(files, 'done')
      this.init.onImported(video, added)
    } catch (err) {
      // A file taken away meanwhile (by a person, or by another event's import of the same pair).
      const cause = (err as { cause?: { code?: string } }).cause
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || cause?.code === 'ENOENT') return
      const failure = err instanceof PorchlightError ? err : new ImportFailedError(video, err)
      try {
        const prefix = await this.moveAll(files, 'failed')
        await writeFile(join(folder, 'failed', `${prefix}${video}.error.txt`), `${failure.name} (${failure.code}): ${failure.message}\n${JSON.stringify(failure.details)}\n`)
      } catch {
        // Left in place; the next start's scan tries the pair again.
      }
      this.init.onFailed(video, failure)
    }
  }

  /** Moves files into done/ or failed/, never over an earlier file of the same name; returns the prefix used. */
  private async moveAll (files: string[], to: 'done' | 'failed'): Promise<string> {
    const target = join(this.init.folder, to)
    const taken = new Set(await readdir(target))
    const clash = files.some((f) => taken.has(f) || taken.has(`${f}.error.txt`))
    const prefix = clash ? `${new Date().toISOString().replace(/[:.]/g, '-')}-` : ''
    for (const file of files) await rename(join(this.init.folder, file), join(target, prefix + file))
    return prefix
  }
}

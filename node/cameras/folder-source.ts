// Cameras whose source is a folder (`{ kind: 'folder', path }`): camera software that writes finished clips
// with sidecars into a folder of its own. Each such folder is watched exactly like the node's import folder
// (node/clips/import-folder.ts, the same format, done/ and failed/), except that its clips are its camera's:
// a sidecar may leave `camera` out, and one naming another camera is refused. A relative path is inside the
// node's directory. A folder that is missing or not usable is not created (a typo should not quietly make
// an empty folder nobody writes to): it is logged, shown by `status()`, and tried again at the next sync.
import type { PorchlightError } from '../../protocol/errors.js'
import type { Camera } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { ClipsService } from '../clips/service.js'
import { ImportFolder } from '../clips/import-folder.js'
import { checkFolder, folderPathOf } from './source-test.js'

export type FolderSourceStatus =
  | { state: 'watching', since: number, path: string }
  | { state: 'unusable', since: number, path: string, error: { code: string, message: string } }

export type FolderSourcesComponents = Pick<NodeComponents, 'config' | 'dir' | 'logger'> & { clips: ClipsService }

export interface FolderSourcesInit {
  /** Unix ms. @default Date.now */
  now?: () => number
}

export class FolderSources implements NodeService {
  private readonly components: FolderSourcesComponents
  private readonly now: () => number
  private readonly watching = new Map<string, { path: string, folder: ImportFolder }>()
  private readonly states = new Map<string, FolderSourceStatus>()
  private syncing: Promise<void> = Promise.resolve()
  private stopped = false

  constructor (components: FolderSourcesComponents, init: FolderSourcesInit = {}) {
    this.components = components
    this.now = init.now ?? Date.now
  }

  async start (): Promise<void> {
    this.stopped = false
    await this.sync(this.components.config.cameras)
  }

  async stop (): Promise<void> {
    this.stopped = true
    await this.sync([])
  }

  /** Each folder camera's state, by camera name. */
  status (): Record<string, FolderSourceStatus> {
    return Object.fromEntries(this.states)
  }

  /**
   * Watches the folders of `cameras` whose source is a folder and stops watching the others (the camera
   * book calls it on every change). Calls run one after another.
   */
  async sync (cameras: readonly Camera[]): Promise<void> {
    const next = this.syncing.then(async () => { await this.apply(this.stopped ? [] : cameras) })
    this.syncing = next.catch(() => {})
    await next
  }

  private async apply (cameras: readonly Camera[]): Promise<void> {
    const wanted = new Map<string, string>()
    for (const camera of cameras) {
      if (camera.source?.kind === 'folder') wanted.set(camera.name, folderPathOf(camera.source, this.components.dir))
    }
    for (const [name, { path, folder }] of [...this.watching]) {
      if (wanted.get(name) === path) continue
      await folder.stop()
      this.watching.delete(name)
    }
    for (const name of this.states.keys()) if (!wanted.has(name)) this.states.delete(name)
    for (const [name, path] of wanted) {
      if (this.watching.has(name)) continue
      await this.watch(name, path)
    }
  }

  private async watch (camera: string, path: string): Promise<void> {
    const { clips, logger } = this.components
    const log = logger.child({ component: 'cameras', camera })
    try {
      await checkFolder(path)
      const folder = new ImportFolder({
        folder: path,
        camera,
        store: clips.store,
        onImported: (file, { clip, created }) => {
          log.info({ cid: clip.cid, created }, 'cameras: clip imported from the camera\'s folder')
          if (created) clips.emit('clip:added', clip)
          clips.emit('import:imported', { file, clip, created })
        },
        onFailed: (file, error) => {
          log.warn({ err: error }, 'cameras: a clip in the camera\'s folder was refused')
          clips.emit('import:failed', { file, error })
        }
      })
      await folder.start()
      this.watching.set(camera, { path, folder })
      this.states.set(camera, { state: 'watching', since: this.now(), path })
    } catch (err) {
      const error = err as PorchlightError
      log.error({ err: error }, 'cameras: the camera\'s folder cannot be watched')
      if (this.states.get(camera)?.state !== 'unusable') {
        this.states.set(camera, { state: 'unusable', since: this.now(), path, error: { code: error.code ?? 'FOLDER_FAILED', message: error.message } })
      }
    }
  }
}

/** The folder sources for roleSetup('resident'): needs the clips service. */
export function folderSources (init: FolderSourcesInit = {}): (components: FolderSourcesComponents) => FolderSources {
  return (components) => new FolderSources(components, init)
}

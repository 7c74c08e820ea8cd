// The resident's clip service: the store, its HTTP routes and the watched import folder, started and
// stopped with the node. Other resident services (the inbox) read clips through it.
import { dirname, join } from 'node:path'
import { EventEmitter } from 'node:events'
import type { PorchlightError } from '../../protocol/errors.js'
import type { NodeComponents, NodeService } from '../service.js'
import { fixedCameras, type CameraList } from '../cameras/camera-book.js'
import type { ClipMeta, ClipRecord } from './clip-meta.js'
import { openClipStore, type AddedClip, type ClipStore } from './clip-store.js'
import { ClipsNotStartedError } from './errors.js'
import { ImportFolder } from './import-folder.js'
import { matchingClips, type RequestArea } from './match.js'

export interface ClipsInit {
  /** Watch `<dir>/import/`. @default true */
  importFolder?: boolean
  /** @default LIMITS.consent.maxClipBytes */
  maxClipBytes?: number
  /** Unix seconds. @default the system clock */
  now?: () => number
}

export interface ClipsEvents {
  /** A clip was stored (not sent again for the same bytes). */
  'clip:added': [ClipRecord]
  /** A pair from the import folder was stored (or was already) and moved to `import/done/`. */
  'import:imported': [{ file: string, clip: ClipRecord, created: boolean }]
  /** A pair from the import folder was refused and moved to `import/failed/`. */
  'import:failed': [{ file: string, error: PorchlightError }]
}

export type ClipsComponents = Pick<NodeComponents, 'config' | 'dir' | 'store' | 'logger'> & {
  /** The camera book: a clip names one of its cameras as they are now. @default the config's cameras, fixed */
  cameras?: CameraList
}

export class ClipsService extends EventEmitter<ClipsEvents> implements NodeService {
  /** The node's directory (for a node without one, its temporary store's). */
  readonly dir: string
  private readonly components: ClipsComponents
  private readonly init: ClipsInit
  private readonly cameras: CameraList
  private opened: ClipStore | undefined
  private importer: ImportFolder | undefined

  constructor (components: ClipsComponents, init: ClipsInit = {}) {
    super()
    this.components = components
    this.init = init
    this.cameras = components.cameras ?? fixedCameras(components.config.cameras)
    this.dir = components.dir ?? dirname(components.store.location)
  }

  /** The store; available once the service has started. */
  get store (): ClipStore {
    if (this.opened === undefined) throw new ClipsNotStartedError()
    return this.opened
  }

  /** `<dir>/import` */
  get importFolder (): string {
    return join(this.dir, 'import')
  }

  async start (): Promise<void> {
    this.opened ??= await openClipStore(this.components.store, {
      dir: this.dir,
      cameras: () => this.cameras.list(),
      ...(this.init.maxClipBytes === undefined ? {} : { maxClipBytes: this.init.maxClipBytes }),
      ...(this.init.now === undefined ? {} : { now: this.init.now })
    })
    if (this.init.importFolder === false) return
    this.importer = new ImportFolder({
      folder: this.importFolder,
      store: this.opened,
      onImported: (file, { clip, created }) => {
        // By CID only: a file's name can say where and when it was filmed.
        this.components.logger.info({ component: 'clips', cid: clip.cid, created }, 'clips: imported')
        if (created) this.emit('clip:added', clip)
        this.emit('import:imported', { file, clip, created })
      },
      onFailed: (file, error) => {
        this.components.logger.warn({ component: 'clips', err: error }, 'clips: import failed')
        this.emit('import:failed', { file, error })
      }
    })
    await this.importer.start()
  }

  async stop (): Promise<void> {
    await this.importer?.stop()
    this.importer = undefined
  }

  /** Stores a clip (see ClipStore.add) and announces it. */
  async add (source: AsyncIterable<Uint8Array>, meta: ClipMeta): Promise<AddedClip> {
    const added = await this.store.add(source, meta)
    if (added.created) this.emit('clip:added', added.clip)
    return added
  }

  async list (): Promise<ClipRecord[]> {
    return await this.store.list()
  }

  /** This node's clips that a request asks for (its area and window); see matchingClips. */
  async matching (request: RequestArea): Promise<ClipRecord[]> {
    return matchingClips(request, this.cameras.list(), await this.store.list())
  }
}

/** The clip service for roleSetup('resident'). */
export function clips (init: ClipsInit = {}): (components: ClipsComponents) => ClipsService {
  return (components) => new ClipsService(components, init)
}

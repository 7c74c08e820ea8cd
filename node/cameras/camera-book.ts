// A resident's cameras while the node runs: the one list every service reads (the inbox's matching and its
// request topics, the clip store's names, the shares' checks, the recorder), changed through the API and
// kept in `<dir>/config.json`, so a restart starts from what the resident last saved. A change is checked
// with the config's own rules (parseConfig) before anything is written, written atomically, and only then
// shown and announced: a refused change leaves the file and the list as they were, and announces nothing.
// The book needs no other service, so anything that names cameras (the clip store) can be built on it.
import { EventEmitter } from 'node:events'
import { cameraCell } from '../../protocol/index.js'
import type { CameraBody, CameraView, SourceBody } from '../../protocol/index.js'
import { InvalidConfigError, loadConfig, parseConfig, saveConfig, type Camera, type CameraSource } from '../config/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { Logger } from '../logging/index.js'
import type { PorchlightError } from '../../protocol/errors.js'
import { cameraTopicCells } from '../resident/matching.js'
import { redactSource, redactUrl } from './redact.js'
import { CameraExistsError, CameraNotFoundError, InvalidCameraError } from './errors.js'

/** The cameras as the other services read them: the book's list now, and (the book's) word when it changes. */
export interface CameraList {
  list (): readonly Camera[]
  on? (event: 'cameras:changed', listener: (cameras: readonly Camera[]) => void): unknown
  off? (event: 'cameras:changed', listener: (cameras: readonly Camera[]) => void): unknown
}

/** A fixed list (a service built without the book, the CLI): the config's cameras. */
export function fixedCameras (cameras: readonly Camera[]): CameraList {
  return { list: () => cameras }
}

export interface CameraBookEvents {
  /** The list changed (added, edited or removed a camera) and is saved: the whole new list. */
  'cameras:changed': [readonly Camera[]]
  /** A change was refused; nothing changed (what /metrics counts). */
  'cameras:refused': [{ error: PorchlightError }]
}

export type CameraBookComponents = Pick<NodeComponents, 'config' | 'dir' | 'logger'>

const HIDDEN = ' (credentials hidden)'

export class CameraBook extends EventEmitter<CameraBookEvents> implements NodeService, CameraList {
  readonly #components: CameraBookComponents
  readonly #log: Logger
  #cameras: readonly Camera[]
  #pending: Promise<unknown> = Promise.resolve()

  constructor (components: CameraBookComponents) {
    super()
    this.#components = components
    this.#log = components.logger.child({ component: 'cameras' })
    this.#cameras = Object.freeze(components.config.cameras.map((c) => Object.freeze(structuredClone(c))))
  }

  /** Waits for a change being saved, so the node's store and files are not closed under it. */
  async stop (): Promise<void> {
    await this.#pending
  }

  list (): readonly Camera[] {
    return this.#cameras
  }

  get (name: string): Camera {
    const camera = this.#cameras.find((c) => c.name === name)
    if (camera === undefined) throw new CameraNotFoundError(name)
    return camera
  }

  async add (body: CameraBody): Promise<Camera> {
    return await this.#change((list) => {
      if (list.some((c) => c.name === body.name)) throw new CameraExistsError(body.name)
      const camera = toCamera(body, undefined)
      return { next: [...list, camera], camera }
    }, 'added')
  }

  /** Replaces camera `name` (a new name renames it). A source's credentials are kept as `resolveSource` says. */
  async update (name: string, body: CameraBody): Promise<Camera> {
    return await this.#change((list) => {
      const i = list.findIndex((c) => c.name === name)
      if (i < 0) throw new CameraNotFoundError(name)
      if (body.name !== name && list.some((c) => c.name === body.name)) throw new CameraExistsError(body.name)
      const camera = toCamera(body, list[i]!.source)
      return { next: list.map((c, k) => k === i ? camera : c), camera }
    }, 'updated')
  }

  async remove (name: string): Promise<void> {
    await this.#change((list) => {
      const camera = list.find((c) => c.name === name)
      if (camera === undefined) throw new CameraNotFoundError(name)
      return { next: list.filter((c) => c !== camera), camera }
    }, 'removed')
  }

  /** One change at a time: each is checked against, and saved over, the list the previous one left. */
  async #change (make: (list: readonly Camera[]) => { next: Camera[], camera: Camera }, verb: string): Promise<Camera> {
    const run = this.#pending.then(async () => {
      let next: Camera[]
      let camera: Camera
      try {
        ({ next, camera } = make(this.#cameras))
        next = checkCameras(next)
      } catch (err) {
        const error = err as PorchlightError
        this.#log.info({ err: error }, 'cameras: change refused')
        this.emit('cameras:refused', { error })
        throw err
      }
      await this.#save(next)
      this.#cameras = Object.freeze(next.map((c) => Object.freeze(c)))
      // The source as it may be shown: a camera's URL can carry its password.
      this.#log.info({ camera: camera.name, ...(camera.source === undefined ? {} : { source: redactSource(camera.source) }) }, `cameras: ${verb}`)
      this.emit('cameras:changed', this.#cameras)
      return this.#cameras.find((c) => c.name === camera.name) ?? camera
    })
    this.#pending = run.catch(() => {})
    return await run
  }

  /** config.json as it is on disk now (the resident may have edited other settings), with the new cameras. */
  async #save (cameras: Camera[]): Promise<void> {
    const dir = this.#components.dir
    if (dir === undefined) return
    const config = await loadConfig(dir)
    await saveConfig(dir, { ...config, cameras })
  }

}

/** A service that follows the camera list (the recorder, the folder watcher): `sync` starts and stops its work for it. */
export interface CameraFollower {
  sync (cameras: readonly Camera[]): Promise<void>
}

/**
 * Hands each new list of the book's to `follower.sync` (the followers run their syncs one after the other
 * themselves); a failed sync is logged, never thrown into the book's change, which is saved already.
 * Returns the way to stop following.
 */
export function followCameras (book: CameraBook, follower: CameraFollower, logger: Logger): () => void {
  const onChanged = (cameras: readonly Camera[]): void => {
    follower.sync(cameras).catch((err: unknown) => { logger.error({ err }, 'cameras: a service could not follow the new camera list') })
  }
  book.on('cameras:changed', onChanged)
  return () => { book.off('cameras:changed', onChanged) }
}

/** The request topics (res-7 cells) to join and to leave when the cameras go from `before` to `after`. */
export function topicChanges (before: readonly Camera[], after: readonly Camera[]): { join: string[], leave: string[] } {
  const was = new Set(cameraTopicCells(before))
  const is = new Set(cameraTopicCells(after))
  return { join: [...is].filter((c) => !was.has(c)), leave: [...was].filter((c) => !is.has(c)) }
}

/** A camera from an API body; `stored` is the source it replaces (its credentials may be kept). */
function toCamera (body: CameraBody, stored: CameraSource | undefined): Camera {
  return {
    name: body.name,
    lat: body.lat,
    lng: body.lng,
    ...(body.direction === undefined ? {} : { direction: body.direction }),
    ...(body.source === undefined ? {} : { source: resolveSource(body.source, stored) })
  }
}

/**
 * The source to store for a body. The UI only ever sees a source's view (no password, no token), so an
 * edit that leaves the address alone sends the view's URL back: then the stored URL, with its credentials,
 * is kept. A Frigate token sent back as `true` is kept only for the same Frigate (scheme, host and port):
 * pointing a camera at another server must not hand that server the old one's token.
 */
export function resolveSource (body: SourceBody, stored: CameraSource | undefined): CameraSource {
  if (body.kind === 'folder') return { kind: 'folder', path: body.path }
  const same = stored !== undefined && stored.kind === body.kind ? stored : undefined
  let url = body.url
  if (same !== undefined && url === redactUrl(same.url)) url = same.url
  else if (url.endsWith(HIDDEN)) throw new InvalidCameraError({ field: 'source/url', reason: 'is a shown URL with its credentials hidden, and there are none to keep: give the whole URL' })
  if (body.kind === 'rtsp') return { kind: 'rtsp', url }
  let token: string | undefined
  if (typeof body.token === 'string') token = body.token
  else if (body.token === true) {
    if (same?.kind !== 'frigate' || same.token === undefined) throw new InvalidCameraError({ field: 'source/token', reason: 'is to be kept, but the camera has no token stored' })
    if (!URL.canParse(url) || new URL(url).origin !== new URL(same.url).origin) throw new InvalidCameraError({ field: 'source/token', reason: 'was for another Frigate address: give it again' })
    token = same.token
  }
  return { kind: 'frigate', url, camera: body.camera, ...(token === undefined ? {} : { token }) }
}

/**
 * The list checked by config.json's own rules (parseConfig: shapes, ranges, unique names, URLs that parse),
 * with a config's failure said as the camera's: `/cameras/2/lat` becomes field `lat`.
 */
export function checkCameras (cameras: Camera[]): Camera[] {
  for (const c of cameras) {
    if (c.source !== undefined && c.source.kind !== 'folder' && /\s/.test(c.source.url)) throw new InvalidCameraError({ field: 'source/url', reason: 'has spaces in it' })
  }
  try {
    return parseConfig({ version: 1, role: 'resident', name: 'cameras', cameras }).cameras
  } catch (err) {
    if (!(err instanceof InvalidConfigError)) throw err
    const { field, reason } = err.details as { field: string, reason: string }
    const m = /^\/cameras(?:\/\d+)?\/?(.*)$/.exec(field)
    throw new InvalidCameraError({ field: m?.[1] ?? field, reason })
  }
}

/** A camera as its own resident's browser sees it: the position, the res-9 cell and the source's view. */
export function cameraView (camera: Camera): Omit<CameraView, 'status'> {
  return {
    name: camera.name,
    lat: camera.lat,
    lng: camera.lng,
    cell: cameraCell(camera.lat, camera.lng),
    ...(camera.direction === undefined ? {} : { direction: camera.direction }),
    ...(camera.source === undefined ? {} : { source: redactSource(camera.source) })
  }
}

/** The camera book for roleSetup('resident'). */
export function cameraBook (): (components: CameraBookComponents) => CameraBook {
  return (components) => new CameraBook(components)
}

// The resident's clips, content-addressed: bytes in `<dir>/clips/<cid>`, metadata in the `clips` sublevel.
// An add streams the bytes into a temporary file while hashing them (never the whole clip in memory),
// flushes it, renames it to its CID and only then writes the record: a crash at any point leaves either a
// whole clip with its record or nothing visible, and `open` clears what a crash left behind.
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { RAW_CODE, cidFromSha256Digest } from '../../protocol/codec/index.js'
import { LIMITS } from '../../protocol/limits/index.js'
import type { Camera } from '../config/index.js'
import type { Store, Sublevel } from '../storage/index.js'
import { checkClipMeta, type ClipMeta, type ClipRecord } from './clip-meta.js'
import { ClipConflictError, ClipNotFoundError, ClipSourceError, ClipTooLargeError, EmptyClipError } from './errors.js'

export interface ClipStoreInit {
  /** The node's directory; clips live in `<dir>/clips`. */
  dir: string
  /** The `clips` sublevel (json values), keyed by CID. */
  records: Sublevel<string, ClipRecord>
  /** This node's cameras: a clip names one of them (a function: the camera book's list as it is at each add). */
  cameras: readonly Camera[] | (() => readonly Camera[])
  /** @default LIMITS.consent.maxClipBytes (a larger clip could never be shared) */
  maxClipBytes?: number
  /** Unix seconds. @default the system clock */
  now?: () => number
}

/** Claims the `clips` sublevel of a node's store and opens the clip store beside it. */
export async function openClipStore (store: Store, init: Omit<ClipStoreInit, 'records'>): Promise<ClipStore> {
  return await ClipStore.open({ ...init, records: store.sublevel<string, ClipRecord>('clips', { valueEncoding: 'json' }) })
}

export interface AddedClip {
  clip: ClipRecord
  /** False when the same bytes with the same metadata were already stored. */
  created: boolean
}

/** An inclusive byte range of a clip. */
export interface ByteRange {
  start: number
  end: number
}

const incoming = '.incoming'

function sameMeta (a: ClipRecord, b: Omit<ClipRecord, 'addedAt' | 'cid'>): boolean {
  return a.size === b.size && a.camera === b.camera && a.start === b.start && a.end === b.end && a.contentType === b.contentType
}

async function syncDir (path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export class ClipStore {
  readonly folder: string
  private readonly records: Sublevel<string, ClipRecord>
  private readonly cameras: () => readonly Camera[]
  readonly maxClipBytes: number
  private readonly now: () => number
  // Commits (look up, rename, record) run one at a time, so two adds of the same bytes cannot interleave.
  private commits: Promise<unknown> = Promise.resolve()

  private constructor (init: ClipStoreInit) {
    this.folder = join(init.dir, 'clips')
    this.records = init.records
    const cameras = init.cameras
    this.cameras = typeof cameras === 'function' ? cameras : () => cameras
    this.maxClipBytes = init.maxClipBytes ?? LIMITS.consent.maxClipBytes
    this.now = init.now ?? (() => Math.floor(Date.now() / 1000))
  }

  /**
   * Opens the store and removes what an interrupted add left: temporary files, and clip files that never got
   * their record (never acknowledged, so not lost). Call while no add runs (the node's store lock holds).
   */
  static async open (init: ClipStoreInit): Promise<ClipStore> {
    const store = new ClipStore(init)
    await rm(join(store.folder, incoming), { recursive: true, force: true })
    await mkdir(join(store.folder, incoming), { recursive: true, mode: 0o700 })
    for (const name of await readdir(store.folder)) {
      if (name === incoming) continue
      if (await store.records.get(name) === undefined) await rm(join(store.folder, name), { force: true })
    }
    return store
  }

  /** Where a clip's bytes are. */
  pathOf (cid: string): string {
    return join(this.folder, cid)
  }

  /**
   * Stores a clip from a byte stream. The metadata is checked before the first byte is read; any failure
   * leaves nothing behind. Adding the same bytes with the same metadata again returns the stored record.
   */
  async add (source: AsyncIterable<Uint8Array>, meta: ClipMeta): Promise<AddedClip> {
    const checked = checkClipMeta(meta, this.cameras(), this.now())
    const temp = join(this.folder, incoming, randomBytes(12).toString('hex'))
    let committed = false
    try {
      const { digest, size } = await this.receive(source, temp)
      const cid = cidFromSha256Digest(digest, RAW_CODE).toString()
      const result = await this.serialized(async () => {
        const fields = { size, ...checked }
        const existing = await this.records.get(cid)
        if (existing !== undefined) {
          if (!sameMeta(existing, fields)) throw new ClipConflictError(cid, { ...existing })
          return { clip: existing, created: false }
        }
        const clip: ClipRecord = { cid, ...fields, addedAt: this.now() }
        await rename(temp, this.pathOf(cid))
        committed = true
        try {
          await syncDir(this.folder)
          await this.records.put(cid, clip)
        } catch (err) {
          await unlink(this.pathOf(cid)).catch(() => {})
          throw err
        }
        return { clip, created: true }
      })
      return result
    } finally {
      if (!committed) await unlink(temp).catch(() => {})
    }
  }

  /** Copies the source into `temp` while hashing and counting it, then flushes it to disk. */
  private async receive (source: AsyncIterable<Uint8Array>, temp: string): Promise<{ digest: Uint8Array, size: number }> {
    const hash = createHash('sha256')
    let size = 0
    const file = await open(temp, 'wx', 0o600)
    try {
      try {
        for await (const chunk of source) {
          size += chunk.length
          if (size > this.maxClipBytes) throw new ClipTooLargeError(this.maxClipBytes, size)
          hash.update(chunk)
          await file.write(chunk)
        }
      } catch (err) {
        // Not isPorchlightError: a socket's ECONNRESET has a string `code` too.
        throw err instanceof ClipTooLargeError ? err : new ClipSourceError(err)
      }
      if (size === 0) throw new EmptyClipError()
      await file.sync()
    } finally {
      await file.close()
    }
    return { digest: new Uint8Array(hash.digest()), size }
  }

  private async serialized<T> (step: () => Promise<T>): Promise<T> {
    const run = this.commits.then(step, step)
    this.commits = run.catch(() => {})
    return await run
  }

  async get (cid: string): Promise<ClipRecord | undefined> {
    return await this.records.get(cid)
  }

  /** Every clip, oldest recording first. */
  async list (): Promise<ClipRecord[]> {
    const clips = await this.records.values().all()
    return clips.sort((a, b) => a.start - b.start || a.end - b.end || (a.cid < b.cid ? -1 : 1))
  }

  /** A clip's record and a stream of its bytes (all of them, or an inclusive range). */
  async read (cid: string, range?: ByteRange): Promise<{ clip: ClipRecord, stream: Readable }> {
    const clip = await this.records.get(cid)
    if (clip === undefined) throw new ClipNotFoundError(cid)
    const stream = createReadStream(this.pathOf(cid), { ...(range ?? {}), highWaterMark: 256 * 1024 })
    return { clip, stream }
  }
}

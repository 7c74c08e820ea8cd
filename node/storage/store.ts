// One `level` database per node at `<dir>/db`, split into named sublevels (one per concern: the log, the
// inbox, clips, anchors …). A later feature adds its own with `store.sublevel('name', encodings)`.
import { Level } from 'level'
import type { AbstractSublevel } from 'abstract-level'
import { join } from 'node:path'
import { PorchlightError } from '../../protocol/errors.js'

/** The database is held by another process (another `porchlight start` on the same directory). */
export class StoreLockedError extends PorchlightError {
  static override readonly code = 'STORE_LOCKED'
  static override readonly status = 500
  constructor (location: string, cause: unknown) {
    super(StoreLockedError.code, `${location} is in use by another process`, { cause, details: { location } })
    this.name = 'StoreLockedError'
  }
}

/** Two parts of the node claimed one sublevel name; each concern needs its own. */
export class SublevelInUseError extends PorchlightError {
  static override readonly code = 'SUBLEVEL_IN_USE'
  static override readonly status = 500
  constructor (name: string) {
    super(SublevelInUseError.code, `sublevel '${name}' is already claimed`, { details: { name } })
    this.name = 'SublevelInUseError'
  }
}

export class InvalidSublevelNameError extends PorchlightError {
  static override readonly code = 'INVALID_SUBLEVEL_NAME'
  static override readonly status = 500
  constructor (name: string) {
    super(InvalidSublevelNameError.code, `sublevel name '${name}' must match ${sublevelName}`, { details: { name } })
    this.name = 'InvalidSublevelNameError'
  }
}

type Encoding = 'utf8' | 'json' | 'view' | 'buffer' | 'hex'
export type RootLevel = Level<string, Uint8Array>
export type Sublevel<K = string, V = Uint8Array> = AbstractSublevel<RootLevel, string | Uint8Array | Buffer, K, V>

export interface SublevelOptions {
  /** @default 'utf8' */
  keyEncoding?: Encoding
  /** @default 'view' (Uint8Array) */
  valueEncoding?: Encoding
}

export interface StoreOptions {
  /** LevelDB block cache in bytes; small for simulations with many nodes. @default 8 MiB */
  cacheSize?: number
  /** LevelDB memtable size in bytes. @default 4 MiB */
  writeBufferSize?: number
}

const sublevelName = /^[a-z][a-z0-9-]{0,31}$/

export interface Store {
  /** The database's directory. */
  readonly location: string
  /** The root database; use a sublevel for data (keys written here could collide with a sublevel's). */
  readonly db: RootLevel
  /** Claims a sublevel for one concern; a second claim of the same name throws SublevelInUseError. */
  sublevel<K = string, V = Uint8Array> (name: string, options?: SublevelOptions): Sublevel<K, V>
  close (): Promise<void>
}

/** Opens (creating if needed) the database at `<dir>/db`. */
export async function openStore (dir: string, options: StoreOptions = {}): Promise<Store> {
  const location = join(dir, 'db')
  const db: RootLevel = new Level<string, Uint8Array>(location, { keyEncoding: 'utf8', valueEncoding: 'view', ...options })
  try {
    await db.open()
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') throw new StoreLockedError(location, err)
    throw err
  }
  const claimed = new Set<string>()
  return {
    location,
    db,
    sublevel<K = string, V = Uint8Array> (name: string, opts: SublevelOptions = {}): Sublevel<K, V> {
      if (!sublevelName.test(name)) throw new InvalidSublevelNameError(name)
      if (claimed.has(name)) throw new SublevelInUseError(name)
      claimed.add(name)
      return db.sublevel<K, V>(name, { keyEncoding: opts.keyEncoding ?? 'utf8', valueEncoding: opts.valueEncoding ?? 'view' })
    },
    async close () {
      await db.close()
    }
  }
}

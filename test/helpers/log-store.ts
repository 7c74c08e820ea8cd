// A fresh level database in a temporary folder for log tests, removed on close.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import type { LogDatabase } from '../../node/log/index.js'

/** A fixed agency key (hardhat's first dev account) so checkpoints name a known address. */
export const AGENCY_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
export const AGENCY = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
export const CHAIN_ID = 31337

export interface TempStore {
  dir: string
  root: Level<string, Uint8Array>
  /** The log's sublevel. */
  db: LogDatabase
  /** Reopens the database at the same folder (after `closeDb`). */
  reopen (): Promise<void>
  closeDb (): Promise<void>
  /** Closes and deletes the folder. */
  destroy (): Promise<void>
}

export async function tempStore (dir?: string): Promise<TempStore> {
  const location = dir ?? await mkdtemp(join(tmpdir(), 'porchlight-log-'))
  const store: TempStore = {
    dir: location,
    root: undefined as unknown as Level<string, Uint8Array>,
    db: undefined as unknown as LogDatabase,
    async reopen () {
      store.root = new Level<string, Uint8Array>(join(location, 'db'), { keyEncoding: 'utf8', valueEncoding: 'view' })
      await store.root.open()
      store.db = store.root.sublevel<string, Uint8Array>('log', { keyEncoding: 'utf8', valueEncoding: 'view' })
    },
    async closeDb () {
      await store.root.close()
    },
    async destroy () {
      if (store.root.status === 'open') await store.root.close()
      await rm(location, { recursive: true, force: true })
    }
  }
  await store.reopen()
  return store
}

/** Entry bytes that say which index they were meant for. */
export function entryFor (i: number, length = 16): Uint8Array {
  const e = new Uint8Array(length)
  new DataView(e.buffer).setUint32(0, i)
  return e
}

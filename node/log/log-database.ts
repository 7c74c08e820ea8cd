// What the log needs of its storage: a `level` database or sublevel with string keys and Uint8Array
// values (runtime's `store.sublevel('log')` gives one). Batches are atomic, which makes an append durable
// all at once or not at all.
import type { AbstractLevel } from 'abstract-level'

// The format parameter says what the root database stores underneath; the log does not care.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LogDatabase = AbstractLevel<any, string, Uint8Array>

/**
 * Options for a write that classic-level (LevelDB) fsyncs before resolving when `sync` is true;
 * abstract-level's types do not list the option, which every LevelDB-backed level passes through.
 */
export function syncOptions (sync: boolean): Record<string, never> {
  return { sync } as unknown as Record<string, never>
}

/** A plain Uint8Array view of a value read back (LevelDB's bindings hand out Buffers). */
export function asBytes (value: Uint8Array): Uint8Array {
  return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
}

/** A put as the log writes it; `sublevel` set when the batch goes through the root database. */
export interface PutOperation {
  type: 'put'
  key: string
  value: Uint8Array
  sublevel?: LogDatabase
}

/**
 * Where atomic batches for `db` are written: a sublevel's batch goes through its root database with each
 * operation naming the sublevel (abstract-level's documented `sublevel` option), so each operation is
 * encoded and prefixed once rather than once per level of nesting — a third of an append's CPU.
 */
export function batchTarget (db: LogDatabase): { target: LogDatabase, sublevel: LogDatabase | undefined } {
  const root = (db as { db?: LogDatabase }).db
  return root === undefined || root === db ? { target: db, sublevel: undefined } : { target: root, sublevel: db }
}

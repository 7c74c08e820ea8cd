// An agency log for witness tests: a memory tree, its signed checkpoints and add-checkpoint bodies, and a
// memory witness store that can be slowed or made to fail on purpose.
import { hexToBytes } from '@noble/hashes/utils.js'
import { Wallet } from 'ethers'
import {
  MemoryTree, checkpointOrigin, formatAddCheckpoint, signCheckpoint
} from '../../protocol/tlog/index.js'
import type { WitnessDatabase, WitnessRecord } from '../../node/witness/index.js'

export class TestLog {
  readonly tree = new MemoryTree()
  readonly origin: string
  readonly key: Uint8Array
  readonly address: string

  constructor (readonly chainId: number, privateKey: string = Wallet.createRandom().privateKey) {
    this.key = hexToBytes(privateKey.replace(/^0x/, ''))
    this.address = new Wallet(privateKey).address.toLowerCase()
    this.origin = checkpointOrigin(chainId, this.address)
  }

  /** Appends `n` distinct entries (tagged so two logs never share one). */
  grow (n: number, tag = 0): this {
    for (let i = 0; i < n; i++) this.tree.append(new Uint8Array([tag, ...new TextEncoder().encode(String(this.tree.size))]))
    return this
  }

  /** The signed checkpoint at `size` (default: now). */
  checkpoint (size = this.tree.size): string {
    return signCheckpoint({ origin: this.origin, size, root: this.tree.rootAt(size) }, this.key)
  }

  /** The add-checkpoint body from `oldSize` to `size`, with the consistency proof. */
  body (oldSize: number, size = this.tree.size): string {
    return formatAddCheckpoint({ oldSize, proof: oldSize === 0 ? [] : this.tree.consistencyProof(oldSize, size), checkpoint: this.checkpoint(size) })
  }

  /** A second log under the same key: the first `shared` entries, then its own (a split view). */
  fork (shared: number, extra: number): TestLog {
    const other = new TestLog(this.chainId, `0x${Buffer.from(this.key).toString('hex')}`)
    for (let i = 0; i < shared; i++) other.tree.appendLeafHash(this.tree.getHash(0, i))
    return other.grow(extra, 0xff)
  }
}

export interface MemoryWitnessDatabase extends WitnessDatabase {
  readonly records: Map<string, WitnessRecord>
  /** Records written in a batch that asked for a synced write. */
  syncedPuts: number
  /** Synced batches written. */
  syncedBatches: number
  /**
   * Holds every write until `release`: `reached` resolves when the first one waits, so a test knows a request
   * sits between its check and its write while it sends another.
   */
  holdPuts (): { reached: Promise<void>, release: () => void }
  /** The next write throws, and writes nothing. */
  failNext: boolean
}

export function memoryWitnessDatabase (): MemoryWitnessDatabase {
  const records = new Map<string, WitnessRecord>()
  let held: { reached: () => void, gate: Promise<void> } | undefined
  const db: MemoryWitnessDatabase = {
    records,
    syncedPuts: 0,
    syncedBatches: 0,
    failNext: false,
    holdPuts () {
      const reached = Promise.withResolvers<void>()
      const gate = Promise.withResolvers<void>()
      held = { reached: reached.resolve, gate: gate.promise }
      return { reached: reached.promise, release: () => { held = undefined; gate.resolve() } }
    },
    async get (origin) { return structuredClone(records.get(origin)) },
    async batch (operations, options) {
      if (held !== undefined) { held.reached(); await held.gate }
      if (db.failNext) { db.failNext = false; throw new Error('disk full (on purpose)') }
      if (options.sync) { db.syncedPuts += operations.length; db.syncedBatches++ }
      for (const { key, value } of operations) records.set(key, structuredClone(value))
    },
    async * keys () { yield * [...records.keys()] }
  }
  return db
}

// The persistent queue of anchors not yet confirmed on chain. An anchor is written here before any RPC is
// tried, and removed only once the chain holds it (or a larger checkpoint of the same log), so a chain
// outage or a restart delays anchors but loses none. Keys are zero-padded sequence numbers, so the store's
// order is the order anchors were asked for.
import { Level } from 'level'

/** The part of a `level` database (or sublevel) the queue uses; string keys and values. */
export interface AnchorQueueStore {
  put (key: string, value: string): Promise<void>
  del (key: string): Promise<void>
  iterator (): AsyncIterable<[string, string]>
}

export interface QueuedAnchor {
  /** Sequence number in the queue. */
  id: number
  treeSize: number
  /** bytes32 as lowercase 0x-hex. */
  root: string
  /** Unix milliseconds when it was queued. */
  queuedAt: number
  /**
   * The transaction that carries it, once mined and while it waits for its confirmations. Stored, so a
   * restart waits for that transaction rather than sending a second one; cleared when a reorg drops it.
   */
  sent?: { transactionHash: string, blockNumber: number }
}

function keyOf (id: number): string {
  return id.toString().padStart(16, '0')
}

export class AnchorQueue {
  readonly #store: AnchorQueueStore
  readonly #owned: Level | undefined
  readonly #entries = new Map<number, QueuedAnchor>()
  #nextId = 1

  private constructor (store: AnchorQueueStore, owned: Level | undefined) {
    this.#store = store
    this.#owned = owned
  }

  /** Opens the queue on a `level` (sub)database, or on a database at `path` that it owns and closes. */
  static async open (storeOrPath: AnchorQueueStore | string): Promise<AnchorQueue> {
    const owned = typeof storeOrPath === 'string' ? new Level(storeOrPath) : undefined
    if (owned !== undefined) await owned.open()
    const queue = new AnchorQueue(owned ?? storeOrPath as AnchorQueueStore, owned)
    for await (const [key, value] of queue.#store.iterator()) {
      const entry = JSON.parse(value) as QueuedAnchor
      queue.#entries.set(entry.id, entry)
      queue.#nextId = Math.max(queue.#nextId, Number(key) + 1)
    }
    return queue
  }

  /** Queues an anchor; resolves once it is stored. */
  async add (treeSize: number, root: string): Promise<QueuedAnchor> {
    const entry: QueuedAnchor = { id: this.#nextId++, treeSize, root, queuedAt: Date.now() }
    await this.#store.put(keyOf(entry.id), JSON.stringify(entry))
    this.#entries.set(entry.id, entry)
    return entry
  }

  /** Records (or, with undefined, clears) the transaction that carries `entry`; resolves once stored. */
  async markSent (entry: QueuedAnchor, sent: QueuedAnchor['sent']): Promise<QueuedAnchor> {
    const { sent: _, ...rest } = entry
    const updated: QueuedAnchor = sent === undefined ? rest : { ...rest, sent }
    await this.#store.put(keyOf(entry.id), JSON.stringify(updated))
    this.#entries.set(entry.id, updated)
    return updated
  }

  async remove (entries: QueuedAnchor[]): Promise<void> {
    for (const entry of entries) {
      await this.#store.del(keyOf(entry.id))
      this.#entries.delete(entry.id)
    }
  }

  /** Every queued anchor, oldest first. */
  entries (): QueuedAnchor[] {
    return [...this.#entries.values()].sort((a, b) => a.id - b.id)
  }

  /** The anchor to send next: the largest tree size (it covers every smaller one), newest on a tie. */
  next (): QueuedAnchor | undefined {
    let best: QueuedAnchor | undefined
    for (const entry of this.#entries.values()) {
      if (best === undefined || entry.treeSize > best.treeSize || (entry.treeSize === best.treeSize && entry.id > best.id)) best = entry
    }
    return best
  }

  /**
   * The entries that the chain holding (treeSize, root) settles: every smaller size, and the same size
   * with the same root. The same size with another root stays: sending it will be refused as a fork.
   */
  coveredBy (treeSize: number, root: string): QueuedAnchor[] {
    return this.entries().filter((e) => e.treeSize < treeSize || (e.treeSize === treeSize && e.root === root))
  }

  get size (): number {
    return this.#entries.size
  }

  async close (): Promise<void> {
    await this.#owned?.close()
  }
}

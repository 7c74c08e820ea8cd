// The tlog core's HashReader over the log's level database. Only every STORED_LEVEL_STEP-th tree level is
// stored (levels 0, 4, 8 …, which include every tile level 8·L): that halves the hash writes of an append
// (≈ 1.07 instead of ≈ 2 per entry) at the cost of rebuilding a node between stored levels from at most
// 2^3 = 8 stored hashes under it. A proof or root stays one getMany.
import { MissingHashError, merkleRoot, type HashReader, type NodeId } from '../../protocol/tlog/index.js'
import { hashKey } from './keys.js'
import { asBytes, type LogDatabase } from './log-database.js'

export const STORED_LEVEL_STEP = 4

/** True when the hash of a node at tree `level` is stored. */
export function isStoredLevel (level: number): boolean {
  return level % STORED_LEVEL_STEP === 0
}

export class LevelHashReader implements HashReader {
  readonly #db: LogDatabase

  constructor (db: LogDatabase) {
    this.#db = db
  }

  async getHashes (nodes: readonly NodeId[]): Promise<Uint8Array[]> {
    if (nodes.length === 0) return []
    // Each node expands to the run of stored nodes under it (itself when its level is stored).
    const runs = nodes.map((n) => {
      const below = n.level % STORED_LEVEL_STEP
      return { level: n.level - below, first: n.index * 2 ** below, count: 2 ** below }
    })
    const keys = runs.flatMap((r) => Array.from({ length: r.count }, (_, k) => hashKey(r.level, r.first + k)))
    const values = await this.#db.getMany(keys)
    let at = 0
    return runs.map((run, i) => {
      const hashes = values.slice(at, at + run.count).map((value) => {
        if (value === undefined) throw new MissingHashError(nodes[i]!.level, nodes[i]!.index)
        return asBytes(value)
      })
      at += run.count
      return run.count === 1 ? hashes[0]! : merkleRoot(hashes)
    })
  }
}

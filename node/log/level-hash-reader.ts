// The tlog core's HashReader over the log's level database: a proof or root is one getMany.
import { MissingHashError, type HashReader, type NodeId } from '../../protocol/tlog/index.js'
import { hashKey } from './keys.js'
import { asBytes, type LogDatabase } from './log-database.js'

export class LevelHashReader implements HashReader {
  readonly #db: LogDatabase

  constructor (db: LogDatabase) {
    this.#db = db
  }

  async getHashes (nodes: readonly NodeId[]): Promise<Uint8Array[]> {
    if (nodes.length === 0) return []
    const values = await this.#db.getMany(nodes.map((n) => hashKey(n.level, n.index)))
    return values.map((value, i) => {
      if (value === undefined) throw new MissingHashError(nodes[i]!.level, nodes[i]!.index)
      return asBytes(value)
    })
  }
}

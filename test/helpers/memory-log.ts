// An agency log in memory (protocol/tlog's MemoryTree, checkpoints signed with signCheckpoint), for tests
// of what sits on top of the log. `failNext` makes the next append fail, as a full disk would.
import { checkpointOrigin, MemoryTree, signCheckpoint, addressOfPrivateKey } from '../../protocol/index.js'
import type { RequestLog } from '../../node/agency/index.js'

export class MemoryRequestLog implements RequestLog {
  readonly tree = new MemoryTree()
  readonly entries: Uint8Array[] = []
  readonly origin: string
  readonly #key: Uint8Array
  failNext = false

  constructor (agencyKey: string, chainId: number) {
    this.#key = new Uint8Array(Buffer.from(agencyKey.slice(2), 'hex'))
    this.origin = checkpointOrigin(chainId, addressOfPrivateKey(agencyKey))
  }

  async append (entry: Uint8Array): Promise<number> {
    if (this.failNext) {
      this.failNext = false
      throw new Error('disk full')
    }
    this.entries.push(entry)
    return this.tree.append(entry)
  }

  async proof (index: number): Promise<{ checkpoint: string, proof: Uint8Array[] }> {
    const size = this.tree.size
    const checkpoint = signCheckpoint({ origin: this.origin, size, root: this.tree.root() }, this.#key)
    return { checkpoint, proof: this.tree.inclusionProof(index, size) }
  }
}

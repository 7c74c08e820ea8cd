// An agency log in memory (protocol/tlog's MemoryTree, checkpoints signed with signCheckpoint), for tests
// of what sits on top of the log. `failNext` makes the next append fail, as a full disk would.
import { checkpointOrigin, MemoryTree, signCheckpoint, addressOfPrivateKey } from '../../protocol/index.js'
import { EventEmitter } from 'node:events'
import type { RequestLog } from '../../node/agency/index.js'
import type { AgencyLogEvents } from '../../node/log/agency-log.js'

/** An emitter like the agency log, so what follows the log (the live UI's `log` events) starts on it; it issues no checkpoints of its own. */
export class MemoryRequestLog extends EventEmitter<AgencyLogEvents> implements RequestLog {
  readonly tree = new MemoryTree()
  readonly entries: Uint8Array[] = []
  readonly origin: string
  readonly #key: Uint8Array
  failNext = false

  constructor (agencyKey: string, chainId: number) {
    super()
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

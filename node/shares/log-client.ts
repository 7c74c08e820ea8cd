// A consistency proof from an agency's log as it serves itself over /porchlight/audit/1.0.0 (node/log):
// the hashes are read from its tiles, so the proof is only as good as the roots it is checked against —
// `anchorStatus` checks it against the signed checkpoint and the anchored root.
import { consistencyProof, TileHashReader, type SignedRequest } from '../../protocol/index.js'
import { sendRequest } from '../p2p/index.js'
import type { FootageDialer } from './delivery-identity.js'
import type { ConsistencySource } from '../footage/receipt.js'
import { agencyAddrs } from './sender.js'

/** Fixed by node/log (audit-protocol.ts): one path per stream, the served bytes back. */
export const AUDIT_PROTOCOL = '/porchlight/audit/1.0.0'

export function auditConsistency (libp2p: FootageDialer, request: SignedRequest): ConsistencySource {
  return {
    async consistency (m, n) {
      const reader = new TileHashReader(n, async (_tile, path) => {
        const bytes = await sendRequest<string, unknown>(libp2p, agencyAddrs(request), AUDIT_PROTOCOL, path, { maxFrameBytes: 256 * 1024 })
        if (!(bytes instanceof Uint8Array)) throw new TypeError('tile is not bytes')
        return bytes
      })
      return await consistencyProof(m, n, reader)
    }
  }
}

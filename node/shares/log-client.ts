// An agency's log as it serves itself over /porchlight/audit/1.0.0 (node/log): the checkpoint note, hash
// tiles and entry bundles, read by a resident about its own shares. What is read is only as good as what
// it is checked against — `anchorStatus` checks a consistency proof against the signed checkpoint and the
// anchored root, share-history.ts every entry against the checkpoint the agency signed.
import { consistencyProof, TileHashReader, type SignedRequest } from '../../protocol/index.js'
import { sendRequest } from '../p2p/index.js'
import type { FootageDialer } from './delivery-identity.js'
import type { ConsistencySource } from '../footage/receipt.js'
import { agencyAddrs } from './sender.js'

/** Fixed by node/log (audit-protocol.ts): one path per stream, the served bytes back. */
export const AUDIT_PROTOCOL = '/porchlight/audit/1.0.0'

/** A full entry bundle of maximal entries (node/log's MAX_RESOURCE_BYTES) and its framing. */
const MAX_RESOURCE_FRAME = 256 * (2 + 0xffff) + 64

/** One resource of the request's agency's log (`checkpoint`, `tile/…`), as bytes. */
export type LogResourceReader = (path: string) => Promise<Uint8Array>

export function auditResources (libp2p: FootageDialer, request: SignedRequest, timeoutMs?: number): LogResourceReader {
  return async (path) => {
    const bytes = await sendRequest<string, unknown>(libp2p, agencyAddrs(request), AUDIT_PROTOCOL, path, { maxFrameBytes: MAX_RESOURCE_FRAME, ...(timeoutMs === undefined ? {} : { timeoutMs }) })
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`${path} is not bytes`)
    return bytes
  }
}

export function auditConsistency (libp2p: FootageDialer, request: SignedRequest): ConsistencySource {
  const read = auditResources(libp2p, request)
  return {
    async consistency (m, n) {
      const reader = new TileHashReader(n, async (_tile, path) => await read(path))
      return await consistencyProof(m, n, reader)
    }
  }
}

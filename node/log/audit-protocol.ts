// The log over libp2p: /porchlight/audit/1.0.0 answers one path per stream with the same bytes the HTTP
// routes serve (a checkpoint note, a hash tile, an entry bundle), or a typed error frame (TILE_NOT_FOUND,
// INVALID_TILE_PATH, UNKNOWN_LOG_PATH), for auditors that reach the agency only over the peer network.
import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { handleRequests, sendRequest, type PorchlightLibp2p, type ProtocolOptions } from '../p2p/index.js'
import type { AgencyLog } from './agency-log.js'
import { MalformedFrameError } from '../p2p/index.js'
import { UnknownLogPathError } from './errors.js'
import { MAX_RESOURCE_BYTES, readLogResource, type CheckpointNoteSource } from './log-resource.js'

export const AUDIT_PROTOCOL = '/porchlight/audit/1.0.0'

/** A response frame carries one resource plus its dag-cbor wrapping (`{ ok: bytes }`, a few bytes). */
const MAX_FRAME_BYTES = MAX_RESOURCE_BYTES + 64
const MAX_PATH_LENGTH = 200

/** Serves `log` on AUDIT_PROTOCOL until `libp2p.unhandle(AUDIT_PROTOCOL)`. */
export async function handleAuditProtocol (libp2p: PorchlightLibp2p, log: AgencyLog, options: ProtocolOptions = {}, checkpointNote?: CheckpointNoteSource): Promise<void> {
  // Also over a relayed connection: a household delivering through a relay checks its receipt the same way.
  await handleRequests<unknown, Uint8Array>(libp2p, AUDIT_PROTOCOL, async (path) => {
    if (typeof path !== 'string' || path.length > MAX_PATH_LENGTH) throw new UnknownLogPathError(typeof path === 'string' ? path.slice(0, MAX_PATH_LENGTH) : typeof path)
    return (await readLogResource(log, path, checkpointNote)).bytes
  }, { maxFrameBytes: MAX_FRAME_BYTES, runOnLimitedConnection: true, ...options })
}

/**
 * Fetches a log resource (`checkpoint`, `tile/…`) from an agency peer. A refusal comes back as RemoteError
 * whose `details.code` is the agency's error code (e.g. TILE_NOT_FOUND).
 */
export async function fetchAuditResource (libp2p: PorchlightLibp2p, peer: PeerId | Multiaddr | Multiaddr[], path: string, options: ProtocolOptions & AbortOptions = {}): Promise<Uint8Array> {
  const bytes = await sendRequest<string, unknown>(libp2p, peer, AUDIT_PROTOCOL, path, { maxFrameBytes: MAX_FRAME_BYTES, ...options })
  if (!(bytes instanceof Uint8Array)) throw new MalformedFrameError('response is not bytes', { details: { protocol: AUDIT_PROTOCOL, path } })
  return bytes
}

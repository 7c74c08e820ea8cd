// What the log serves to anyone, per C2SP tlog-tiles, as bytes with their caching: the same for HTTP and
// for /porchlight/audit/1.0.0. Tiles are read at the latest checkpoint's size, so everything served lies
// under a signed root; a full tile never changes and may be cached for good, a partial tile and the
// checkpoint only briefly.
import {
  TILE_WIDTH, encodeEntryBundle, encodeHashTile, parseTilePath, TILE_HEIGHT
} from '../../protocol/tlog/index.js'
import type { AgencyLog } from './agency-log.js'
import { TileNotFoundError, UnknownLogPathError } from './errors.js'

export interface LogResource {
  bytes: Uint8Array
  contentType: string
  cacheControl: string
}

export const IMMUTABLE = 'public, max-age=31536000, immutable'
export const SHORT_LIVED = 'public, max-age=1'
export const CHECKPOINT_PATH = 'checkpoint'

/** Largest resource: a full entry bundle of 256 maximal entries (each a uint16 length and 65,535 bytes). */
export const MAX_RESOURCE_BYTES = TILE_WIDTH * (2 + 0xffff)

/** The latest checkpoint note as served, with its cosignatures (the cosigner's); undefined: the log's own. */
export type CheckpointNoteSource = () => string | undefined

/**
 * The resource at `path` (no leading slash): `checkpoint`, `tile/<L>/<N>[.p/<W>]` or
 * `tile/entries/<N>[.p/<W>]`. A malformed path is InvalidTilePathError (or UnknownLogPathError), a tile
 * the latest checkpoint does not cover TileNotFoundError.
 */
export async function readLogResource (log: AgencyLog, path: string, checkpointNote?: CheckpointNoteSource): Promise<LogResource> {
  if (path === CHECKPOINT_PATH) {
    return { bytes: new TextEncoder().encode(checkpointNote?.() ?? log.latestCheckpoint.note), contentType: 'text/plain; charset=utf-8', cacheControl: 'no-cache' }
  }
  if (typeof path !== 'string' || !path.startsWith('tile/')) throw new UnknownLogPathError(String(path))
  const tile = parseTilePath(path)
  const size = log.latestCheckpoint.size
  const level = tile.kind === 'hash' ? tile.level : 0
  // Nodes of tree level 8·L that the checkpoint's tree holds, all full subtrees.
  const available = Math.floor(size / TILE_WIDTH ** level)
  const first = tile.index * TILE_WIDTH
  if (first + tile.width > available) throw new TileNotFoundError(path, size)
  const bytes = tile.kind === 'hash'
    ? encodeHashTile(await log.hashes(level * TILE_HEIGHT, first, tile.width))
    : encodeEntryBundle(await log.entries(first, tile.width))
  return { bytes, contentType: 'application/octet-stream', cacheControl: tile.width === TILE_WIDTH ? IMMUTABLE : SHORT_LIVED }
}

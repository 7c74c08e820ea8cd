// Reads an agency's public log the way any outsider would (C2SP tlog-tiles: the checkpoint, then entry
// bundles) and checks it in the browser: the checkpoint's signature, and the entries' leaf hashes against
// the signed root.
import {
  TILE_WIDTH, decodeEntryBundle, decodeLogEntry, entryBundlePath, hashLeaf, merkleRoot, equalHashes, verifyCheckpoint,
  type Checkpoint, type LogEntry
} from '../../../protocol/index.js'

export interface LogView {
  checkpoint: Checkpoint
  /** The last entries, oldest first, with their indexes. */
  entries: Array<{ index: number, entry: LogEntry }>
  /** Whether the entries read hash to the signed root (only when all were read). */
  rootMatches?: boolean
}

export interface LogSource {
  checkpoint: () => Promise<string>
  tile: (path: string) => Promise<Uint8Array>
}

/** Reads at most `maxEntries` of the newest entries; checks the root when the whole log was read. */
export async function readLog (source: LogSource, agency: string, maxEntries = 512): Promise<LogView> {
  const checkpoint = verifyCheckpoint(await source.checkpoint(), agency)
  const size = checkpoint.size
  const first = Math.max(0, size - maxEntries)
  const entries: Array<{ index: number, entry: LogEntry }> = []
  const leaves: Uint8Array[] = []
  for (let tile = Math.floor(first / TILE_WIDTH); tile * TILE_WIDTH < size; tile++) {
    const width = Math.min(TILE_WIDTH, size - tile * TILE_WIDTH)
    const bundle = decodeEntryBundle(await source.tile(entryBundlePath(tile, width === TILE_WIDTH ? undefined : width)), width)
    bundle.forEach((bytes, i) => {
      const index = tile * TILE_WIDTH + i
      if (index < first) return
      leaves.push(hashLeaf(bytes))
      entries.push({ index, entry: decodeLogEntry(bytes) })
    })
  }
  return { checkpoint, entries, ...(first === 0 ? { rootMatches: equalHashes(merkleRoot(leaves), checkpoint.root) } : {}) }
}

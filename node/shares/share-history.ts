// "What happened to my footage": the entries an agency logged about a share's clips after delivering them
// (access, share to another body, delete), read from its public log over /porchlight/audit/1.0.0 and
// checked here — the checkpoint signed by the request's agency, each entry's inclusion under it — before
// anything is believed (a deletion is only recorded on the share once verified). The browser gets the same
// bytes and proofs and checks them again itself. Only entries after the delivery can name its clips, so
// the read starts there; a log grown by more than MAX_HISTORY_ENTRIES since is read from its newest end
// (a deletion is what comes last) and the answer says it is incomplete.
import {
  TILE_WIDTH, decodeEntryBundle, decodeLogEntry, entryBundlePath, hashLeaf, inclusionProof, toHex, verifyCheckpoint,
  verifyInclusion, TileHashReader, type LogEntry, type ShareHistory
} from '../../protocol/index.js'
import type { LogResourceReader } from './log-client.js'

/** At most this many entries read per history (16 bundles). */
export const MAX_HISTORY_ENTRIES = 16 * TILE_WIDTH

export type ClipEntry = Extract<LogEntry, { kind: 'access' | 'share' | 'delete' }>

export interface VerifiedHistory {
  history: ShareHistory
  /** The entries decoded, in log order (every one verified under the checkpoint). */
  entries: Array<{ index: number, entry: ClipEntry }>
}

export interface ReadHistoryInit {
  share: string
  /** The request's agency: the checkpoint must be its log's, signed by it. */
  agency: string
  chainId: number | bigint
  /** The delivery entry's index: the read starts after it. */
  logIndex: number
  clips: readonly string[]
}

const aboutClip = (e: LogEntry): e is ClipEntry => e.kind === 'access' || e.kind === 'share' || e.kind === 'delete'

export async function readShareHistory (read: LogResourceReader, init: ReadHistoryInit): Promise<VerifiedHistory> {
  const note = new TextDecoder().decode(await read('checkpoint'))
  const checkpoint = verifyCheckpoint(note, init.agency, init.chainId)
  const size = checkpoint.size
  const to = size
  const from = Math.min(to, Math.max(init.logIndex + 1, to - MAX_HISTORY_ENTRIES))
  const clips = new Set(init.clips)
  const found: Array<{ index: number, bytes: Uint8Array, entry: ClipEntry }> = []
  for (let bundle = Math.floor(from / TILE_WIDTH); bundle * TILE_WIDTH < to; bundle++) {
    const first = bundle * TILE_WIDTH
    const width = Math.min(TILE_WIDTH, size - first)
    const entries = decodeEntryBundle(await read(entryBundlePath(bundle, width === TILE_WIDTH ? undefined : width)), width)
    entries.forEach((bytes, k) => {
      const index = first + k
      if (index < from) return
      let entry: LogEntry
      // An entry this node cannot read is not about its clips as far as it can tell; its leaf still counts in the tree.
      try { entry = decodeLogEntry(bytes) } catch { return }
      if (aboutClip(entry) && clips.has(entry.clip)) found.push({ index, bytes, entry })
    })
  }
  const hashes = new TileHashReader(size, async (_tile, path) => await read(path))
  const out: VerifiedHistory = {
    history: { share: init.share, checkpoint: note, from, to, complete: from === Math.min(to, init.logIndex + 1), entries: [] },
    entries: []
  }
  for (const { index, bytes, entry } of found) {
    const proof = await inclusionProof(index, size, hashes)
    // Hashes the agency served: checked against the root it signed before the entry is taken as logged.
    verifyInclusion(hashLeaf(bytes), index, size, proof, checkpoint.root)
    out.history.entries.push({ index, entry: toHex(bytes), proof: proof.map(toHex) })
    out.entries.push({ index, entry })
  }
  return out
}

/** When every clip of the share has a verified `delete` entry: the latest one's time; otherwise undefined. */
export function deletedAt (entries: VerifiedHistory['entries'], clips: readonly string[]): number | undefined {
  const deleted = new Map<string, number>()
  for (const { entry } of entries) if (entry.kind === 'delete') deleted.set(entry.clip, Math.max(deleted.get(entry.clip) ?? 0, entry.at))
  if (clips.some((c) => !deleted.has(c))) return undefined
  return Math.max(...clips.map((c) => deleted.get(c)!))
}

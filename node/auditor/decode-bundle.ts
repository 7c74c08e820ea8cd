// Decoding an entry bundle for the auditor: each entry's leaf hash and its strictly decoded log entry (or
// why it does not decode), decoded once per entry for both the tree and the rules.
import { isPorchlightError } from '../../protocol/errors.js'
import { decodeLogEntry, type LogEntry } from '../../protocol/messages/index.js'
import { HASH_SIZE, decodeEntryBundle } from '../../protocol/tlog/index.js'
import { nodeTreeHasher } from '../crypto/index.js'

export type DecodedEntry = { entry: LogEntry } | { error: { code: string, details: Record<string, unknown> } }

export interface DecodedBundle {
  /** The leaf hashes, concatenated (32 bytes each). */
  hashes: Uint8Array
  entries: DecodedEntry[]
}

function errorOf (err: unknown): { code: string, details: Record<string, unknown> } {
  return isPorchlightError(err) ? { code: err.code, details: structuredClone(err.details) } : { code: 'UNKNOWN', details: {} }
}

/** Decodes a bundle of `width` entries; throws InvalidTileError when the bundle itself is malformed. */
export function decodeBundle (bytes: Uint8Array, width: number): DecodedBundle {
  const raw = decodeEntryBundle(bytes, width)
  const hashes = new Uint8Array(raw.length * HASH_SIZE)
  const entries = raw.map((e, i): DecodedEntry => {
    hashes.set(nodeTreeHasher.leaf(e), i * HASH_SIZE)
    try {
      return { entry: decodeLogEntry(e) }
    } catch (err) {
      return { error: errorOf(err) }
    }
  })
  return { hashes, entries }
}

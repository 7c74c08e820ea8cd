// A share's history as the resident's node read it from the agency's public log (GET /api/shares/:id/history),
// checked again in this browser: the checkpoint must be the share's agency's log, signed by it, and every
// entry's inclusion proof must lead to its root. An entry that fails is shown as failed, never hidden.
import { decodeLogEntry, fromHex, parseCheckpoint, parseCheckpointOrigin, parseSignedNote, type LogEntry, type ShareHistory } from '../../../protocol/index.js'
import { checkEvidenceValue } from './evidence.js'

export interface HistoryRow {
  index: number
  entry?: Extract<LogEntry, { kind: 'access' | 'share' | 'delete' }>
  ok: boolean
  /** What failed, when something did. */
  problem?: string
}

export function checkShareHistory (history: ShareHistory, agency: string): { rows: HistoryRow[], ok: boolean, problem?: string } {
  let named: string | undefined
  try { named = parseCheckpointOrigin(parseCheckpoint(parseSignedNote(history.checkpoint).text).origin).agency } catch { named = undefined }
  if (named !== agency.toLowerCase()) return { rows: [], ok: false, problem: `the checkpoint is not the log of agency ${agency}` }
  const rows = history.entries.map(({ index, entry, proof }): HistoryRow => {
    let decoded: LogEntry
    try { decoded = decodeLogEntry(fromHex(entry)) } catch { return { index, ok: false, problem: 'the entry does not decode' } }
    if (decoded.kind !== 'access' && decoded.kind !== 'share' && decoded.kind !== 'delete') return { index, ok: false, problem: `a ${decoded.kind} entry is not about a clip` }
    const result = checkEvidenceValue({ entry, logIndex: index, checkpoint: history.checkpoint, proof })
    const failed = result.steps.filter((s) => !s.ok)
    return { index, entry: decoded, ok: result.ok, ...(result.ok ? {} : { problem: failed.map((s) => `${s.label}: ${s.detail}`).join('; ') }) }
  })
  return { rows, ok: rows.every((r) => r.ok) }
}

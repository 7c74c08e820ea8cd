// Which cells of an area lie outside an agency's jurisdiction: each res-9 cell checked with the protocol's
// own rule (isInsideJurisdiction, what the relays run), so the composer marks exactly what would be refused.
import { isInsideJurisdiction } from '../../../protocol/index.js'

export function outsideCells (cells: readonly string[], jurisdiction: readonly string[]): string[] {
  if (jurisdiction.length === 0) return []
  return cells.filter((cell) => !isInsideJurisdiction([cell], jurisdiction))
}

// Agency records as the client returns them, and the conversion of H3 cells between h3-js strings and the
// contract's uint64.
import { getResolution, isValidCell } from 'h3-js'
import { LIMITS } from '../../protocol/limits/index.js'
import { AgencyRegistryCellTooCoarse, AgencyRegistryInvalidCell } from './errors.js'

export type AgencyStatus = 'none' | 'active' | 'suspended' | 'revoked'

/** The order of AgencyRegistry's `AgencyStatus` enum. */
export const agencyStatuses: readonly AgencyStatus[] = ['none', 'active', 'suspended', 'revoked']

export interface AgencyInfo {
  /** Checksummed address. */
  address: string
  name: string
  /** H3 cells (h3-js hex strings), ascending. */
  cells: string[]
  /** Unix seconds; the agency is valid through this second. */
  validUntil: number
  status: AgencyStatus
}

/** Active and within its validity at unix second `at`: the one reading of a record every check shares. */
export function isActiveRecord (record: Pick<AgencyInfo, 'status' | 'validUntil'>, at: number): boolean {
  return record.status === 'active' && at <= record.validUntil
}

/** The finest H3 resolution a jurisdiction cell may have (AgencyRegistry.MAX_CELL_RESOLUTION). */
export const maxCellResolution = LIMITS.jurisdiction.maxCellResolution

/**
 * The cells as the contract takes them: checked (valid H3 cells of resolution 5 to 7), deduplicated and
 * ascending. Throws AgencyRegistryInvalidCell or AgencyRegistryCellTooCoarse — the contract's own errors —
 * before any transaction. (The count and area caps are left to the contract, which the council's client
 * simulates before it proposes.)
 */
export function cellsToUint64 (cells: readonly string[]): bigint[] {
  const values = new Set<bigint>()
  for (const cell of cells) {
    if (!isValidCell(cell) || getResolution(cell) > maxCellResolution) throw new AgencyRegistryInvalidCell({ cell })
    const resolution = getResolution(cell)
    if (resolution < LIMITS.jurisdiction.minCellResolution) throw new AgencyRegistryCellTooCoarse({ cell, resolution })
    values.add(BigInt(`0x${cell}`))
  }
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

export function uint64ToCell (value: bigint): string {
  return value.toString(16)
}

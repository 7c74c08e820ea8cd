// H3 indexes are 64-bit integers; the contracts and the EIP-712 types carry them as uint64, the
// messages as 15-digit lowercase hex strings (the form h3-js writes).
import { isCell } from './cells.js'
import { InvalidCellError } from './errors.js'

export function cellToUint64 (cell: string): bigint {
  if (!isCell(cell)) throw new InvalidCellError('not a canonical H3 cell index', { value: cell })
  return BigInt(`0x${cell}`)
}

export function uint64ToCell (value: bigint): string {
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << 64n) throw new InvalidCellError('not a uint64', { value: String(value) })
  const cell = value.toString(16).padStart(15, '0')
  if (!isCell(cell)) throw new InvalidCellError('not a valid H3 cell index', { value: cell })
  return cell
}

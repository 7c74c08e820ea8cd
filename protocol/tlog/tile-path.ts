// C2SP tlog-tiles resource paths: `tile/<L>/<N>[.p/<W>]` for hash tiles and `tile/entries/<N>[.p/<W>]` for
// entry bundles. <N> is written in zero-padded 3-digit groups, all but the last prefixed with `x`
// (1234067 → x001/x234/067), so a file system can serve tiles directly without file/directory clashes.
import { IndexOutOfRangeError, InvalidTilePathError } from './errors.js'
import { TILE_WIDTH } from './tile.js'

/** Highest tile level C2SP allows. */
export const MAX_TILE_LEVEL = 63

/** What a tile path names: a hash tile (with its level) or an entry bundle; `width` 1…256, 256 = full. */
export type TilePathInfo =
  | { kind: 'hash', level: number, index: number, width: number }
  | { kind: 'entries', index: number, width: number }

function encodeIndex (index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new IndexOutOfRangeError('index', index, Number.MAX_SAFE_INTEGER)
  const groups: string[] = []
  let n = index
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'))
    n = Math.floor(n / 1000)
  } while (n > 0)
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/')
}

function widthSuffix (width: number | undefined): string {
  if (width === undefined || width === TILE_WIDTH) return ''
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new IndexOutOfRangeError('width', width, TILE_WIDTH)
  return `.p/${width}`
}

/**
 * The path of hash tile `index` at tile `level`; with `partialWidth` 1…255 the partial tile of that
 * width (256, or none, names the full tile). Example: tilePath(0, 1234067, 8) = 'tile/0/x001/x234/067.p/8'.
 */
export function tilePath (level: number, index: number, partialWidth?: number): string {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) throw new IndexOutOfRangeError('level', level, MAX_TILE_LEVEL)
  return `tile/${level}/${encodeIndex(index)}${widthSuffix(partialWidth)}`
}

/** The path of entry bundle `index`, partial when `partialWidth` is 1…255. */
export function entryBundlePath (index: number, partialWidth?: number): string {
  return `tile/entries/${encodeIndex(index)}${widthSuffix(partialWidth)}`
}

const DECIMAL = /^(0|[1-9][0-9]*)$/
const GROUP = /^[0-9]{3}$/

/** Parses a canonical tile or entry-bundle path (no leading slash); anything else is InvalidTilePathError. */
export function parseTilePath (path: string): TilePathInfo {
  const fail = (reason: string): never => { throw new InvalidTilePathError(String(path), reason) }
  if (typeof path !== 'string' || path.length > 200) fail('not a short string')
  const parts = path.split('/')
  if (parts.shift() !== 'tile') fail('does not start with tile/')
  const head = parts.shift()
  let level: number | undefined
  if (head === 'entries') level = undefined
  else if (head !== undefined && DECIMAL.test(head) && Number(head) <= MAX_TILE_LEVEL) level = Number(head)
  else fail('level is not 0…63 without leading zeroes')

  let width = TILE_WIDTH
  const last = parts.length - 1
  if (last >= 1 && parts[last - 1]!.endsWith('.p')) {
    const w = parts[last]!
    if (!DECIMAL.test(w) || Number(w) < 1 || Number(w) >= TILE_WIDTH) fail('partial width is not 1…255 without leading zeroes')
    width = Number(w)
    parts.pop()
    parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -2)
  }
  if (parts.length === 0) fail('no index')
  let index = 0
  parts.forEach((part, i) => {
    const isLast = i === parts.length - 1
    const digits = isLast ? part : part.startsWith('x') ? part.slice(1) : fail('index group without x prefix')
    if (!GROUP.test(digits)) fail('index group is not three digits')
    if (i === 0 && parts.length > 1 && digits === '000') fail('index has a leading zero group')
    index = index * 1000 + Number(digits)
  })
  if (!Number.isSafeInteger(index)) fail('index too large')
  return level === undefined ? { kind: 'entries', index, width } : { kind: 'hash', level, index, width }
}

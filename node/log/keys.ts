// Key layout of the log's sublevel. Fixed-width hex numbers make the database's byte order the numeric
// order, so a hash tile (256 consecutive nodes of one level) and an entry bundle (256 consecutive entries)
// are each one range read, and the latest checkpoint is the last key of its prefix.
//   e<index>          entry bytes
//   h<level><index>   hash of full subtree (level, index), for levels 0, 4, 8 … (level-hash-reader.ts)
//   c<size>           signed checkpoint note (UTF-8) issued at that size
//   size              number of durable entries (decimal, UTF-8)
const INDEX_DIGITS = 14 // 16^14 = 2^56 > Number.MAX_SAFE_INTEGER
const LEVEL_DIGITS = 2

function hex (n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0')
}

export const SIZE_KEY = 'size'

export function entryKey (index: number): string {
  return 'e' + hex(index, INDEX_DIGITS)
}

export function hashKey (level: number, index: number): string {
  return 'h' + hex(level, LEVEL_DIGITS) + hex(index, INDEX_DIGITS)
}

export function checkpointKey (size: number): string {
  return 'c' + hex(size, INDEX_DIGITS)
}

/** Every checkpoint key lies in [CHECKPOINT_FIRST, CHECKPOINT_END). */
export const CHECKPOINT_FIRST = 'c'
export const CHECKPOINT_END = 'd'

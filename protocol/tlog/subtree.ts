// Addresses of full subtrees ("nodes") in an RFC 9162 tree, and the arithmetic on tree sizes.
// Node (level, index) is the root of the perfect subtree over leaves [index·2^level, (index+1)·2^level);
// level 0 holds the leaf hashes. Only such nodes are ever stored: they never change once complete, so a
// store (memory, level, tiles) can keep them forever and any root or proof is built from them.
//
// Sizes and indexes are JavaScript numbers up to 2^53 − 1; bit operators would truncate them to 32 bits,
// so this file uses arithmetic instead.
import { IndexOutOfRangeError } from './errors.js'

/** A full subtree: level 0 = a leaf, level l = the 2^l leaves from index·2^l. */
export interface NodeId {
  readonly level: number
  readonly index: number
}

/** Throws IndexOutOfRangeError unless `n` is a safe non-negative integer. */
export function checkTreeSize (field: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new IndexOutOfRangeError(field, n, Number.MAX_SAFE_INTEGER)
}

/** The largest power of two strictly below `n` (n ≥ 2): RFC 9162's split point k. */
export function splitPoint (n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/**
 * The full subtrees that exactly cover leaves [begin, end), left to right: the canonical compact range.
 * For a range that starts on a boundary of its own size rounded up to a power of two (every range an RFC
 * 9162 proof or root uses) the subtrees shrink from left to right.
 */
export function rangeNodes (begin: number, end: number): NodeId[] {
  const nodes: NodeId[] = []
  let at = begin
  while (at < end) {
    let width = 1
    let level = 0
    while (at % (width * 2) === 0 && at + width * 2 <= end) { width *= 2; level++ }
    nodes.push({ level, index: at / width })
    at += width
  }
  return nodes
}

/** The full subtrees whose hashes make up the root of a tree of `size` leaves (its right edge). */
export function rootNodes (size: number): NodeId[] {
  return rangeNodes(0, size)
}

/** The range of leaves [begin, end) under a node. */
export function nodeRange (node: NodeId): { begin: number, end: number } {
  const width = 2 ** node.level
  return { begin: node.index * width, end: (node.index + 1) * width }
}

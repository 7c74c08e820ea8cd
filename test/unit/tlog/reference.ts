// A reference RFC 9162 tree written straight from the definitions of §2.1.1 (MTH), §2.1.3.1 (PATH) and
// §2.1.4.1 (PROOF/SUBPROOF) with Node's own SHA-256: slow and recursive, and independent of protocol/tlog,
// so the expected values the tests compare against are reproduced without the code under test.
import { createHash } from 'node:crypto'

const sha256 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}

export const refLeaf = (d: Uint8Array): Uint8Array => sha256(Uint8Array.of(0), d)
export const refNode = (l: Uint8Array, r: Uint8Array): Uint8Array => sha256(Uint8Array.of(1), l, r)

function k (n: number): number { let p = 1; while (p * 2 < n) p *= 2; return p }

/** MTH(D[n]) */
export function refRoot (d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256()
  if (d.length === 1) return refLeaf(d[0]!)
  const s = k(d.length)
  return refNode(refRoot(d.slice(0, s)), refRoot(d.slice(s)))
}

/** PATH(m, D[n]) */
export function refPath (m: number, d: readonly Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return []
  const s = k(d.length)
  return m < s
    ? [...refPath(m, d.slice(0, s)), refRoot(d.slice(s))]
    : [...refPath(m - s, d.slice(s)), refRoot(d.slice(0, s))]
}

/** PROOF(m, D[n]) */
export function refConsistency (m: number, d: readonly Uint8Array[]): Uint8Array[] {
  const sub = (m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] => {
    if (m === d.length) return b ? [] : [refRoot(d)]
    const s = k(d.length)
    return m <= s
      ? [...sub(m, d.slice(0, s), b), refRoot(d.slice(s))]
      : [...sub(m - s, d.slice(s), false), refRoot(d.slice(0, s))]
  }
  return m === 0 || m === d.length ? [] : sub(m, d, true)
}

/** Leaf i's entry in the test trees: 4 bytes, big-endian i. */
export function entry (i: number): Uint8Array {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, i)
  return b
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))

// A single-pass decoder for the canonical dag-cbor Porchlight writes: it builds the value and, as it reads,
// checks every rule that decoding and then re-encoding to compare bytes would enforce. cborg's own strict
// mode cannot do this: it checks minimal heads but neither map key order nor float forms (its README says
// so), so the byte-exact round trip was the only check, and it cost more than the decode itself.
//
// It judges only a subset of dag-cbor on its own: unsigned and negative integers in the safe range, byte
// and text strings, arrays, maps with text keys, false, true and null, nested at most MAX_DEPTH deep.
// That subset is every Porchlight message. For anything else (floats, big integers, tags and CIDs,
// `undefined`, other simple values, a map holding both `/` and `bytes` keys, which dag-cbor's encoder
// takes for a CID) and for every input it would refuse, it answers UNDECIDED and the caller falls back to
// decode + re-encode, which then decides (and picks the error). So it accepts an input only when the round
// trip accepts it, with a value the round trip would give; the property tests compare the two.
// Every check rejects a different spelling of the same value: a head longer than needed, map keys not in
// dag-cbor's order (length first, then bytewise) or repeated, a text string that is not UTF-8 or starts
// with a byte-order mark (a UTF-8 decoder drops it, so the value would re-encode without it), bytes left.

/** The answer when this decoder cannot judge the input alone (see the file comment). */
export const UNDECIDED: unique symbol = Symbol('undecided')

// Porchlight messages nest about five deep; deeper input is left to the fallback (whose own stack decides).
const MAX_DEPTH = 32
// The head of an 8-byte argument above this (2 ** 53 / 2 ** 32) would not be a safe integer.
const HIGH_WORD_LIMIT = 2 ** 21
// Short ASCII strings (map keys) are quicker to build by hand than through TextDecoder.
const SHORT_TEXT = 16

// Thrown inside the decoder to unwind to `decodeCanonicalSubset`, which answers UNDECIDED.
const OUTSIDE = new Error('outside the subset')

const utf8 = new TextDecoder('utf-8', { fatal: true })

const NOTHING = new Uint8Array(0)
let data: Uint8Array = NOTHING
let pos = 0

/**
 * The value of `bytes` if they are the canonical dag-cbor encoding of a value in the subset above;
 * otherwise UNDECIDED (not canonical, not dag-cbor, or outside the subset: the caller must decide).
 */
export function decodeCanonicalSubset (bytes: Uint8Array): unknown {
  // A plain view, so byte strings come out as plain Uint8Array copies (as cborg gives them) for Buffers too.
  data = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  pos = 0
  try {
    const value = item(0)
    return pos === data.length ? value : UNDECIDED
  } catch {
    return UNDECIDED
  } finally {
    data = NOTHING // do not keep the caller's bytes alive
  }
}

/** The argument of a head whose major type was just read; refuses non-minimal and unsafe ones. */
function argument (minor: number): number {
  if (minor < 24) return minor
  const d = data
  const at = pos
  if (minor === 24) {
    if (at + 1 > d.length) throw OUTSIDE
    const value = d[at]!
    if (value < 24) throw OUTSIDE
    pos = at + 1
    return value
  }
  if (minor === 25) {
    if (at + 2 > d.length) throw OUTSIDE
    const value = (d[at]! << 8) | d[at + 1]!
    if (value < 0x100) throw OUTSIDE
    pos = at + 2
    return value
  }
  if (minor === 26) {
    if (at + 4 > d.length) throw OUTSIDE
    const value = d[at]! * 0x1000000 + ((d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!)
    if (value < 0x10000) throw OUTSIDE
    pos = at + 4
    return value
  }
  if (minor === 27) {
    if (at + 8 > d.length) throw OUTSIDE
    const high = d[at]! * 0x1000000 + ((d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!)
    // high 0: fits in 4 bytes (not minimal); high ≥ 2^21: beyond 2^53 - 1 (cborg gives a bigint).
    if (high === 0 || high >= HIGH_WORD_LIMIT) throw OUTSIDE
    const low = d[at + 4]! * 0x1000000 + ((d[at + 5]! << 16) | (d[at + 6]! << 8) | d[at + 7]!)
    pos = at + 8
    return high * 0x100000000 + low
  }
  throw OUTSIDE // 28–30 reserved, 31 indefinite length
}

function item (depth: number): unknown {
  const d = data
  if (pos >= d.length) throw OUTSIDE
  const initial = d[pos++]!
  const minor = initial & 31
  switch (initial >> 5) {
    case 0: return argument(minor)
    case 1: {
      const n = argument(minor)
      // -1 - (2^53 - 1) is below the safe range: cborg gives a bigint.
      if (n === Number.MAX_SAFE_INTEGER) throw OUTSIDE
      return -1 - n
    }
    case 2: {
      const n = argument(minor)
      if (n > d.length - pos) throw OUTSIDE
      const start = pos
      pos += n
      return d.slice(start, pos)
    }
    case 3: return text(argument(minor))
    case 4: {
      const n = argument(minor)
      if (n > d.length - pos || depth >= MAX_DEPTH) throw OUTSIDE // each item takes at least one byte
      const array: unknown[] = []
      for (let i = 0; i < n; i++) array.push(item(depth + 1))
      return array
    }
    case 5: return map(argument(minor), depth)
    case 7:
      if (initial === 0xf4) return false
      if (initial === 0xf5) return true
      if (initial === 0xf6) return null
      throw OUTSIDE // undefined, floats, other simple values
    default: throw OUTSIDE // 6: tags (CIDs)
  }
}

function text (n: number): string {
  const d = data
  if (n > d.length - pos) throw OUTSIDE
  const start = pos
  const end = start + n
  pos = end
  if (n <= SHORT_TEXT) {
    let out = ''
    let i = start
    for (; i < end; i++) {
      const c = d[i]!
      if (c >= 0x80) break
      out += String.fromCharCode(c)
    }
    if (i === end) return out
  }
  if (n >= 3 && d[start] === 0xef && d[start + 1] === 0xbb && d[start + 2] === 0xbf) throw OUTSIDE
  try {
    return utf8.decode(d.subarray(start, end))
  } catch {
    throw OUTSIDE
  }
}

function map (n: number, depth: number): Record<string, unknown> {
  const d = data
  if (n > (d.length - pos) / 2 || depth >= MAX_DEPTH) throw OUTSIDE // each entry takes at least two bytes
  const out: Record<string, unknown> = {}
  let previousStart = 0
  let previousLength = -1
  let slash = false
  let bytes = false
  for (let i = 0; i < n; i++) {
    if (pos >= d.length) throw OUTSIDE
    const initial = d[pos++]!
    if (initial >> 5 !== 3) throw OUTSIDE // dag-cbor keys are text
    const length = argument(initial & 31)
    if (length > d.length - pos) throw OUTSIDE
    const start = pos
    // dag-cbor orders keys by their UTF-8 length, then bytewise; equal keys are repeats.
    if (length < previousLength) throw OUTSIDE
    if (length === previousLength) {
      let j = 0
      while (j < length && d[start + j] === d[previousStart + j]) j++
      if (j === length || d[start + j]! < d[previousStart + j]!) throw OUTSIDE
    }
    previousStart = start
    previousLength = length
    const key = text(length)
    if (key === '/') slash = true
    else if (key === 'bytes') bytes = true
    const value = item(depth + 1)
    // An own property, as cborg makes it: assigning would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value, configurable: true, enumerable: true, writable: true })
    else out[key] = value
  }
  // dag-cbor's encoder reads such a map as a CID: only the round trip can say what it makes of it.
  if (slash && bytes) throw OUTSIDE
  return out
}

// C2SP tlog-checkpoint note text: the origin line, the tree size in decimal, the base64 root, then optional
// extension lines, each ending in a newline. Parsing is strict (one text per checkpoint), so two parties
// who agree on a checkpoint agree on its bytes, which is what the signature covers.
// Porchlight's origins name the chain and the agency: `porchlight.<chainId>/<agency address, lowercase>`.
import { decodeBase64, encodeBase64 } from './base64.js'
import { InvalidCheckpointError } from './errors.js'
import { HASH_SIZE } from './hasher.js'

export interface Checkpoint {
  /** The log's identity: `porchlight.<chainId>/<agency address>` for Porchlight logs. */
  readonly origin: string
  /** Number of leaves. */
  readonly size: number
  /** RFC 9162 root hash at that size. */
  readonly root: Uint8Array
  /** Opaque extension lines (not recommended by C2SP; none in Porchlight's own checkpoints). */
  readonly extensions?: readonly string[]
}

/** Longest checkpoint or note text accepted, in UTF-16 code units (a Porchlight note is ~200). */
export const MAX_NOTE_LENGTH = 65536

// Characters no note may hold: ASCII controls other than newline, and lone surrogates (not UTF-8).
// eslint-disable-next-line no-control-regex -- matching the control characters is the point of this pattern
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u
const KEY_NAME_FORBIDDEN = /[\s+]/u
const DECIMAL = /^(0|[1-9][0-9]*)$/

/** True when `s` holds no character a signed note forbids (controls other than newline, invalid UTF-16). */
export function isNoteSafe (s: string): boolean {
  return !FORBIDDEN.test(s)
}

/** True when `s` can be a signed-note key name (and so a Porchlight origin): non-empty, no spaces or plus. */
export function isKeyName (s: string): boolean {
  return s.length > 0 && !KEY_NAME_FORBIDDEN.test(s) && isNoteSafe(s)
}

/** The checkpoint's note text (the part a signature covers). */
export function formatCheckpoint (checkpoint: Checkpoint): string {
  const { origin, size, root, extensions = [] } = checkpoint
  if (typeof origin !== 'string' || !isKeyName(origin)) throw new InvalidCheckpointError('origin', 'empty, or has spaces, plus or control characters')
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidCheckpointError('size', 'not a safe non-negative integer', { value: size })
  if (!(root instanceof Uint8Array) || root.length !== HASH_SIZE) throw new InvalidCheckpointError('root', 'not a 32-byte hash')
  extensions.forEach((line, i) => {
    if (typeof line !== 'string' || line.length === 0 || line.includes('\n') || !isNoteSafe(line)) {
      throw new InvalidCheckpointError(`extensions[${i}]`, 'empty, or has a newline or control characters')
    }
  })
  const text = [origin, String(size), encodeBase64(root), ...extensions].join('\n') + '\n'
  if (text.length > MAX_NOTE_LENGTH) throw new InvalidCheckpointError('text', 'too long', { limit: MAX_NOTE_LENGTH })
  return text
}

/** Parses checkpoint note text strictly; any deviation is InvalidCheckpointError naming the line. */
export function parseCheckpoint (text: string): Checkpoint {
  if (typeof text !== 'string') throw new InvalidCheckpointError('text', 'not a string')
  if (text.length > MAX_NOTE_LENGTH) throw new InvalidCheckpointError('text', 'too long', { limit: MAX_NOTE_LENGTH })
  if (!text.endsWith('\n')) throw new InvalidCheckpointError('text', 'does not end in a newline')
  if (!isNoteSafe(text)) throw new InvalidCheckpointError('text', 'has control characters or invalid UTF-16')
  const lines = text.slice(0, -1).split('\n')
  if (lines.length < 3) throw new InvalidCheckpointError('text', 'fewer than three lines', { value: lines.length })
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]]
  if (!isKeyName(origin)) throw new InvalidCheckpointError('origin', 'empty, or has spaces or plus')
  if (!DECIMAL.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) {
    throw new InvalidCheckpointError('size', 'not a decimal without leading zeroes below 2^53', { value: sizeLine })
  }
  const root = decodeBase64(rootLine)
  if (root === undefined || root.length !== HASH_SIZE) throw new InvalidCheckpointError('root', 'not the canonical base64 of 32 bytes', { value: rootLine })
  extensions.forEach((line, i) => {
    if (line.length === 0) throw new InvalidCheckpointError(`extensions[${i}]`, 'empty line')
  })
  return { origin, size: Number(sizeLine), root, extensions }
}

const ORIGIN = /^porchlight\.(0|[1-9][0-9]*)\/(0x[0-9a-f]{40})$/

/** The origin (and checkpoint key name) of an agency's log: `porchlight.<chainId>/<address lowercase>`. */
export function checkpointOrigin (chainId: number | bigint, agency: string): string {
  const id = BigInt(chainId)
  if (id < 0n) throw new InvalidCheckpointError('chainId', 'negative', { value: String(chainId) })
  if (typeof agency !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(agency)) throw new InvalidCheckpointError('agency', 'not a 20-byte hex address', { value: agency })
  return `porchlight.${id}/${agency.toLowerCase()}`
}

/** The chain id and agency address (lowercase) named by a Porchlight origin. */
export function parseCheckpointOrigin (origin: string): { chainId: bigint, agency: string } {
  const m = typeof origin === 'string' ? ORIGIN.exec(origin) : null
  if (m === null) throw new InvalidCheckpointError('origin', 'not porchlight.<chainId>/<lowercase address>', { value: origin })
  return { chainId: BigInt(m[1]!), agency: m[2]! }
}

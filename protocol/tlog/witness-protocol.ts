// C2SP tlog-witness v1, the bytes of `POST <prefix>/add-checkpoint`: the request body
//   "old <size>\n" ‖ zero to 63 base64 consistency-proof lines ‖ "\n" ‖ a signed checkpoint note
// and its answers: 200 with one or more note signature lines, 409 `text/x.tlog.size` with the witness's
// latest size. Parsing is strict (canonical decimal and base64, no trailing bytes) so one request has one
// text, and bounded so a witness reads no more than a Porchlight checkpoint can need.
import { PorchlightError } from '../errors.js'
import { decodeBase64, encodeBase64 } from './base64.js'
import { parseCheckpoint, type Checkpoint } from './checkpoint.js'
import { HASH_SIZE } from './hasher.js'
import { parseSignatureLine, parseSignedNote } from './signed-note.js'

/** Most consistency-proof lines a request may carry (C2SP: clients MUST NOT send more than 63). */
export const MAX_PROOF_LINES = 63
/**
 * Longest request body accepted, in UTF-16 code units: the old line, 63 proof lines (45 each) and a note
 * with a few dozen signature lines (a Porchlight checkpoint with 16 cosignatures is under 2 KiB).
 */
export const MAX_ADD_CHECKPOINT_LENGTH = 16384
/** The media type of a 409 answer's body. */
export const TREE_SIZE_CONTENT_TYPE = 'text/x.tlog.size'

const OLD_LINE = /^old (0|[1-9][0-9]*)$/
const DECIMAL_LINE = /^(0|[1-9][0-9]*)\n$/

/** A request or answer that is not what C2SP tlog-witness says it must be. */
export class InvalidWitnessMessageError extends PorchlightError {
  static override readonly code = 'INVALID_WITNESS_MESSAGE'
  static override readonly status = 400
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(InvalidWitnessMessageError.code, `invalid tlog-witness message: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidWitnessMessageError'
  }
}

export interface AddCheckpointRequest {
  /** The size of the latest checkpoint the client believes the witness cosigned (0 for none). */
  readonly oldSize: number
  /** RFC 6962 consistency proof from `oldSize` to the checkpoint's size. */
  readonly proof: readonly Uint8Array[]
  /** The signed checkpoint note. */
  readonly checkpoint: string
}

/** A parsed request: the fields, and the checkpoint note's text and checkpoint (not yet verified). */
export interface ParsedAddCheckpoint extends AddCheckpointRequest {
  /** The note's signed text (what a cosignature covers). */
  readonly text: string
  readonly parsed: Checkpoint
}

function checkSize (field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidWitnessMessageError(`${field} is not a safe non-negative integer`, { field, value })
}

/** The request body of `add-checkpoint`. */
export function formatAddCheckpoint (request: AddCheckpointRequest): string {
  const { oldSize, proof, checkpoint } = request
  checkSize('oldSize', oldSize)
  if (proof.length > MAX_PROOF_LINES) throw new InvalidWitnessMessageError('more than 63 proof lines', { field: 'proof', value: proof.length, limit: MAX_PROOF_LINES })
  for (const hash of proof) {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) throw new InvalidWitnessMessageError('a proof hash is not 32 bytes', { field: 'proof' })
  }
  parseSignedNote(checkpoint)
  const body = `old ${oldSize}\n${proof.map((h) => `${encodeBase64(h)}\n`).join('')}\n${checkpoint}`
  if (body.length > MAX_ADD_CHECKPOINT_LENGTH) throw new InvalidWitnessMessageError('request too long', { limit: MAX_ADD_CHECKPOINT_LENGTH })
  return body
}

/**
 * Parses an `add-checkpoint` body. A malformed old line, proof line or note (InvalidNoteError,
 * InvalidCheckpointError) is a 400 in C2SP's terms; so is an old size above the checkpoint's, but that
 * check is the witness's (C2SP orders it after the origin and signature checks).
 */
export function parseAddCheckpoint (body: string): ParsedAddCheckpoint {
  if (typeof body !== 'string') throw new InvalidWitnessMessageError('not a string')
  if (body.length > MAX_ADD_CHECKPOINT_LENGTH) throw new InvalidWitnessMessageError('request too long', { limit: MAX_ADD_CHECKPOINT_LENGTH })
  // The first blank line ends the proof: proof lines are never empty, and the note's own blank line comes later.
  const end = body.indexOf('\n\n')
  if (end < 0) throw new InvalidWitnessMessageError('no empty line after the old size and proof')
  const [oldLine, ...proofLines] = body.slice(0, end).split('\n') as [string, ...string[]]
  const old = OLD_LINE.exec(oldLine)
  if (old === null || !Number.isSafeInteger(Number(old[1]))) throw new InvalidWitnessMessageError('first line is not "old <decimal size>"', { line: 0 })
  if (proofLines.length > MAX_PROOF_LINES) throw new InvalidWitnessMessageError('more than 63 proof lines', { value: proofLines.length, limit: MAX_PROOF_LINES })
  const proof = proofLines.map((line, i) => {
    const hash = decodeBase64(line)
    if (hash === undefined || hash.length !== HASH_SIZE) throw new InvalidWitnessMessageError('proof line is not the canonical base64 of 32 bytes', { line: i + 1 })
    return hash
  })
  if (old[1] === '0' && proof.length > 0) throw new InvalidWitnessMessageError('a proof from old size 0', { value: proof.length })
  const checkpoint = body.slice(end + 2)
  const note = parseSignedNote(checkpoint)
  return { oldSize: Number(old[1]), proof, checkpoint, text: note.text, parsed: parseCheckpoint(note.text) }
}

/** The body of a 409 answer: the witness's latest size for the origin, in decimal, and a newline. */
export function formatTreeSize (size: number): string {
  checkSize('size', size)
  return `${size}\n`
}

export function parseTreeSize (body: string): number {
  const m = typeof body === 'string' ? DECIMAL_LINE.exec(body) : null
  if (m === null || !Number.isSafeInteger(Number(m[1]))) throw new InvalidWitnessMessageError('not a decimal size and a newline')
  return Number(m[1])
}

/**
 * The signature lines of a 200 answer, each ending in its newline, as the witness sent them. Only their
 * form is checked here; which of them count is the caller's to decide with the keys it trusts.
 */
export function parseCosignatureLines (body: string): string[] {
  if (typeof body !== 'string' || body.length === 0 || !body.endsWith('\n')) throw new InvalidWitnessMessageError('not signature lines ending in a newline')
  if (body.length > MAX_ADD_CHECKPOINT_LENGTH) throw new InvalidWitnessMessageError('answer too long', { limit: MAX_ADD_CHECKPOINT_LENGTH })
  return body.slice(0, -1).split('\n').map((line, i) => {
    try { parseSignatureLine(line, i) } catch {
      throw new InvalidWitnessMessageError('not a note signature line', { line: i })
    }
    return `${line}\n`
  })
}

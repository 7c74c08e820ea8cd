// A registered witness as the agency (add-checkpoint) and auditors (latest) call it: over libp2p
// `/porchlight/witness/1.0.0` when it has a multiaddr and the caller a libp2p node, else C2SP HTTP at its
// url. Both answer a status, a content type and a text body (answer.ts), read here by one function. The
// client checks the answers' form only; which cosignatures count is the caller's to decide with the vkey.
import { multiaddr } from '@multiformats/multiaddr'
import type { RegisteredWitness } from '../../protocol/index.js'
import { isPorchlightError } from '../../protocol/errors.js'
import {
  MAX_NOTE_LENGTH, formatAddCheckpoint, parseCosignatureLines, parseSignedNote, parseTreeSize
} from '../../protocol/tlog/index.js'
import type { PorchlightLibp2p } from '../p2p/index.js'
import type { WitnessAnswer } from './answer.js'
import { WitnessRefusedError, WitnessUnreachableError } from './errors.js'
import { sendWitnessRequest, type WitnessFrame } from './transport.js'

export interface AddCheckpoint { oldSize: number, proof: Uint8Array[], checkpoint: string }

export type AddCheckpointAnswer =
  | { status: 'cosigned', cosignatures: string[] } // note signature lines, each ending '\n'
  | { status: 'conflict', latestSize: number } // 409: the witness's latest size for the origin

export interface WitnessClient {
  readonly witness: RegisteredWitness
  /** Other refusals throw WitnessRefusedError; a witness that cannot be reached or answers garbage, WitnessUnreachableError. */
  addCheckpoint (req: AddCheckpoint, opts?: { signal?: AbortSignal }): Promise<AddCheckpointAnswer>
  /** The latest checkpoint it cosigned for `origin` (note text with its cosignature), or undefined. */
  latest (origin: string, opts?: { signal?: AbortSignal }): Promise<string | undefined>
}

export interface WitnessClientOptions {
  /** Per call, on top of the caller's signal. @default 10000 */
  timeoutMs?: number
}

/** Largest answer read: a note (a latest checkpoint) and a little. */
const MAX_ANSWER_BYTES = 3 * MAX_NOTE_LENGTH

/** The `{ error: { code } }` of a refusal's JSON body, or `HTTP_<status>`. */
function reasonOf (answer: WitnessAnswer): string {
  try {
    const code = (JSON.parse(answer.body) as { error?: { code?: unknown } }).error?.code
    if (typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code)) return code
  } catch { /* not JSON: the status is all it said */ }
  return `HTTP_${answer.status}`
}

async function readBounded (response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader()
  if (reader === undefined) return ''
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > MAX_ANSWER_BYTES) {
      await reader.cancel()
      throw new Error('answer too large')
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function witnessClient (witness: RegisteredWitness, libp2p?: PorchlightLibp2p, options: WitnessClientOptions = {}): WitnessClient {
  const timeoutMs = options.timeoutMs ?? 10_000
  const useLibp2p = libp2p !== undefined && witness.multiaddr !== ''

  /** One exchange; anything short of an answer is WitnessUnreachableError. */
  async function exchange (frame: WitnessFrame, signal: AbortSignal | undefined): Promise<WitnessAnswer> {
    const deadline = signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([AbortSignal.timeout(timeoutMs), signal])
    try {
      if (useLibp2p) return await sendWitnessRequest(libp2p, multiaddr(witness.multiaddr), frame, { signal: deadline, timeoutMs })
      if (witness.url === '') throw new Error('no url, and no multiaddr or no libp2p node to reach it by')
      const base = witness.url.replace(/\/+$/, '')
      const response = 'addCheckpoint' in frame
        ? await fetch(`${base}/add-checkpoint`, { method: 'POST', body: frame.addCheckpoint, headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: deadline })
        : await fetch(`${base}/witness/checkpoints/${encodeURIComponent(frame.checkpoint)}`, { signal: deadline })
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await readBounded(response) }
    } catch (cause) {
      const code = isPorchlightError(cause) ? (cause.details?.code as string | undefined) ?? cause.code : (cause as Error | undefined)?.name
      throw new WitnessUnreachableError({ witness: witness.name, reason: deadline.aborted ? 'TIMEOUT' : String(code) }, { cause })
    }
  }

  function garbage (cause: unknown): WitnessUnreachableError {
    return new WitnessUnreachableError({ witness: witness.name, reason: 'NOT_A_WITNESS_ANSWER' }, { cause })
  }

  return {
    witness,
    async addCheckpoint (req, opts = {}) {
      const answer = await exchange({ addCheckpoint: formatAddCheckpoint(req) }, opts.signal)
      if (answer.status === 200) {
        try { return { status: 'cosigned', cosignatures: parseCosignatureLines(answer.body) } } catch (err) { throw garbage(err) }
      }
      if (answer.status === 409) {
        let latestSize: number
        try { latestSize = parseTreeSize(answer.body) } catch (err) { throw garbage(err) }
        // A 409 naming the very size we sent: not a stale old size but another root at that size (a split view).
        if (latestSize === req.oldSize) throw new WitnessRefusedError({ witness: witness.name, status: 409, reason: 'CONFLICTING_ROOT' })
        return { status: 'conflict', latestSize }
      }
      throw new WitnessRefusedError({ witness: witness.name, status: answer.status, reason: reasonOf(answer) })
    },
    async latest (origin, opts = {}) {
      const answer = await exchange({ checkpoint: origin }, opts.signal)
      if (answer.status === 200) {
        try { parseSignedNote(answer.body) } catch (err) { throw garbage(err) }
        return answer.body
      }
      const reason = reasonOf(answer)
      if (answer.status === 404 && reason === 'NO_COSIGNED_CHECKPOINT') return undefined
      throw new WitnessRefusedError({ witness: witness.name, status: answer.status, reason })
    }
  }
}

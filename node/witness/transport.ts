// The witness over libp2p, `/porchlight/witness/1.0.0`: one request per stream, `{ addCheckpoint: <body> }`
// or `{ checkpoint: <origin> }`, answered with the same status, content type and text an HTTP witness
// sends (answer.ts), so a client reads both transports with one parser.
import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { MAX_ADD_CHECKPOINT_LENGTH, MAX_NOTE_LENGTH } from '../../protocol/tlog/index.js'
import { handleRequests, sendRequest, MalformedFrameError, type PorchlightLibp2p, type ProtocolOptions } from '../p2p/index.js'
import { answerAddCheckpoint, answerLatest, type WitnessAnswer } from './answer.js'
import type { Witness } from './witness.js'

export const WITNESS_PROTOCOL = '/porchlight/witness/1.0.0'

export type WitnessFrame = { addCheckpoint: string } | { checkpoint: string }

/** UTF-8 takes at most 3 bytes per UTF-16 code unit; the frame's dag-cbor wrapping adds a few bytes. */
const MAX_REQUEST_BYTES = 3 * MAX_ADD_CHECKPOINT_LENGTH + 64
const MAX_ANSWER_BYTES = 3 * MAX_NOTE_LENGTH + 256
const MAX_ORIGIN_LENGTH = 300

function isAnswer (value: unknown): value is WitnessAnswer {
  const a = value as WitnessAnswer | null
  return typeof a === 'object' && a !== null && Number.isInteger(a.status) && typeof a.contentType === 'string' && typeof a.body === 'string'
}

/** Serves `witness` on WITNESS_PROTOCOL until `libp2p.unhandle(WITNESS_PROTOCOL)`. */
export async function handleWitnessProtocol (libp2p: PorchlightLibp2p, witness: Witness, options: ProtocolOptions = {}): Promise<void> {
  await handleRequests<unknown, WitnessAnswer>(libp2p, WITNESS_PROTOCOL, async (frame) => {
    const f = frame as Partial<Record<'addCheckpoint' | 'checkpoint', unknown>> | null
    if (typeof f === 'object' && f !== null && typeof f.addCheckpoint === 'string') return await answerAddCheckpoint(witness, f.addCheckpoint)
    if (typeof f === 'object' && f !== null && typeof f.checkpoint === 'string' && f.checkpoint.length <= MAX_ORIGIN_LENGTH) return await answerLatest(witness, f.checkpoint)
    // Not a witness request at all: refused as an empty add-checkpoint is, with a 400 counted as malformed.
    return await answerAddCheckpoint(witness, '')
  }, { maxFrameBytes: MAX_REQUEST_BYTES, ...options })
}

/** Sends one request to a witness peer; its answer, or RemoteError / MalformedFrameError / a dial error. */
export async function sendWitnessRequest (libp2p: PorchlightLibp2p, peer: PeerId | Multiaddr, frame: WitnessFrame, options: ProtocolOptions & AbortOptions = {}): Promise<WitnessAnswer> {
  const answer = await sendRequest<WitnessFrame, unknown>(libp2p, peer, WITNESS_PROTOCOL, frame, { maxFrameBytes: MAX_ANSWER_BYTES, ...options })
  if (!isAnswer(answer)) throw new MalformedFrameError('not a witness answer', { details: { protocol: WITNESS_PROTOCOL } })
  return answer
}

// The witness's answers as C2SP tlog-witness gives them, one shape for HTTP and libp2p alike: a status, a
// content type and a text body. 200 carries the cosignature lines, 409 the latest size as `text/x.tlog.size`,
// other refusals the API's `{ error: { code, message } }` (C2SP leaves their bodies open).
import { isPorchlightError } from '../../protocol/errors.js'
import { TREE_SIZE_CONTENT_TYPE, formatTreeSize } from '../../protocol/tlog/index.js'
import { ConflictingRootError, NoCosignedCheckpointError, OldSizeConflictError } from './errors.js'
import type { Witness } from './witness.js'

export interface WitnessAnswer {
  status: number
  contentType: string
  body: string
}

export const NOTE_CONTENT_TYPE = 'text/plain; charset=utf-8'
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/** A refusal's answer; a fault of the witness itself (no status below 500) is thrown for the transport to report. */
function refusal (err: unknown): WitnessAnswer {
  if (err instanceof OldSizeConflictError || err instanceof ConflictingRootError) {
    return { status: 409, contentType: TREE_SIZE_CONTENT_TYPE, body: formatTreeSize(err.latestSize) }
  }
  if (isPorchlightError(err) && err.status !== undefined && err.status < 500) {
    return { status: err.status, contentType: JSON_CONTENT_TYPE, body: JSON.stringify({ error: { code: err.code, message: err.shortMessage } }) }
  }
  throw err
}

export async function answerAddCheckpoint (witness: Witness, body: string): Promise<WitnessAnswer> {
  try {
    const lines = await witness.addCheckpoint(body)
    return { status: 200, contentType: NOTE_CONTENT_TYPE, body: lines.join('') }
  } catch (err) {
    return refusal(err)
  }
}

/** The latest checkpoint cosigned for `origin` with its cosignature (what auditors poll), or a 404. */
export async function answerLatest (witness: Witness, origin: string): Promise<WitnessAnswer> {
  try {
    const note = await witness.latest(origin)
    if (note === undefined) throw new NoCosignedCheckpointError(origin)
    return { status: 200, contentType: NOTE_CONTENT_TYPE, body: note }
  } catch (err) {
    return refusal(err)
  }
}

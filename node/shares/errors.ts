// Refusals of the resident's share lifecycle that node/footage's transfer errors do not cover.
import { PorchlightError } from '../../protocol/errors.js'

/**
 * A consent naming a clip already in a share for the same request that is not withdrawn: the agency would
 * get (and list, and log) the clip twice. `shares` names the share(s) that hold it: retry or withdraw those.
 */
export class ClipAlreadySharedError extends PorchlightError {
  static override readonly code = 'CLIP_ALREADY_SHARED'
  static override readonly status = 409
  constructor (details: { request: string, clips: string[], shares: string[] }) {
    super(ClipAlreadySharedError.code, `${details.clips.length === 1 ? 'this clip is' : `${details.clips.length} clips are`} already shared for this request (share ${details.shares.join(', ')})`, { details })
    this.name = 'ClipAlreadySharedError'
  }
}

/** The agency's log could not be read or did not verify: what it says about a share is unknown for now. */
export class ShareHistoryUnavailableError extends PorchlightError {
  static override readonly code = 'SHARE_HISTORY_UNAVAILABLE'
  static override readonly status = 502
  constructor (details: { share: string, reason: string }, cause?: unknown) {
    super(ShareHistoryUnavailableError.code, `the agency's log could not be read: ${details.reason}`, { details, cause })
    this.name = 'ShareHistoryUnavailableError'
  }
}

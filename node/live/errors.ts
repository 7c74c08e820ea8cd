import { PorchlightError } from '../../protocol/errors.js'

/**
 * The node holds as many event streams open as it allows (`live.maxStreams`): one more would be one more
 * socket and listener held for as long as its client likes. 503 with Retry-After: the limit is the node's, not
 * the client's doing, and a stream closing frees a place.
 */
export class TooManyEventStreamsError extends PorchlightError {
  static override readonly code = 'TOO_MANY_EVENT_STREAMS'
  static override readonly status = 503
  constructor (limit: number) {
    super(TooManyEventStreamsError.code, `this node already serves ${limit} event streams; close a tab or try again later`, { details: { limit } })
    this.name = 'TooManyEventStreamsError'
  }
}

import { PorchlightError } from '../../protocol/errors.js'

/** A frame's declared length exceeds the protocol's limit; the stream is aborted before reading it. */
export class FrameTooLargeError extends PorchlightError {
  constructor (details: { limit: number, protocol?: string }) {
    super('FRAME_TOO_LARGE', `frame larger than ${details.limit} bytes`, { details })
    this.name = 'FrameTooLargeError'
  }
}

/** The peer sent bytes that are not a valid frame (bad length prefix, or a body that is not dag-cbor). */
export class MalformedFrameError extends PorchlightError {
  constructor (reason: string, options: { cause?: unknown, details?: Record<string, unknown> } = {}) {
    super('MALFORMED_FRAME', `malformed frame: ${reason}`, { cause: options.cause, details: { reason, ...options.details } })
    this.name = 'MalformedFrameError'
  }
}

/** The peer closed or reset the stream before a whole frame arrived. */
export class PeerHungUpError extends PorchlightError {
  constructor (options: { cause?: unknown, details?: Record<string, unknown> } = {}) {
    super('PEER_HUNG_UP', 'the peer closed the stream before a whole frame arrived', options)
    this.name = 'PeerHungUpError'
  }
}

/** No frame arrived (or could be written) within the protocol's timeout. */
export class StreamTimeoutError extends PorchlightError {
  constructor (details: { timeoutMs: number }) {
    super('STREAM_TIMEOUT', `no frame within ${details.timeoutMs} ms`, { details })
    this.name = 'StreamTimeoutError'
  }
}

/** The remote handler answered with an error frame; `details.code` is the remote error's code. */
export class RemoteError extends PorchlightError {
  constructor (details: { code: string, message: string, protocol: string }) {
    super('REMOTE_ERROR', `${details.protocol}: remote error ${details.code}: ${details.message}`, { details })
    this.name = 'RemoteError'
  }
}

/** The installed gossipsub no longer has the internals this module relies on (see scoring.ts). */
export class GossipsubInternalsError extends PorchlightError {
  constructor (missing: string) {
    super('GOSSIPSUB_INTERNALS_CHANGED', `gossipsub lacks ${missing}; check the pinned @libp2p/gossipsub version`, { details: { missing } })
    this.name = 'GossipsubInternalsError'
  }
}

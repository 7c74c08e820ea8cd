import { PorchlightError } from '../../protocol/errors.js'

/** A frame's declared length exceeds the protocol's limit; the stream is aborted before reading it. */
export class FrameTooLargeError extends PorchlightError {
  static override readonly code = 'FRAME_TOO_LARGE'
  static override readonly status = 502
  constructor (details: { limit: number, protocol?: string }) {
    super(FrameTooLargeError.code, `frame larger than ${details.limit} bytes`, { details })
    this.name = 'FrameTooLargeError'
  }
}

/** The peer sent bytes that are not a valid frame (bad length prefix, or a body that is not dag-cbor). */
export class MalformedFrameError extends PorchlightError {
  static override readonly code = 'MALFORMED_FRAME'
  static override readonly status = 502
  constructor (reason: string, options: { cause?: unknown, details?: Record<string, unknown> } = {}) {
    super(MalformedFrameError.code, `malformed frame: ${reason}`, { cause: options.cause, details: { reason, ...options.details } })
    this.name = 'MalformedFrameError'
  }
}

/** The peer closed or reset the stream before a whole frame arrived. */
export class PeerHungUpError extends PorchlightError {
  static override readonly code = 'PEER_HUNG_UP'
  static override readonly status = 502
  constructor (options: { cause?: unknown, details?: Record<string, unknown> } = {}) {
    super(PeerHungUpError.code, 'the peer closed the stream before a whole frame arrived', options)
    this.name = 'PeerHungUpError'
  }
}

/** No frame arrived (or could be written) within the protocol's timeout. */
export class StreamTimeoutError extends PorchlightError {
  static override readonly code = 'STREAM_TIMEOUT'
  static override readonly status = 504
  constructor (details: { timeoutMs: number }) {
    super(StreamTimeoutError.code, `no frame within ${details.timeoutMs} ms`, { details })
    this.name = 'StreamTimeoutError'
  }
}

/** The remote handler answered with an error frame; `details.code` is the remote error's code. */
export class RemoteError extends PorchlightError {
  static override readonly code = 'REMOTE_ERROR'
  static override readonly status = 502
  constructor (details: { code: string, message: string, protocol: string }) {
    super(RemoteError.code, `${details.protocol}: remote error ${details.code}: ${details.message}`, { details })
    this.name = 'RemoteError'
  }
}

/** The installed gossipsub no longer has the internals this module relies on (see scoring.ts). */
export class GossipsubInternalsError extends PorchlightError {
  static override readonly code = 'GOSSIPSUB_INTERNALS_CHANGED'
  static override readonly status = 500
  constructor (missing: string) {
    super(GossipsubInternalsError.code, `gossipsub lacks ${missing}; check the pinned @libp2p/gossipsub version`, { details: { missing } })
    this.name = 'GossipsubInternalsError'
  }
}

/** A dial to a bootstrap peer failed (refused, unreachable, timed out); the keeper dials again after a backoff. */
export class BootstrapDialFailedError extends PorchlightError {
  static override readonly code = 'BOOTSTRAP_DIAL_FAILED'
  static override readonly status = 502
  constructor (details: { peer: string, attempt: number }, options: { cause?: unknown } = {}) {
    super(BootstrapDialFailedError.code, `dial ${details.attempt} to bootstrap peer ${details.peer} failed`, { cause: options.cause, details })
    this.name = 'BootstrapDialFailedError'
  }
}

/**
 * A relay refused an agency's proof (`/porchlight/relay/agency/1.0.0`, relay-limits.ts); `details.reason` says
 * which check failed: `malformed`, `relay` (names another relay), `peer` (names another agency peer than the
 * connection's), `expired`, `too-long` (expires further ahead than a relay accepts), `signature`.
 */
export class InvalidRelayProofError extends PorchlightError {
  static override readonly code = 'INVALID_RELAY_PROOF'
  static override readonly status = 400
  constructor (details: { reason: 'malformed' | 'relay' | 'peer' | 'expired' | 'too-long' | 'signature' }, options: { cause?: unknown } = {}) {
    super(InvalidRelayProofError.code, `invalid relay proof (${details.reason})`, { cause: options.cause, details })
    this.name = 'InvalidRelayProofError'
  }
}

/** A proof from a peer that holds no reservation on this relay: there is no reservation to give footage limits to. */
export class NoReservationError extends PorchlightError {
  static override readonly code = 'NO_RESERVATION'
  static override readonly status = 409
  constructor (details: { peer: string }) {
    super(NoReservationError.code, 'the peer holds no reservation on this relay', { details })
    this.name = 'NoReservationError'
  }
}

/** This relay has no chain, so it cannot tell an agency from anyone else: it grants no footage limits. */
export class RelayWithoutRegistryError extends PorchlightError {
  static override readonly code = 'RELAY_WITHOUT_REGISTRY'
  static override readonly status = 503
  constructor () {
    super(RelayWithoutRegistryError.code, 'this relay has no chain: it grants no footage limits')
    this.name = 'RelayWithoutRegistryError'
  }
}

/** A peer sent proofs faster than a relay checks them (each costs a signature recovery and a registry read). */
export class RelayProofRateLimitedError extends PorchlightError {
  static override readonly code = 'RELAY_PROOF_RATE_LIMITED'
  static override readonly status = 429
  constructor (details: { peer: string }) {
    super(RelayProofRateLimitedError.code, 'too many relay proofs from this peer', { details })
    this.name = 'RelayProofRateLimitedError'
  }
}

/** A cell-peers question that is not `{ topic }` naming one Porchlight request topic (a res-7 cell's). */
export class InvalidCellPeersRequestError extends PorchlightError {
  static override readonly code = 'INVALID_CELL_PEERS_REQUEST'
  static override readonly status = 400
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(InvalidCellPeersRequestError.code, `invalid cell-peers request: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidCellPeersRequestError'
  }
}

/**
 * The asker is not on the topic it asks about (no SUBSCRIBE from it on a direct connection): who is in a cell
 * is told only to a peer that told the same of itself, as gossipsub does to every peer it connects to.
 */
export class CellPeersNotSubscribedError extends PorchlightError {
  static override readonly code = 'CELL_PEERS_NOT_SUBSCRIBED'
  static override readonly status = 403
  constructor (details: { peer: string, topic: string }) {
    super(CellPeersNotSubscribedError.code, 'ask about a topic only after subscribing to it', { details })
    this.name = 'CellPeersNotSubscribedError'
  }
}

/** A peer asked for cell-mates more often than the server's per-peer rate allows. */
export class CellPeersRateLimitedError extends PorchlightError {
  static override readonly code = 'CELL_PEERS_RATE_LIMITED'
  static override readonly status = 429
  constructor (details: { peer: string, retryAfterMs: number, first?: boolean }) {
    super(CellPeersRateLimitedError.code, 'too many cell-peers requests', { details })
    this.name = 'CellPeersRateLimitedError'
  }
}

/** A cell-peers answer that is not `{ peers }` within the protocol's bounds (too many, bad ids or addresses, the asker itself). */
export class InvalidCellPeersAnswerError extends PorchlightError {
  static override readonly code = 'INVALID_CELL_PEERS_ANSWER'
  static override readonly status = 502
  constructor (reason: string, details: Record<string, unknown> = {}) {
    super(InvalidCellPeersAnswerError.code, `invalid cell-peers answer: ${reason}`, { details: { reason, ...details } })
    this.name = 'InvalidCellPeersAnswerError'
  }
}

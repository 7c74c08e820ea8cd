// The ways a camera source (an RTSP camera, a Frigate NVR, a watched folder) fails, each in plain words a
// resident can act on. Messages name the host and port, never a URL's user name, password or a token:
// they go to logs, the API and the CLI as they are. `kind` in the details is the source's kind.
import { PorchlightError } from '../../protocol/errors.js'
import type { CameraSource } from '../config/index.js'

type Kind = CameraSource['kind']

/** Nothing answered at the source's address (refused, no route, no such host). */
export class SourceUnreachableError extends PorchlightError {
  static override readonly code = 'SOURCE_UNREACHABLE'
  static override readonly status = 502
  constructor (kind: Kind, address: string, reason: string, cause?: unknown) {
    super(SourceUnreachableError.code, `cannot connect to ${address} (${reason})`, { cause, details: { kind, address, reason } })
    this.name = 'SourceUnreachableError'
  }
}

/** The source took longer than the allowed time to answer (or stopped sending mid-answer). */
export class SourceTimeoutError extends PorchlightError {
  static override readonly code = 'SOURCE_TIMEOUT'
  static override readonly status = 504
  constructor (kind: Kind, address: string, timeoutMs: number) {
    super(SourceTimeoutError.code, `${address} did not answer within ${timeoutMs / 1000} s`, { details: { kind, address, limit: timeoutMs } })
    this.name = 'SourceTimeoutError'
  }
}

/** The camera refused the user name or password in its URL, or Frigate refused the token. */
export class SourceUnauthorizedError extends PorchlightError {
  static override readonly code = 'SOURCE_UNAUTHORIZED'
  static override readonly status = 502
  constructor (kind: Kind, address: string) {
    const what = kind === 'frigate' ? `Frigate at ${address} refused the token (or needs one)` : `the camera at ${address} refused the user name or password`
    super(SourceUnauthorizedError.code, what, { details: { kind, address } })
    this.name = 'SourceUnauthorizedError'
  }
}

/** The RTSP server answered but has no stream at the URL's path. */
export class SourceStreamNotFoundError extends PorchlightError {
  static override readonly code = 'SOURCE_STREAM_NOT_FOUND'
  static override readonly status = 502
  constructor (address: string, path: string) {
    super(SourceStreamNotFoundError.code, `the camera at ${address} has no stream at ${path}`, { details: { kind: 'rtsp', address, path } })
    this.name = 'SourceStreamNotFoundError'
  }
}

/** Frigate answers, but has no camera of the configured name. */
export class FrigateUnknownCameraError extends PorchlightError {
  static override readonly code = 'FRIGATE_UNKNOWN_CAMERA'
  static override readonly status = 502
  constructor (camera: string, known: readonly string[]) {
    const has = known.length === 0 ? 'it has none' : `it has: ${known.join(', ')}`
    super(FrigateUnknownCameraError.code, `Frigate has no camera '${camera}' (${has})`, { details: { kind: 'frigate', camera, limit: known } })
    this.name = 'FrigateUnknownCameraError'
  }
}

/** Frigate has no recording in the asked range (it may have been deleted by its own retention meanwhile). */
export class FrigateNoRecordingError extends PorchlightError {
  static override readonly code = 'FRIGATE_NO_RECORDING'
  static override readonly status = 409
  constructor (camera: string, from: number, to: number) {
    super(FrigateNoRecordingError.code, `Frigate has no recording of '${camera}' between ${from} and ${to}`, { details: { kind: 'frigate', camera, from, to } })
    this.name = 'FrigateNoRecordingError'
  }
}

/** Frigate has the camera, but its config does not record it (`record.enabled: false`): nothing would ever match. */
export class FrigateNotRecordingError extends PorchlightError {
  static override readonly code = 'FRIGATE_NOT_RECORDING'
  static override readonly status = 502
  constructor (camera: string) {
    super(FrigateNotRecordingError.code, `Frigate does not record camera '${camera}' (record is off in its config)`, { details: { kind: 'frigate', camera } })
    this.name = 'FrigateNotRecordingError'
  }
}

/** The source answered something its documented API does not (bad JSON, a wrong shape, an odd status). */
export class SourceBadAnswerError extends PorchlightError {
  static override readonly code = 'SOURCE_BAD_ANSWER'
  static override readonly status = 502
  constructor (kind: Kind, address: string, reason: string) {
    super(SourceBadAnswerError.code, `${address} answered something unexpected: ${reason}`, { details: { kind, address, reason } })
    this.name = 'SourceBadAnswerError'
  }
}

/** The source's stream could not be read as video (ffprobe found no video stream, or failed). */
export class SourceProbeFailedError extends PorchlightError {
  static override readonly code = 'SOURCE_PROBE_FAILED'
  static override readonly status = 502
  constructor (address: string, reason: string) {
    super(SourceProbeFailedError.code, `could not read video from ${address}: ${reason}`, { details: { kind: 'rtsp', address, reason } })
    this.name = 'SourceProbeFailedError'
  }
}

/** A folder source's path is missing, not a directory, or not readable and writable by the node. */
export class SourceFolderError extends PorchlightError {
  static override readonly code = 'SOURCE_FOLDER_UNUSABLE'
  static override readonly status = 422
  constructor (path: string, reason: 'missing' | 'not-a-directory' | 'not-accessible', cause?: unknown) {
    const words = { missing: 'the folder does not exist', 'not-a-directory': 'it is not a folder', 'not-accessible': 'the node cannot read and write the folder' }[reason]
    super(SourceFolderError.code, `${path}: ${words}`, { cause, details: { kind: 'folder', path, reason } })
    this.name = 'SourceFolderError'
  }
}

/** A camera was handed to a source of another kind (a Frigate range source asked about an rtsp camera). */
export class WrongSourceKindError extends PorchlightError {
  static override readonly code = 'WRONG_SOURCE_KIND'
  static override readonly status = 500
  constructor (camera: string, expected: Kind, actual: Kind | undefined) {
    super(WrongSourceKindError.code, `camera '${camera}' has a ${actual ?? 'missing'} source, not ${expected}`, { details: { camera, expected, actual } })
    this.name = 'WrongSourceKindError'
  }
}

// The clip store's failures. Each leaves nothing behind: no file under clips/, no record.
import { PorchlightError } from '../../protocol/errors.js'

/** The camera is not one of this node's cameras (config.json `cameras`). */
export class UnknownCameraError extends PorchlightError {
  static override readonly code = 'UNKNOWN_CAMERA'
  static override readonly status = 400
  constructor (camera: string, known: readonly string[]) {
    super(UnknownCameraError.code, `'${camera}' is not a camera of this node`, { details: { field: 'camera', value: camera, limit: known } })
    this.name = 'UnknownCameraError'
  }
}

/** A clip's time span is not a pair of unix seconds with start ≤ end, ending no later than now (+ skew). */
export class InvalidClipTimeError extends PorchlightError {
  static override readonly code = 'INVALID_CLIP_TIME'
  static override readonly status = 400
  constructor (field: string, reason: string, value: unknown, limit?: number) {
    super(InvalidClipTimeError.code, `${field}: ${reason}`, { details: { field, reason, value, ...(limit === undefined ? {} : { limit }) } })
    this.name = 'InvalidClipTimeError'
  }
}

/** Only video and image types (never a type a browser would run, such as HTML or SVG) are stored. */
export class UnsupportedClipTypeError extends PorchlightError {
  static override readonly code = 'UNSUPPORTED_CLIP_TYPE'
  static override readonly status = 415
  constructor (value: string) {
    super(UnsupportedClipTypeError.code, `content type '${value}' is not a video or image type`, { details: { field: 'contentType', value } })
    this.name = 'UnsupportedClipTypeError'
  }
}

export class EmptyClipError extends PorchlightError {
  static override readonly code = 'EMPTY_CLIP'
  static override readonly status = 400
  constructor () {
    super(EmptyClipError.code, 'the clip has no bytes', { details: { field: 'size', value: 0, limit: 1 } })
    this.name = 'EmptyClipError'
  }
}

/** Over LIMITS.consent.maxClipBytes (or the store's own lower limit): it could never be shared. */
export class ClipTooLargeError extends PorchlightError {
  static override readonly code = 'CLIP_TOO_LARGE'
  static override readonly status = 413
  constructor (limit: number, value: number) {
    super(ClipTooLargeError.code, `the clip is larger than ${limit} bytes`, { details: { field: 'size', limit, value } })
    this.name = 'ClipTooLargeError'
  }
}

/** The same bytes are already stored with another camera or time span. */
export class ClipConflictError extends PorchlightError {
  static override readonly code = 'CLIP_CONFLICT'
  static override readonly status = 409
  constructor (cid: string, existing: Record<string, unknown>) {
    super(ClipConflictError.code, `clip ${cid} is already stored with other metadata`, { details: { field: 'cid', value: cid, existing } })
    this.name = 'ClipConflictError'
  }
}

export class ClipNotFoundError extends PorchlightError {
  static override readonly code = 'CLIP_NOT_FOUND'
  static override readonly status = 404
  constructor (cid: string) {
    super(ClipNotFoundError.code, `no clip ${cid}`, { details: { field: 'cid', value: cid } })
    this.name = 'ClipNotFoundError'
  }
}

/** A `Range` header this server does not serve (several ranges, or beyond the end). */
export class RangeNotSatisfiableError extends PorchlightError {
  static override readonly code = 'RANGE_NOT_SATISFIABLE'
  static override readonly status = 416
  constructor (value: string, size: number) {
    super(RangeNotSatisfiableError.code, 'the requested range is not satisfiable', { details: { field: 'range', value, limit: size } })
    this.name = 'RangeNotSatisfiableError'
  }
}

/** A clip's bytes stopped arriving before the end (an upload cut off, a read that failed). */
export class ClipSourceError extends PorchlightError {
  static override readonly code = 'CLIP_SOURCE_FAILED'
  static override readonly status = 400
  constructor (cause: unknown) {
    super(ClipSourceError.code, 'reading the clip failed before its end', { cause })
    this.name = 'ClipSourceError'
  }
}

/** An import folder's sidecar JSON parses but is not `{ camera, start, end | duration, size?, contentType? }`. */
export class InvalidSidecarError extends PorchlightError {
  static override readonly code = 'INVALID_SIDECAR'
  static override readonly status = 422
  constructor (file: string, reason: string, field?: string) {
    super(InvalidSidecarError.code, `${file}: ${reason}`, { details: { file, reason, ...(field === undefined ? {} : { field }) } })
    this.name = 'InvalidSidecarError'
  }
}

/** Two files in the import folder share a sidecar's name (`a.mp4` and `a.mov` beside `a.json`). */
export class AmbiguousImportError extends PorchlightError {
  static override readonly code = 'AMBIGUOUS_IMPORT'
  static override readonly status = 422
  constructor (files: string[]) {
    super(AmbiguousImportError.code, `several files share one sidecar: ${files.join(', ')}`, { details: { files } })
    this.name = 'AmbiguousImportError'
  }
}

/** The video is larger than its sidecar's `size` said. */
export class ImportSizeMismatchError extends PorchlightError {
  static override readonly code = 'IMPORT_SIZE_MISMATCH'
  static override readonly status = 422
  constructor (file: string, limit: number, value: number) {
    super(ImportSizeMismatchError.code, `${file} is larger than its sidecar's size`, { details: { file, field: 'size', limit, value } })
    this.name = 'ImportSizeMismatchError'
  }
}

/** An import failed for a reason of the file system (permissions, a full disk). */
export class ImportFailedError extends PorchlightError {
  static override readonly code = 'IMPORT_FAILED'
  static override readonly status = 500
  constructor (file: string, cause: unknown) {
    super(ImportFailedError.code, `importing ${file} failed`, { cause, details: { file, reason: (cause as { code?: string }).code ?? 'unknown' } })
    this.name = 'ImportFailedError'
  }
}

/** The clip store was used before the clips service started (or after a failed start). */
export class ClipsNotStartedError extends PorchlightError {
  static override readonly code = 'CLIPS_NOT_STARTED'
  static override readonly status = 503
  constructor () {
    super(ClipsNotStartedError.code, 'the clips service has not started')
    this.name = 'ClipsNotStartedError'
  }
}

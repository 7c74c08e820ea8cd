// The clip store's failures. Each leaves nothing behind: no file under clips/, no record.
import { PorchlightError } from '../../protocol/errors.js'

/** The camera is not one of this node's cameras (config.json `cameras`). */
export class UnknownCameraError extends PorchlightError {
  constructor (camera: string, known: readonly string[]) {
    super('UNKNOWN_CAMERA', `'${camera}' is not a camera of this node`, { details: { field: 'camera', value: camera, limit: known } })
    this.name = 'UnknownCameraError'
  }
}

/** A clip's time span is not a pair of unix seconds with start ≤ end, ending no later than now (+ skew). */
export class InvalidClipTimeError extends PorchlightError {
  constructor (field: string, reason: string, value: unknown, limit?: number) {
    super('INVALID_CLIP_TIME', `${field}: ${reason}`, { details: { field, reason, value, ...(limit === undefined ? {} : { limit }) } })
    this.name = 'InvalidClipTimeError'
  }
}

/** Only video and image types (never a type a browser would run, such as HTML or SVG) are stored. */
export class UnsupportedClipTypeError extends PorchlightError {
  constructor (value: string) {
    super('UNSUPPORTED_CLIP_TYPE', `content type '${value}' is not a video or image type`, { details: { field: 'contentType', value } })
    this.name = 'UnsupportedClipTypeError'
  }
}

export class EmptyClipError extends PorchlightError {
  constructor () {
    super('EMPTY_CLIP', 'the clip has no bytes', { details: { field: 'size', value: 0, limit: 1 } })
    this.name = 'EmptyClipError'
  }
}

/** Over LIMITS.consent.maxClipBytes (or the store's own lower limit): it could never be shared. */
export class ClipTooLargeError extends PorchlightError {
  constructor (limit: number, value: number) {
    super('CLIP_TOO_LARGE', `the clip is larger than ${limit} bytes`, { details: { field: 'size', limit, value } })
    this.name = 'ClipTooLargeError'
  }
}

/** The same bytes are already stored with another camera or time span. */
export class ClipConflictError extends PorchlightError {
  constructor (cid: string, existing: Record<string, unknown>) {
    super('CLIP_CONFLICT', `clip ${cid} is already stored with other metadata`, { details: { field: 'cid', value: cid, existing } })
    this.name = 'ClipConflictError'
  }
}

export class ClipNotFoundError extends PorchlightError {
  constructor (cid: string) {
    super('CLIP_NOT_FOUND', `no clip ${cid}`, { details: { field: 'cid', value: cid } })
    this.name = 'ClipNotFoundError'
  }
}

/** A `Range` header this server does not serve (several ranges, or beyond the end). */
export class RangeNotSatisfiableError extends PorchlightError {
  constructor (value: string, size: number) {
    super('RANGE_NOT_SATISFIABLE', 'the requested range is not satisfiable', { details: { field: 'range', value, limit: size } })
    this.name = 'RangeNotSatisfiableError'
  }
}

/** A clip's bytes stopped arriving before the end (an upload cut off, a read that failed). */
export class ClipSourceError extends PorchlightError {
  constructor (cause: unknown) {
    super('CLIP_SOURCE_FAILED', 'reading the clip failed before its end', { cause })
    this.name = 'ClipSourceError'
  }
}

/** HTTP statuses of the errors above. */
export const clipErrorStatuses = {
  UNKNOWN_CAMERA: 400,
  INVALID_CLIP_TIME: 400,
  UNSUPPORTED_CLIP_TYPE: 415,
  EMPTY_CLIP: 400,
  CLIP_TOO_LARGE: 413,
  CLIP_CONFLICT: 409,
  CLIP_NOT_FOUND: 404,
  RANGE_NOT_SATISFIABLE: 416,
  CLIP_SOURCE_FAILED: 400,
  CLIPS_NOT_STARTED: 503
}

/** An import folder's sidecar JSON parses but is not `{ camera, start, end | duration, size?, contentType? }`. */
export class InvalidSidecarError extends PorchlightError {
  constructor (file: string, reason: string, field?: string) {
    super('INVALID_SIDECAR', `${file}: ${reason}`, { details: { file, reason, ...(field === undefined ? {} : { field }) } })
    this.name = 'InvalidSidecarError'
  }
}

/** Two files in the import folder share a sidecar's name (`a.mp4` and `a.mov` beside `a.json`). */
export class AmbiguousImportError extends PorchlightError {
  constructor (files: string[]) {
    super('AMBIGUOUS_IMPORT', `several files share one sidecar: ${files.join(', ')}`, { details: { files } })
    this.name = 'AmbiguousImportError'
  }
}

/** The video is larger than its sidecar's `size` said. */
export class ImportSizeMismatchError extends PorchlightError {
  constructor (file: string, limit: number, value: number) {
    super('IMPORT_SIZE_MISMATCH', `${file} is larger than its sidecar's size`, { details: { file, field: 'size', limit, value } })
    this.name = 'ImportSizeMismatchError'
  }
}

/** An import failed for a reason of the file system (permissions, a full disk). */
export class ImportFailedError extends PorchlightError {
  constructor (file: string, cause: unknown) {
    super('IMPORT_FAILED', `importing ${file} failed`, { cause, details: { file, reason: (cause as { code?: string }).code ?? 'unknown' } })
    this.name = 'ImportFailedError'
  }
}

/** The clip store was used before the clips service started (or after a failed start). */
export class ClipsNotStartedError extends PorchlightError {
  constructor () {
    super('CLIPS_NOT_STARTED', 'the clips service has not started')
    this.name = 'ClipsNotStartedError'
  }
}

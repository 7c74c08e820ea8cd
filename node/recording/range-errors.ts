// How matching a recording, cutting it and sharing a range can be refused, each its own class (tests match `name`/`code`).
import { PorchlightError } from '../../protocol/errors.js'

type Details = Record<string, unknown>

/** A consent's range is not inside the request's window (or ends before it starts). Nothing is cut. */
export class RangeOutsideWindowError extends PorchlightError {
  static override readonly code = 'RANGE_OUTSIDE_WINDOW'
  static override readonly status = 422
  constructor (details: Details) {
    super(RangeOutsideWindowError.code, 'the range is not inside the request\'s window', { details })
    this.name = 'RangeOutsideWindowError'
  }
}

/** A consent's range is not inside one continuous run of what the camera recorded. Nothing is cut. */
export class RangeNotRecordedError extends PorchlightError {
  static override readonly code = 'RANGE_NOT_RECORDED'
  static override readonly status = 422
  constructor (details: Details) {
    super(RangeNotRecordedError.code, 'the camera did not record the whole range', { details })
    this.name = 'RangeNotRecordedError'
  }
}

/** The range names a camera that is not this node's, is not in the request's area, or has no recording source. */
export class RangeCameraError extends PorchlightError {
  static override readonly code = 'RANGE_CAMERA'
  static override readonly status = 422
  constructor (details: Details) {
    super(RangeCameraError.code, 'the range\'s camera cannot share recordings for this request', { details })
    this.name = 'RangeCameraError'
  }
}

/** The camera's kind of source has no range source on this node (yet). */
export class RangeSourceUnavailableError extends PorchlightError {
  static override readonly code = 'RANGE_SOURCE_UNAVAILABLE'
  static override readonly status = 503
  constructor (details: Details) {
    super(RangeSourceUnavailableError.code, 'this kind of camera source cannot be matched or cut on this node', { details })
    this.name = 'RangeSourceUnavailableError'
  }
}

/** ffmpeg could not cut the range (or a thumbnail), or was stopped. */
export class CutFailedError extends PorchlightError {
  static override readonly code = 'CUT_FAILED'
  static override readonly status = 500
  constructor (details: Details, cause?: unknown) {
    super(CutFailedError.code, 'the recording could not be cut', { details, cause })
    this.name = 'CutFailedError'
  }
}

/** No such thumbnail: the item, camera or index names nothing this node recorded. */
export class ThumbnailNotFoundError extends PorchlightError {
  static override readonly code = 'THUMBNAIL_NOT_FOUND'
  static override readonly status = 404
  constructor (details: Details) {
    super(ThumbnailNotFoundError.code, 'no such thumbnail', { details })
    this.name = 'ThumbnailNotFoundError'
  }
}

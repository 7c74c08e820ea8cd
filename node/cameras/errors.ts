import { PorchlightError } from '../../protocol/errors.js'

/** A camera body breaks a rule of config.json's cameras (docs/node.md); `details.field` names the culprit. */
export class InvalidCameraError extends PorchlightError {
  static override readonly code = 'INVALID_CAMERA'
  static override readonly status = 400
  constructor (details: { field: string, reason: string }) {
    super(InvalidCameraError.code, `camera ${details.field === '' ? '' : `${details.field} `}${details.reason}`, { details })
    this.name = 'InvalidCameraError'
  }
}

/** The book has no camera of that name. */
export class CameraNotFoundError extends PorchlightError {
  static override readonly code = 'CAMERA_NOT_FOUND'
  static override readonly status = 404
  constructor (name: string) {
    super(CameraNotFoundError.code, `no camera named '${name}'`, { details: { field: 'name', value: name } })
    this.name = 'CameraNotFoundError'
  }
}

/** Another camera has that name already (names are what clips, recordings and inbox items refer to). */
export class CameraExistsError extends PorchlightError {
  static override readonly code = 'CAMERA_EXISTS'
  static override readonly status = 409
  constructor (name: string) {
    super(CameraExistsError.code, `a camera named '${name}' exists already`, { details: { field: 'name', value: name } })
    this.name = 'CameraExistsError'
  }
}

/** As many source tests run as the node allows at once (each may hold an ffprobe for its whole timeout). */
export class SourceTestBusyError extends PorchlightError {
  static override readonly code = 'SOURCE_TEST_BUSY'
  static override readonly status = 429
  constructor (limit: number) {
    super(SourceTestBusyError.code, `${limit} source tests are running already: try again when one has finished`, { details: { limit } })
    this.name = 'SourceTestBusyError'
  }
}

/** This node was built without a source tester (`porchlight cameras test` and the route need one). */
export class SourceTestUnavailableError extends PorchlightError {
  static override readonly code = 'SOURCE_TEST_UNAVAILABLE'
  static override readonly status = 501
  constructor () {
    super(SourceTestUnavailableError.code, 'this node cannot test camera sources')
    this.name = 'SourceTestUnavailableError'
  }
}

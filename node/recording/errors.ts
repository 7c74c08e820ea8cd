// Why a camera is not being recorded. Each ends up in the camera's status (`RecorderStatus.error`), whose
// message names the source only redacted (node/cameras/redact.ts): these errors are shown to the resident.
import { PorchlightError } from '../../protocol/errors.js'

/** ffmpeg stopped reading the camera (it could not connect, the stream ended, or it failed); restarted with backoff. */
export class CameraUnreachableError extends PorchlightError {
  static override readonly code = 'CAMERA_UNREACHABLE'
  static override readonly status = 502
  /** `source`: the redacted URL; `reason`: ffmpeg's last words, redacted. */
  constructor (source: string, reason: string, exitCode: number | null) {
    super(CameraUnreachableError.code, `cannot record ${source}: ${reason}`, { details: { source, reason, exitCode } })
    this.name = 'CameraUnreachableError'
  }
}

/** ffmpeg ran but closed no segment for too long (a camera that accepts the connection and sends nothing). */
export class RecorderStalledError extends PorchlightError {
  static override readonly code = 'RECORDER_STALLED'
  static override readonly status = 504
  constructor (source: string, stallMs: number) {
    super(RecorderStalledError.code, `no video from ${source} for ${Math.round(stallMs / 1000)} s`, { details: { source, stallMs } })
    this.name = 'RecorderStalledError'
  }
}

/** The recording disk has less free space than `recording.minFreeBytes`: every recorder waits until it has. */
export class RecordingDiskFullError extends PorchlightError {
  static override readonly code = 'RECORDING_DISK_FULL'
  static override readonly status = 507
  constructor (freeBytes: number, minFreeBytes: number) {
    super(RecordingDiskFullError.code, `recording stopped: ${freeBytes} bytes free, below the floor of ${minFreeBytes}`, { details: { freeBytes, limit: minFreeBytes } })
    this.name = 'RecordingDiskFullError'
  }
}

/** The recording service was asked for segments before it started (or after it stopped). */
export class RecordingNotStartedError extends PorchlightError {
  static override readonly code = 'RECORDING_NOT_STARTED'
  static override readonly status = 503
  constructor () {
    super(RecordingNotStartedError.code, 'the recording service is not running')
    this.name = 'RecordingNotStartedError'
  }
}

// Why /readyz answers 503: each failing check names its error's code.
import { PorchlightError } from '../../protocol/errors.js'

export class NotListeningError extends PorchlightError {
  static override readonly code = 'LIBP2P_NOT_LISTENING'
  static override readonly status = 503
  constructor () {
    super(NotListeningError.code, 'libp2p is not started or has no listen address')
    this.name = 'NotListeningError'
  }
}

export class LogNotOpenError extends PorchlightError {
  static override readonly code = 'LOG_NOT_OPEN'
  static override readonly status = 503
  constructor () {
    super(LogNotOpenError.code, 'the agency log is not open')
    this.name = 'LogNotOpenError'
  }
}

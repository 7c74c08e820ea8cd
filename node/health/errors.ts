import { PorchlightError } from '../../protocol/errors.js'

export class NotListeningError extends PorchlightError {
  constructor () {
    super('LIBP2P_NOT_LISTENING', 'libp2p is not started or has no listen address')
    this.name = 'NotListeningError'
  }
}

export class LogNotOpenError extends PorchlightError {
  constructor () {
    super('LOG_NOT_OPEN', 'the agency log is not open')
    this.name = 'LogNotOpenError'
  }
}

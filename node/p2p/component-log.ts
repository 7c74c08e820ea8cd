// A pino-shaped logger over libp2p's debug logger, for a libp2p service that was given no logger of the
// node's (a test's or the simulator's bare libp2p): its lines then go where libp2p's own go (DEBUG=…).
import type { ComponentLogger } from '@libp2p/interface'
import type { Logger } from '../logging/index.js'

export function componentLog (logger: ComponentLogger, component: string): Pick<Logger, 'debug' | 'info'> {
  const log = logger.forComponent(component)
  const line = (obj: object, msg?: string): void => { log('%s %o', msg ?? '', obj) }
  return { debug: line, info: line }
}

// One pino logger per node: JSON lines on stdout (the demo and `porchlight start` send stdout to the node's
// log file), the level from the config's `log.level` or PORCHLIGHT_LOG_LEVEL. What must never reach a log
// line (the API token, keys, camera positions, clip and camera names) is kept out two ways: fields that hold
// it are censored by name wherever a caller puts them, and errors are logged by name, code and stack frames
// without their message, because messages quote their input ("'porch' is not a camera", "ENOENT … clip.mp4").
// Log messages themselves are fixed strings; values go in fields.
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino'
import { PorchlightError } from '../../protocol/errors.js'

export type { Logger, LevelWithSilent as LogLevel }

export const logLevels: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Field names censored at the top of a log object and one level down (pino's redact paths, fast-redact syntax). */
const secretFields = [
  // the API token and the headers that carry it
  'token', 'apiToken', 'authorization', 'cookie',
  // keys
  'key', 'keys', 'privateKey', 'agencyKey', 'peerKey', 'secret',
  // where a resident's cameras are, and what they are called
  'lat', 'lng', 'position', 'cameras', 'camera',
  // clips by their names (import file names)
  'file', 'fileName', 'filename', 'path'
]

export const redactPaths: string[] = [
  ...secretFields,
  ...secretFields.map((f) => `*.${f}`),
  // an error's details (PorchlightError) are two levels down
  ...secretFields.map((f) => `*.details.${f}`),
  'req.headers.authorization', 'req.headers.cookie'
]

export class InvalidLogLevelError extends PorchlightError {
  static override readonly code = 'INVALID_LOG_LEVEL'
  // A node's own configuration: never an API answer.
  static override readonly status = 500
  constructor (value: string) {
    super(InvalidLogLevelError.code, `not a log level (one of ${logLevels.join(', ')})`, { details: { field: 'PORCHLIGHT_LOG_LEVEL', value } })
    this.name = 'InvalidLogLevelError'
  }
}

/** The level: PORCHLIGHT_LOG_LEVEL (an operator's override for one run) over the config's, over `info`. */
export function getLogLevel (configured: LevelWithSilent | undefined, env: NodeJS.ProcessEnv = process.env): LevelWithSilent {
  const fromEnv = env.PORCHLIGHT_LOG_LEVEL
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!(logLevels as readonly string[]).includes(fromEnv)) throw new InvalidLogLevelError(fromEnv)
    return fromEnv as LevelWithSilent
  }
  return configured ?? 'info'
}

export interface LoggerInit {
  /** @default 'info' */
  level?: LevelWithSilent
  /** Where the JSON lines go. @default stdout, written synchronously (a line logged before exit is kept) */
  destination?: DestinationStream
  /** Fields on every line (the node's role and name). */
  base?: Record<string, unknown>
}

export interface SerializedError {
  type: string
  code?: string
  /** The field a PorchlightError names (`details.field`), never its value. */
  field?: string
  /** The stack without its first line (which repeats the message). */
  stack?: string
  cause?: SerializedError
}

/** An error as a log line holds it: what it is and where it came from, never what it quotes. */
export function serializeError (err: unknown, depth = 0): SerializedError {
  if (!(err instanceof Error)) return { type: typeof err }
  const code = (err as { code?: unknown }).code
  const field = (err as { details?: { field?: unknown } }).details?.field
  const frames = err.stack?.split('\n').filter((l) => /^\s+at /.test(l)).join('\n')
  return {
    type: err.name,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof field === 'string' ? { field } : {}),
    ...(frames === undefined || frames === '' ? {} : { stack: frames }),
    ...(err.cause === undefined || depth >= 4 ? {} : { cause: serializeError(err.cause, depth + 1) })
  }
}

export function createLogger (init: LoggerInit = {}): Logger {
  return pino({
    level: init.level ?? 'info',
    serializers: { err: serializeError, error: serializeError },
    base: { pid: process.pid, ...init.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' }
  }, init.destination ?? pino.destination({ dest: 1, sync: true }))
}

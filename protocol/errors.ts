// The base of every typed error in Porchlight. Each kind of failure is its own class with `name` set, a
// machine-readable `code` (what the HTTP API returns and tests assert) and a human `shortMessage`.
// Callers and tests match on `name` or `code`, never on message text.
export class PorchlightError extends Error {
  /** Machine-readable code, e.g. `INVALID_SIGNATURE`. */
  readonly code: string
  /** The message without details appended. */
  readonly shortMessage: string
  /** Structured context (a field name, a limit, a value): safe to log and to return over the API. */
  readonly details: Record<string, unknown>

  constructor (code: string, shortMessage: string, options: { cause?: unknown, details?: Record<string, unknown> } = {}) {
    super(shortMessage, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PorchlightError'
    this.code = code
    this.shortMessage = shortMessage
    this.details = options.details ?? {}
  }
}

/** True when `err` is a PorchlightError with the given `name` (works across module copies). */
export function isPorchlightError (err: unknown, name?: string): err is PorchlightError {
  return err instanceof Error && typeof (err as PorchlightError).code === 'string' &&
    (name === undefined || err.name === name)
}

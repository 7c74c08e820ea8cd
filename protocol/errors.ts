// The base of every typed error in Porchlight. Each kind of failure is its own class with `name` set, a
// machine-readable `code` (what the HTTP API returns and tests assert) and a human `shortMessage`.
// Callers and tests match on `name` or `code`, never on message text.
//
// Each class states its code and HTTP status as statics, so the API maps an error without a table and a
// test can list every class's code and status without constructing one. A status is a plain number here:
// protocol/ knows nothing of HTTP servers, only which answer fits (400 malformed, 404 unknown, 409 state,
// 422 a rule broken, 5xx the node's or an upstream's fault).
export class PorchlightError extends Error {
  /** The code every instance of the class carries (undefined on a base whose subclasses set theirs). */
  static readonly code: string | undefined = undefined
  /** The HTTP status the API answers this error with; without one, the API answers 500 and logs it. */
  static readonly status: number | undefined = undefined

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

  /** Its class's HTTP status. */
  get status (): number | undefined {
    return (this.constructor as typeof PorchlightError).status
  }
}

/** True when `err` is a PorchlightError with the given `name` (works across module copies). */
export function isPorchlightError (err: unknown, name?: string): err is PorchlightError {
  return err instanceof Error && typeof (err as PorchlightError).code === 'string' &&
    (name === undefined || err.name === name)
}

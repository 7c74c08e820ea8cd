// Why a notification did not go out, one class per kind. Each has a `reason`: the label of
// `porchlight_notify_failed_total` (a closed list) and the word `porchlight notify test` prints. Messages
// name the channel and what the server said in general terms, never a URL, a topic or a credential (a
// webhook URL or an ntfy topic is itself a secret).
import { PorchlightError } from '../../protocol/errors.js'

export type NotifyChannelName = 'mqtt' | 'webhook' | 'email'

/** What `porchlight_notify_failed_total{reason}` counts. */
export type NotifyFailureReason = 'unreachable' | 'timeout' | 'unauthorized' | 'refused' | 'server' | 'tls' | 'queue-full' | 'stopped'

/** A failure a channel reports; `permanent` ones are not retried (the same request would fail the same way). */
export abstract class NotifyError extends PorchlightError {
  // An upstream's failure (the broker's, the mail server's), as every subclass says more precisely.
  static override readonly status: number = 502
  abstract readonly reason: NotifyFailureReason
  readonly permanent: boolean = false
}

/** The server could not be reached (no route, refused connection, DNS), or the MQTT client is not connected. */
export class NotifyUnreachableError extends NotifyError {
  static override readonly code = 'NOTIFY_UNREACHABLE'
  static override readonly status = 502
  readonly reason = 'unreachable'
  constructor (channel: NotifyChannelName, options: { cause?: unknown } = {}) {
    super(NotifyUnreachableError.code, `${channel}: cannot reach the server`, { ...options, details: { channel } })
    this.name = 'NotifyUnreachableError'
  }
}

/** The server took longer than the channel's timeout. */
export class NotifyTimeoutError extends NotifyError {
  static override readonly code = 'NOTIFY_TIMEOUT'
  static override readonly status = 504
  readonly reason = 'timeout'
  constructor (channel: NotifyChannelName, timeoutMs: number) {
    super(NotifyTimeoutError.code, `${channel}: no answer within ${timeoutMs} ms`, { details: { channel, timeoutMs } })
    this.name = 'NotifyTimeoutError'
  }
}

/** The server refused the credentials (HTTP 401/403, SMTP 535, MQTT "not authorized"). */
export class NotifyUnauthorizedError extends NotifyError {
  static override readonly code = 'NOTIFY_UNAUTHORIZED'
  static override readonly status = 502
  readonly reason = 'unauthorized'
  override readonly permanent = true
  constructor (channel: NotifyChannelName, status?: number | string) {
    super(NotifyUnauthorizedError.code, `${channel}: the server refused the credentials`, { details: { channel, ...(status === undefined ? {} : { status }) } })
    this.name = 'NotifyUnauthorizedError'
  }
}

/** The server refused the message itself (HTTP 4xx, an SMTP 5xx for a recipient or sender). */
export class NotifyRefusedError extends NotifyError {
  static override readonly code = 'NOTIFY_REFUSED'
  static override readonly status = 502
  readonly reason = 'refused'
  override readonly permanent = true
  constructor (channel: NotifyChannelName, status?: number | string) {
    super(NotifyRefusedError.code, `${channel}: the server refused the message${status === undefined ? '' : ` (${status})`}`, { details: { channel, ...(status === undefined ? {} : { status }) } })
    this.name = 'NotifyRefusedError'
  }
}

/** The server failed on its side (HTTP 5xx or 429, an SMTP 4xx): worth another try later. */
export class NotifyServerError extends NotifyError {
  static override readonly code = 'NOTIFY_SERVER_ERROR'
  static override readonly status = 502
  readonly reason = 'server'
  constructor (channel: NotifyChannelName, status?: number | string) {
    super(NotifyServerError.code, `${channel}: the server failed${status === undefined ? '' : ` (${status})`}`, { details: { channel, ...(status === undefined ? {} : { status }) } })
    this.name = 'NotifyServerError'
  }
}

/** No TLS where it is required: the certificate is not trusted, or the SMTP server does not offer STARTTLS. */
export class NotifyTlsError extends NotifyError {
  static override readonly code = 'NOTIFY_TLS'
  static override readonly status = 502
  readonly reason = 'tls'
  override readonly permanent = true
  constructor (channel: NotifyChannelName, options: { cause?: unknown } = {}) {
    super(NotifyTlsError.code, `${channel}: no trusted TLS connection (nothing was sent in the clear)`, { ...options, details: { channel } })
    this.name = 'NotifyTlsError'
  }
}

/** The channel's queue is full (its server has been failing for a while): the notification is dropped. */
export class NotifyQueueFullError extends NotifyError {
  static override readonly code = 'NOTIFY_QUEUE_FULL'
  static override readonly status = 503
  readonly reason = 'queue-full'
  override readonly permanent = true
  constructor (channel: NotifyChannelName, limit: number) {
    super(NotifyQueueFullError.code, `${channel}: ${limit} notifications are waiting already`, { details: { channel, limit } })
    this.name = 'NotifyQueueFullError'
  }
}

/** The node stopped before the notification went out. */
export class NotifyStoppedError extends NotifyError {
  static override readonly code = 'NOTIFY_STOPPED'
  static override readonly status = 503
  readonly reason = 'stopped'
  override readonly permanent = true
  constructor (channel: NotifyChannelName) {
    super(NotifyStoppedError.code, `${channel}: stopped before it was sent`, { details: { channel } })
    this.name = 'NotifyStoppedError'
  }
}

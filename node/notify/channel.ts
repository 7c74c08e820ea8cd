// What every notification channel is to the queue that drives it: something that sends one notification or
// throws a NotifyError saying why not. A channel never retries on its own (the queue does, with backoff)
// and never logs the server's URL, topic or credentials.
import type { Notification } from './message.js'
import { NotifyTimeoutError, type NotifyChannelName } from './errors.js'

export interface NotifyChannel {
  readonly name: NotifyChannelName
  /** Opens what stays open (the MQTT connection). Must not wait for the server: a node starts without it. */
  start? (): void | Promise<void>
  stop? (): Promise<void>
  /** Sends one notification; resolves once the server took it. `signal` aborts a send in flight. */
  send (notification: Notification, signal?: AbortSignal): Promise<void>
}

/** `work`, or a NotifyTimeoutError after `ms` (and `work`'s outcome ignored from then on). */
export async function withTimeout<T> (channel: NotifyChannelName, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new NotifyTimeoutError(channel, ms)) }, ms) })
  work.catch(() => {}) // a late rejection after the timeout is not unhandled
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

// Node's TLS errors by code (on the error, its cause, or nodemailer's `originalCode`, where it keeps the
// socket's code under its own ESOCKET): a certificate the node does not trust is not a server that is down.
const tlsCodes = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_)/

export function isTlsFailure (err: unknown): boolean {
  const e = err as { code?: unknown, originalCode?: unknown, cause?: { code?: unknown } }
  const codes = [e.code, e.originalCode, e.cause?.code]
  return codes.some((c) => typeof c === 'string' && tlsCodes.test(c))
}

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

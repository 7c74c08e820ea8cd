// One queue per channel: a notification is handed over at once (the inbox never waits for a broker or a
// mail server), sent in order one at a time, and retried with exponential backoff (p-retry) while the
// failure is one that may pass (unreachable, timeout, a server error); refused credentials or a refused
// message are given up on at once. A queue holds at most `maxPending` notifications: beyond that a channel
// that has been down for hours drops new ones (counted) rather than growing without bound.
import PQueue from 'p-queue'
import pRetry from 'p-retry'
import type { NotifyChannel } from './channel.js'
import type { Notification } from './message.js'
import { NotifyError, NotifyQueueFullError, NotifyStoppedError, NotifyUnreachableError, type NotifyChannelName } from './errors.js'

export interface RetryPolicy {
  /** Tries after the first. */
  retries: number
  minTimeoutMs: number
  maxTimeoutMs: number
  factor: number
}

/**
 * 1 s doubling to 10 minutes, 10 retries: about 25 minutes of trying (with p-retry's randomizing up to
 * twice that), short of a request's shortest useful life and long enough for a broker or router restart.
 */
export const defaultRetry: RetryPolicy = { retries: 10, minTimeoutMs: 1000, maxTimeoutMs: 10 * 60_000, factor: 2 }

export interface ChannelQueueEvents {
  sent: (e: { channel: NotifyChannelName, notification: Notification, attempts: number }) => void
  /** A try failed and another follows. */
  retry: (e: { channel: NotifyChannelName, notification: Notification, error: NotifyError, attempt: number }) => void
  /** Given up: no more tries. */
  failed: (e: { channel: NotifyChannelName, notification: Notification, error: NotifyError, attempts: number }) => void
}

function asNotifyError (err: unknown, channel: NotifyChannelName): NotifyError {
  return err instanceof NotifyError ? err : new NotifyUnreachableError(channel, { cause: err })
}

export class ChannelQueue {
  readonly channel: NotifyChannel
  readonly #retry: RetryPolicy
  readonly #maxPending: number
  readonly #on: ChannelQueueEvents
  readonly #queue = new PQueue({ concurrency: 1 })
  readonly #abort = new AbortController()

  constructor (channel: NotifyChannel, on: ChannelQueueEvents, opts: { retry?: RetryPolicy, maxPending?: number } = {}) {
    this.channel = channel
    this.#on = on
    this.#retry = opts.retry ?? defaultRetry
    this.#maxPending = opts.maxPending ?? 100
  }

  /** Notifications waiting or in flight. */
  get pending (): number {
    return this.#queue.size + this.#queue.pending
  }

  /** Queues `n` and returns at once; what becomes of it is reported through the events. */
  enqueue (n: Notification): void {
    const channel = this.channel.name
    if (this.#abort.signal.aborted) {
      this.#on.failed({ channel, notification: n, error: new NotifyStoppedError(channel), attempts: 0 })
      return
    }
    if (this.pending >= this.#maxPending) {
      this.#on.failed({ channel, notification: n, error: new NotifyQueueFullError(channel, this.#maxPending), attempts: 0 })
      return
    }
    void this.#queue.add(async () => { await this.#deliver(n) })
  }

  /** Sends `n` now with the queue's retries, outside the queue: `porchlight notify test`. Rejects with the last NotifyError. */
  async sendNow (n: Notification): Promise<number> {
    let attempts = 0
    try {
      await pRetry(async () => {
        attempts++
        try { await this.channel.send(n, this.#abort.signal) } catch (err) { throw asNotifyError(err, this.channel.name) }
      }, this.#options(n))
      return attempts
    } catch (err) {
      throw this.#abort.signal.aborted ? new NotifyStoppedError(this.channel.name) : asNotifyError(err, this.channel.name)
    }
  }

  /** Stops retrying: what is waiting is dropped (reported as `stopped`), what is in flight is aborted. */
  async stop (): Promise<void> {
    this.#abort.abort()
    this.#queue.clear()
    await this.#queue.onIdle()
  }

  async #deliver (n: Notification): Promise<void> {
    const channel = this.channel.name
    let attempts = 0
    try {
      attempts = await this.sendNow(n)
    } catch (err) {
      this.#on.failed({ channel, notification: n, error: asNotifyError(err, channel), attempts: Math.max(attempts, 1) })
      return
    }
    this.#on.sent({ channel, notification: n, attempts })
  }

  #options (n: Notification): Parameters<typeof pRetry>[1] {
    return {
      retries: this.#retry.retries,
      minTimeout: this.#retry.minTimeoutMs,
      maxTimeout: this.#retry.maxTimeoutMs,
      factor: this.#retry.factor,
      randomize: true,
      signal: this.#abort.signal,
      shouldRetry: ({ error }) => !(error instanceof NotifyError && error.permanent),
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        const e = asNotifyError(error, this.channel.name)
        if (retriesLeft > 0 && !e.permanent) this.#on.retry({ channel: this.channel.name, notification: n, error: e, attempt: attemptNumber })
      }
    }
  }
}

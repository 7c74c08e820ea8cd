// The retention promise kept: a request says how many days its footage may be kept (counted, as the auditor
// counts, from a clip's first delivery). The job runs when the node starts and then every interval; each
// run deletes what would be past its promise before the next run, so no deletion is ever late by up to an
// interval (deleting up to one interval early keeps the promise: it is a maximum).
import { EventEmitter } from 'node:events'
import type { FootageKeeper } from './footage-keeper.js'

export interface RetentionJobInit {
  keeper: Pick<FootageKeeper, 'deleteExpired'>
  /** Unix seconds. */
  now: () => number
  /** @default 3_600_000 (an hour) */
  intervalMs?: number
  /** @default emitted as 'retention:failed' */
  onError?: (err: unknown) => void
}

export interface RetentionJobEvents {
  'retention:swept': [Array<{ cid: string, logIndex: number }>]
  /** A run failed (without `onError`); the next interval tries again. */
  'retention:failed': [unknown]
}

export const DEFAULT_RETENTION_INTERVAL_MS = 3_600_000

export class RetentionJob extends EventEmitter<RetentionJobEvents> {
  readonly #init: RetentionJobInit
  readonly #intervalMs: number
  #timer: NodeJS.Timeout | undefined
  #running: Promise<unknown> = Promise.resolve()

  constructor (init: RetentionJobInit) {
    super()
    this.#init = init
    this.#intervalMs = init.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS
  }

  /** Runs once now (awaited) and then on the interval. */
  async start (): Promise<void> {
    await this.sweep().catch((err: unknown) => { this.#onError(err) })
    this.#timer = setInterval(() => { this.sweep().catch((err: unknown) => { this.#onError(err) }) }, this.#intervalMs)
    this.#timer.unref()
  }

  async stop (): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#running.catch(() => {})
  }

  /** Deletes every clip whose retention ends before the next run; one run at a time. */
  async sweep (): Promise<Array<{ cid: string, logIndex: number }>> {
    const run = this.#running.catch(() => {}).then(async () => {
      const deleted = await this.#init.keeper.deleteExpired(this.#init.now() + Math.ceil(this.#intervalMs / 1000))
      this.emit('retention:swept', deleted)
      return deleted
    })
    this.#running = run
    return await run
  }

  #onError (err: unknown): void {
    (this.#init.onError ?? ((e) => { this.emit('retention:failed', e) }))(err)
  }
}

// The open Server-Sent Events streams of GET /api/events: how many a node holds (bounded), the heartbeat that
// keeps proxies and the client's reader from timing an idle stream out, and the rule that keeps a slow
// client from growing the node's memory: a stream whose socket already holds `maxBufferedBytes` not yet
// sent is closed, not queued for. Its client reconnects and reads again what it shows (the `ready` event
// says so); there is no replay by Last-Event-ID, since every event only says "read this again".
import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import type { LiveEvent } from '../../protocol/index.js'
import type { Logger } from '../logging/index.js'
import { TooManyEventStreamsError } from './errors.js'

/** What the streams read from (node/live/live-events.ts's LiveEvents): its events, and what `ready` says. */
export interface LiveSource {
  on (event: 'live:event', listener: (event: LiveEvent) => void): unknown
  off (event: 'live:event', listener: (event: LiveEvent) => void): unknown
  ready (): Promise<Extract<LiveEvent, { type: 'ready' }>['data']>
}

export interface EventStreamsInit {
  /** Streams open at once, all clients together. @default 16 (a household's tabs and phones, with room) */
  maxStreams?: number
  /** A comment line this often, ms. @default 15000 */
  heartbeatMs?: number
  /** Bytes a stream's socket may hold unsent before the stream is dropped. @default 262144 */
  maxBufferedBytes?: number
  /** How long a client waits before it reconnects (the stream's `retry:` field), ms. @default 2000 */
  retryMs?: number
}

export interface EventStreamsEvents {
  'stream:opened': []
  'stream:closed': []
  /** Refused for the limit (TooManyEventStreamsError). */
  'stream:refused': []
  /** Closed by the node: its client did not read what it was sent. */
  'stream:dropped': [{ reason: 'slow' }]
  'event:sent': [LiveEvent['type']]
}

interface OpenStream {
  write: (chunk: string) => void
  close: () => void
}

export class EventStreams extends EventEmitter<EventStreamsEvents> {
  readonly #live: LiveSource
  readonly #log: Logger
  readonly #max: number
  readonly #heartbeatMs: number
  readonly #maxBuffered: number
  readonly #retryMs: number
  readonly #open = new Set<OpenStream>()
  #heartbeat: NodeJS.Timeout | undefined

  constructor (live: LiveSource, logger: Logger, init: EventStreamsInit = {}) {
    super()
    this.#live = live
    this.#log = logger.child({ component: 'live' })
    this.#max = init.maxStreams ?? 16
    this.#heartbeatMs = init.heartbeatMs ?? 15_000
    this.#maxBuffered = init.maxBufferedBytes ?? 256 * 1024
    this.#retryMs = init.retryMs ?? 2000
  }

  /** Streams open now. */
  get size (): number { return this.#open.size }

  /** Throws TooManyEventStreamsError (before anything is written) when the node holds its limit already. */
  admit (): void {
    if (this.#open.size < this.#max) return
    this.#log.warn({ limit: this.#max }, 'live: an event stream was refused, the node holds its limit')
    this.emit('stream:refused')
    throw new TooManyEventStreamsError(this.#max)
  }

  /**
   * Serves one stream on `res` until its client goes or `closeAll`: the headers, `retry:`, the `ready` event,
   * then every live event. Call `admit` first.
   */
  async serve (res: ServerResponse): Promise<void> {
    this.admit()
    let ready = false
    const queued: LiveEvent[] = []
    const stream: OpenStream = {
      write: (chunk) => {
        if (res.destroyed) return
        res.write(chunk)
        if (res.writableLength > this.#maxBuffered) {
          this.#log.info({ buffered: res.writableLength }, 'live: an event stream was dropped, its client does not read')
          this.emit('stream:dropped', { reason: 'slow' })
          stream.close()
        }
      },
      // Destroyed rather than ended: ending would wait for the client to read what is queued.
      close: () => { release(); res.destroy() }
    }
    const onEvent = (event: LiveEvent): void => {
      if (!ready) { queued.push(event); return }
      this.#send(stream, event)
    }
    // At once when the node closes it (its queue is freed now), else when its client goes.
    const release = (): void => {
      if (!this.#open.delete(stream)) return
      this.#live.off('live:event', onEvent)
      if (this.#open.size === 0) { clearInterval(this.#heartbeat); this.#heartbeat = undefined }
      this.emit('stream:closed')
    }
    this.#open.add(stream)
    this.emit('stream:opened')
    this.#live.on('live:event', onEvent)
    res.once('close', release)
    this.#heartbeat ??= setInterval(() => { for (const s of this.#open) s.write(': heartbeat\n\n') }, this.#heartbeatMs)
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // A reverse proxy (nginx) would otherwise hold events back to fill its buffer.
      'x-accel-buffering': 'no'
    })
    stream.write(`retry: ${this.#retryMs}\n\n`)
    try {
      // Subscribed first, so nothing between the count and the first event is lost; sent after `ready`.
      this.#send(stream, { type: 'ready', data: await this.#live.ready() })
    } catch (err) {
      this.#log.warn({ err }, 'live: the first event could not be made')
      stream.close()
      return
    }
    ready = true
    for (const event of queued.splice(0)) this.#send(stream, event)
  }

  /** Closes every stream (the node is stopping). */
  closeAll (): void {
    for (const s of [...this.#open]) s.close()
  }

  #send (stream: OpenStream, event: LiveEvent): void {
    stream.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`)
    this.emit('event:sent', event.type)
  }
}

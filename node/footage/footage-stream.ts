// Frames for a long one-way transfer. p2p/framing.ts reads through @libp2p/utils' byteStream, which buffers
// whatever arrives and aborts past its limit: right for one request and one response, wrong for a sender
// that streams megabytes faster than the receiver writes them to disk. Here the reading side pauses the
// libp2p stream (yamux then withholds its window update, so the sender's `send` waits for `drain`) once
// HIGH_WATER bytes are queued, and resumes when the queue has half drained: backpressure end to end, a
// bounded buffer on both sides. Pausing stops window updates but not the bytes already granted: yamux
// grows a stream's window up to 16 MiB and grants a whole window again on resume, so a paused stream was
// seen to hold 34 MB; its read buffer limit (4 MiB by default, documented as changeable at run time) is
// raised to PAUSED_BUFFER for this stream. Frames are it-length-prefixed (the same unsigned-varint prefix as framing.ts)
// and failures the same typed errors.
import type { AbortOptions, Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'
import * as lp from 'it-length-prefixed'
import * as dagCbor from '@ipld/dag-cbor'
import type { Uint8ArrayList } from 'uint8arraylist'
import { FrameTooLargeError, MalformedFrameError, PeerHungUpError, StreamTimeoutError } from '../p2p/index.js'

/** Bytes queued unread before the stream is paused. */
export const HIGH_WATER = 1024 * 1024

/** Twice yamux's largest stream window (16 MiB) and our own queue, with room to spare. */
export const PAUSED_BUFFER = 64 * 1024 * 1024

/** The stream's incoming bytes as an async iterable that pauses the stream while the reader lags. */
export function pausingSource (stream: Stream, highWater = HIGH_WATER): AsyncIterable<Uint8Array | Uint8ArrayList> {
  const queue: Array<Uint8Array | Uint8ArrayList> = []
  let queued = 0
  let ended = false
  let error: Error | undefined
  let wake: (() => void) | undefined
  const notify = (): void => { const w = wake; wake = undefined; w?.() }
  const onMessage = (evt: StreamMessageEvent): void => {
    queue.push(evt.data)
    queued += evt.data.byteLength
    if (queued > highWater && stream.readStatus === 'readable') stream.pause()
    notify()
  }
  const onClose = (evt: StreamCloseEvent): void => { ended = true; error = evt.error; notify() }
  const onRemoteCloseWrite = (): void => { ended = true; notify() }
  stream.maxReadBufferLength = Math.max(stream.maxReadBufferLength, PAUSED_BUFFER)
  stream.addEventListener('message', onMessage)
  stream.addEventListener('close', onClose)
  stream.addEventListener('remoteCloseWrite', onRemoteCloseWrite)
  return {
    async * [Symbol.asyncIterator] () {
      try {
        for (;;) {
          const next = queue.shift()
          if (next !== undefined) {
            queued -= next.byteLength
            if (queued <= highWater / 2 && stream.readStatus === 'paused') stream.resume()
            yield next
            continue
          }
          if (error !== undefined) throw error
          if (ended) return
          await new Promise<void>((resolve) => { wake = resolve })
        }
      } finally {
        stream.removeEventListener('message', onMessage)
        stream.removeEventListener('close', onClose)
        stream.removeEventListener('remoteCloseWrite', onRemoteCloseWrite)
      }
    }
  }
}

const hangUps = new Set(['UnexpectedEOFError', 'StreamResetError', 'StreamAbortedError', 'StreamStateError', 'StreamClosedError', 'ConnectionClosedError'])

export interface FootageStreamOptions {
  maxFrameBytes: number
  /** Longest wait for one frame (or one drain), ms. @default 10000 */
  timeoutMs?: number
  protocol: string
}

export class FootageStream {
  readonly stream: Stream
  readonly timeoutMs: number
  readonly #opts: FootageStreamOptions
  readonly #frames: AsyncIterator<Uint8ArrayList>

  constructor (stream: Stream, opts: FootageStreamOptions) {
    this.stream = stream
    this.#opts = opts
    this.timeoutMs = opts.timeoutMs ?? 10_000
    this.#frames = lp.decode(pausingSource(stream), { maxDataLength: opts.maxFrameBytes })[Symbol.asyncIterator]()
  }

  /** The next frame's bytes; a clean end of stream is PeerHungUpError too (a frame was expected). */
  async readBytes (options: AbortOptions = {}): Promise<Uint8Array> {
    const next = await this.#guard(async () => await this.#frames.next(), options)
    if (next.done === true) throw new PeerHungUpError({ details: { protocol: this.#opts.protocol } })
    return next.value.subarray()
  }

  async read<T = unknown> (options: AbortOptions = {}): Promise<T> {
    const bytes = await this.readBytes(options)
    try {
      return dagCbor.decode<T>(bytes)
    } catch (err) {
      const error = new MalformedFrameError('not dag-cbor', { cause: err, details: { protocol: this.#opts.protocol } })
      this.stream.abort(error)
      throw error
    }
  }

  /** Writes one frame (a list is sent as one frame, uncopied); waits for a drain when the send buffer is full. */
  async writeBytes (bytes: Uint8Array | Uint8ArrayList, options: AbortOptions = {}): Promise<void> {
    if (bytes.byteLength > this.#opts.maxFrameBytes) throw new FrameTooLargeError({ limit: this.#opts.maxFrameBytes, protocol: this.#opts.protocol })
    if (this.stream.send(lp.encode.single(bytes))) return
    await this.#guard(async () => { await this.stream.onDrain(options) }, options)
  }

  async write (value: unknown, options: AbortOptions = {}): Promise<void> {
    await this.writeBytes(dagCbor.encode(value), options)
  }

  async close (options: AbortOptions = {}): Promise<void> {
    await this.#guard(async () => { await this.stream.close(options) }, options)
  }

  // One timer per operation rather than AbortSignal.timeout + AbortSignal.any: this runs once per frame.
  async #guard<T> (op: () => Promise<T>, options: AbortOptions): Promise<T> {
    const caller = options.signal
    let timer: NodeJS.Timeout | undefined
    let onAbort: (() => void) | undefined
    let timedOut = false
    const stop = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { timedOut = true; reject(new StreamTimeoutError({ timeoutMs: this.timeoutMs })) }, this.timeoutMs)
      if (caller === undefined) return
      if (caller.aborted) { reject(caller.reason); return }
      onAbort = () => { reject(caller.reason) }
      caller.addEventListener('abort', onAbort, { once: true })
    })
    stop.catch(() => {})
    try {
      return await Promise.race([op(), stop])
    } catch (err) {
      const translated = timedOut ? err : this.#translate(err, caller)
      if (this.stream.status === 'open') this.stream.abort(translated as Error)
      throw translated
    } finally {
      clearTimeout(timer)
      if (onAbort !== undefined) caller?.removeEventListener('abort', onAbort)
    }
  }

  #translate (err: unknown, callerSignal: AbortSignal | undefined): unknown {
    const details = { protocol: this.#opts.protocol }
    if (err instanceof MalformedFrameError || err instanceof FrameTooLargeError || err instanceof PeerHungUpError) return err
    if (callerSignal?.aborted === true) return callerSignal.reason
    const name = (err as Error | undefined)?.name ?? ''
    if (name === 'InvalidDataLengthError') return new FrameTooLargeError({ limit: this.#opts.maxFrameBytes, ...details })
    if (name === 'InvalidMessageLengthError' || name === 'InvalidDataLengthLengthError') return new MalformedFrameError('bad length prefix', { cause: err, details })
    if (hangUps.has(name)) return new PeerHungUpError({ cause: err, details })
    return err
  }
}

export function footageStream (stream: Stream, opts: FootageStreamOptions): FootageStream {
  return new FootageStream(stream, opts)
}

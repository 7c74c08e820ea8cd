// Frames for a long one-way transfer. p2p/framing.ts reads through @libp2p/utils' byteStream, which buffers
// whatever arrives and aborts past its limit: right for one request and one response, wrong for a transfer
// of megabytes. Here the stream is never paused: pausing cannot bound what a yamux peer already had granted,
// and @libp2p/utils re-grants a whole window when a stream paused again while resuming (issue 6's 64 MiB
// overflow). The bound comes from the protocol instead: a footage sender sends only what the agency granted
// (credit.ts), so what sits here unread never exceeds `maxBuffered`; a peer that ignores its credit is cut
// off with CreditExceededError. Frames are it-length-prefixed (the same unsigned-varint prefix as
// framing.ts) and failures the same typed errors.
import type { AbortOptions, Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'
import * as lp from 'it-length-prefixed'
import * as dagCbor from '@ipld/dag-cbor'
import type { Uint8ArrayList } from 'uint8arraylist'
import { FrameTooLargeError, MalformedFrameError, PeerHungUpError, StreamTimeoutError } from '../p2p/index.js'
import { CreditExceededError } from './errors.js'

const hangUps = new Set(['UnexpectedEOFError', 'StreamResetError', 'StreamAbortedError', 'StreamStateError', 'StreamClosedError', 'ConnectionClosedError'])

export interface FootageStreamOptions {
  maxFrameBytes: number
  /** Longest wait for one frame (or one drain), ms. @default 10000 */
  timeoutMs?: number
  protocol: string
  /**
   * Most bytes that may arrive before they are read as frames; past it the stream is cut off
   * (CreditExceededError). @default 4 × maxFrameBytes (a side that receives only control frames)
   */
  maxBuffered?: number
}

export interface ReadOptions extends AbortOptions {
  /** Overrides the stream's timeout for this read; Infinity waits until the stream ends. */
  timeoutMs?: number
}

/** Bytes of the unsigned-varint length prefix of a frame of `n` bytes. */
function prefixLength (n: number): number {
  let bytes = 1
  while (n >= 128) { n = Math.floor(n / 128); bytes++ }
  return bytes
}

export class FootageStream {
  readonly stream: Stream
  readonly timeoutMs: number
  /** May be raised once a peer is allowed to send more (the agency's answer grants credit). */
  maxBuffered: number
  readonly #opts: FootageStreamOptions
  readonly #frames: AsyncIterator<Uint8ArrayList>
  #received = 0
  #consumed = 0
  #peak = 0
  /** Set when the peer overran `maxBuffered`: every later read and write fails with it. */
  #cutOff: Error | undefined

  constructor (stream: Stream, opts: FootageStreamOptions) {
    this.stream = stream
    this.#opts = opts
    this.timeoutMs = opts.timeoutMs ?? 10_000
    this.maxBuffered = opts.maxBuffered ?? 4 * opts.maxFrameBytes
    this.#frames = lp.decode(this.#source(), { maxDataLength: opts.maxFrameBytes })[Symbol.asyncIterator]()
  }

  /** Bytes received and not yet read as frames. */
  get buffered (): number { return this.#received - this.#consumed }
  /** The most that was ever buffered: what this stream cost in memory, at most `maxBuffered`. */
  get peakBuffered (): number { return this.#peak }

  /**
   * The next frame as the pieces it arrived in (no copy: a data frame spans several Noise messages); a
   * clean end of stream is PeerHungUpError too (a frame was expected).
   */
  async readList (options: ReadOptions = {}): Promise<Uint8ArrayList> {
    if (this.#cutOff !== undefined) throw this.#cutOff
    const next = await this.#guard(async () => await this.#frames.next(), options)
    if (next.done === true) throw new PeerHungUpError({ details: { protocol: this.#opts.protocol } })
    this.#consumed += next.value.byteLength + prefixLength(next.value.byteLength)
    return next.value
  }

  /** The next frame's bytes in one array. */
  async readBytes (options: ReadOptions = {}): Promise<Uint8Array> {
    return (await this.readList(options)).subarray()
  }

  async read<T = unknown> (options: ReadOptions = {}): Promise<T> {
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
    if (this.#cutOff !== undefined) throw this.#cutOff
    if (bytes.byteLength > this.#opts.maxFrameBytes) throw new FrameTooLargeError({ limit: this.#opts.maxFrameBytes, protocol: this.#opts.protocol })
    let sent: boolean
    try { sent = this.stream.send(lp.encode.single(bytes)) } catch (err) { throw this.#fail(err, options.signal) }
    if (sent) return
    await this.#guard(async () => { await this.stream.onDrain(options) }, options)
  }

  async write (value: unknown, options: AbortOptions = {}): Promise<void> {
    await this.writeBytes(dagCbor.encode(value), options)
  }

  async close (options: AbortOptions = {}): Promise<void> {
    await this.#guard(async () => { await this.stream.close(options) }, options)
  }

  /** The stream's incoming bytes, queued as they arrive (never paused), bounded by `maxBuffered`. */
  #source (): AsyncIterable<Uint8Array | Uint8ArrayList> {
    const { stream } = this
    const queue: Array<Uint8Array | Uint8ArrayList> = []
    let ended = false
    let error: Error | undefined
    let wake: (() => void) | undefined
    const notify = (): void => { const w = wake; wake = undefined; w?.() }
    const onMessage = (evt: StreamMessageEvent): void => {
      if (error !== undefined) return
      this.#received += evt.data.byteLength
      this.#peak = Math.max(this.#peak, this.buffered)
      queue.push(evt.data)
      if (this.buffered > this.maxBuffered) {
        error = this.#cutOff = new CreditExceededError({ limit: this.maxBuffered, value: this.buffered, protocol: this.#opts.protocol })
        queue.length = 0
        stream.abort(error)
      }
      notify()
    }
    const onClose = (evt: StreamCloseEvent): void => { ended = true; error ??= evt.error; notify() }
    const onRemoteCloseWrite = (): void => { ended = true; notify() }
    stream.addEventListener('message', onMessage)
    stream.addEventListener('close', onClose)
    stream.addEventListener('remoteCloseWrite', onRemoteCloseWrite)
    return {
      async * [Symbol.asyncIterator] () {
        try {
          for (;;) {
            const next = queue.shift()
            if (next !== undefined) { yield next; continue }
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

  // One timer per operation rather than AbortSignal.timeout + AbortSignal.any: this runs once per frame.
  async #guard<T> (op: () => Promise<T>, options: ReadOptions): Promise<T> {
    const caller = options.signal
    const timeoutMs = options.timeoutMs ?? this.timeoutMs
    let timer: NodeJS.Timeout | undefined
    let onAbort: (() => void) | undefined
    let timedOut = false
    const stop = new Promise<never>((_resolve, reject) => {
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => { timedOut = true; reject(new StreamTimeoutError({ timeoutMs })) }, timeoutMs)
      if (caller === undefined) return
      if (caller.aborted) { reject(caller.reason); return }
      onAbort = () => { reject(caller.reason) }
      caller.addEventListener('abort', onAbort, { once: true })
    })
    stop.catch(() => {})
    try {
      return await Promise.race([op(), stop])
    } catch (err) {
      throw timedOut ? this.#fail(err, undefined, true) : this.#fail(err, caller)
    } finally {
      clearTimeout(timer)
      if (onAbort !== undefined) caller?.removeEventListener('abort', onAbort)
    }
  }

  /** The typed error for a failed operation; the stream is aborted with it (the peer sees a reset). */
  #fail (err: unknown, callerSignal: AbortSignal | undefined, asIs = false): unknown {
    const translated = asIs ? err : this.#translate(err, callerSignal)
    if (this.stream.status === 'open') this.stream.abort(translated as Error)
    return translated
  }

  #translate (err: unknown, callerSignal: AbortSignal | undefined): unknown {
    const details = { protocol: this.#opts.protocol }
    if (err instanceof MalformedFrameError || err instanceof FrameTooLargeError || err instanceof PeerHungUpError || err instanceof CreditExceededError) return err
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

// Length-prefixed frames on a libp2p stream (an unsigned-varint length, then the bytes), each frame either
// raw bytes or one dag-cbor value, with a size limit and a timeout on every read and write. The request,
// audit and footage protocols are built on it; every way a peer can misbehave ends in a typed error.
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import type { Stream, AbortOptions } from '@libp2p/interface'
import * as dagCbor from '@ipld/dag-cbor'
import { varint } from 'multiformats'
import { FrameTooLargeError, MalformedFrameError, PeerHungUpError, StreamTimeoutError } from './errors.js'

export interface FrameOptions {
  /** Largest frame body accepted, in bytes. @default 65536 */
  maxFrameBytes?: number
  /** Longest wait for one frame to be read or written, in ms. @default 10000 */
  timeoutMs?: number
  /** The protocol name, for error details. */
  protocol?: string
}

/** The error names libp2p streams and @libp2p/utils use when the remote end goes away. */
const hangUps = new Set(['UnexpectedEOFError', 'StreamResetError', 'StreamAbortedError', 'StreamStateError', 'StreamClosedError', 'ConnectionClosedError'])
const malformed = new Set(['InvalidMessageLengthError', 'InvalidDataLengthLengthError'])

export class FramedStream {
  readonly stream: Stream
  readonly maxFrameBytes: number
  readonly timeoutMs: number
  readonly protocol: string | undefined
  private readonly lp: LengthPrefixedStream<Stream>

  constructor (stream: Stream, opts: FrameOptions = {}) {
    this.stream = stream
    this.maxFrameBytes = opts.maxFrameBytes ?? 65536
    this.timeoutMs = opts.timeoutMs ?? 10_000
    this.protocol = opts.protocol
    const maxLengthLength = varint.encodingLength(this.maxFrameBytes)
    this.lp = lpStream(stream, {
      maxDataLength: this.maxFrameBytes,
      maxLengthLength,
      // Buffer no more than one frame and its prefix ahead of the reader.
      maxBufferSize: this.maxFrameBytes + maxLengthLength,
      // @libp2p/utils checks the prefix's length only once it decodes, so an endless run of continuation
      // bytes would be read until the timeout; refuse it as soon as it is longer than any valid prefix.
      lengthDecoder: (data) => {
        if (data.byteLength > maxLengthLength) throw new MalformedFrameError('length prefix too long', { details: this.details() })
        return varint.decode(data.subarray())[0]
      }
    })
  }

  /** Reads one frame's bytes. */
  async readBytes (options: AbortOptions = {}): Promise<Uint8Array> {
    const list = await this.guard(async (signal) => await this.lp.read({ signal }), options)
    return list.subarray()
  }

  /** Reads one frame and decodes it as dag-cbor (strictly: dag-cbor refuses trailing bytes and non-canonical forms it cannot represent). */
  async read<T = unknown> (options: AbortOptions = {}): Promise<T> {
    const bytes = await this.readBytes(options)
    try {
      return dagCbor.decode<T>(bytes)
    } catch (err) {
      this.stream.abort(err as Error)
      throw new MalformedFrameError('not dag-cbor', { cause: err, details: this.details() })
    }
  }

  async writeBytes (bytes: Uint8Array, options: AbortOptions = {}): Promise<void> {
    if (bytes.byteLength > this.maxFrameBytes) {
      throw new FrameTooLargeError({ limit: this.maxFrameBytes, ...this.details() })
    }
    await this.guard(async (signal) => { await this.lp.write(bytes, { signal }) }, options)
  }

  async write (value: unknown, options: AbortOptions = {}): Promise<void> {
    await this.writeBytes(dagCbor.encode(value), options)
  }

  /** Closes our side gracefully (the peer reads to the end). */
  async close (options: AbortOptions = {}): Promise<void> {
    await this.guard(async (signal) => { await this.stream.close({ signal }) }, options)
  }

  /** Resets the stream; pending reads on both sides fail. */
  abort (err: Error): void {
    this.stream.abort(err)
  }

  private details (): { protocol?: string } {
    return this.protocol === undefined ? {} : { protocol: this.protocol }
  }

  /** Runs one stream operation under the timeout and the caller's signal, translating failures. */
  private async guard<T> (op: (signal: AbortSignal) => Promise<T>, options: AbortOptions): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs)
    const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal])
    try {
      return await op(signal)
    } catch (err) {
      const translated = this.translate(err, timeout, options.signal)
      // A frame we refuse leaves the stream mid-frame: nothing after it can be read, so end it.
      if (!(translated instanceof PeerHungUpError) && this.stream.status === 'open') this.stream.abort(translated as Error)
      throw translated
    }
  }

  private translate (err: unknown, timeout: AbortSignal, callerSignal: AbortSignal | undefined): unknown {
    if (err instanceof MalformedFrameError || err instanceof FrameTooLargeError) return err
    if (callerSignal?.aborted === true) return callerSignal.reason
    if (timeout.aborted) return new StreamTimeoutError({ timeoutMs: this.timeoutMs })
    const name = (err as Error | undefined)?.name ?? ''
    if (name === 'InvalidDataLengthError' || name === 'StreamBufferError') {
      return new FrameTooLargeError({ limit: this.maxFrameBytes, ...this.details() })
    }
    if (malformed.has(name)) return new MalformedFrameError('bad length prefix', { cause: err, details: this.details() })
    if (hangUps.has(name)) return new PeerHungUpError({ cause: err, details: this.details() })
    return err
  }
}

/** Wraps a libp2p stream in frames. */
export function framed (stream: Stream, opts: FrameOptions = {}): FramedStream {
  return new FramedStream(stream, opts)
}

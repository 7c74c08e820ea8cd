// One request, one response, over a fresh stream: the shape of /porchlight/requests/1.0.0 and
// /porchlight/audit/1.0.0. The response frame is `{ ok: value }` or `{ error: { code, message } }`, so a
// handler's typed error reaches the caller as a RemoteError carrying the same code.
import type { Connection, Libp2p, PeerId, AbortOptions, StreamHandler, StreamHandlerOptions } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { isPorchlightError } from '../../protocol/errors.js'
import { framed, type FrameOptions } from './framing.js'
import { MalformedFrameError, RemoteError } from './errors.js'

export interface RequestContext {
  /** The remote peer. */
  peer: PeerId
  connection: Connection
  signal: AbortSignal
}

export type RequestHandler<Req, Res> = (request: Req, context: RequestContext) => Promise<Res>

export type ProtocolOptions = Omit<FrameOptions, 'protocol'>

export interface HandleRequestsOptions extends ProtocolOptions, StreamHandlerOptions {
  /**
   * Called when a request could not be read (oversize, malformed, too slow, the peer hung up): the handler
   * never saw it, so a server that counts its refusals hears of these here.
   */
  onUnreadable?: (error: unknown, context: { peer: PeerId, connection: Connection }) => void
}

type ResponseFrame<Res> = { ok: Res } | { error: { code: string, message: string } }

/**
 * Sends `request` to `peer` on `protocol` and returns its response; a handler's error → RemoteError. Any
 * node that can dial will do (a resident's messages about a delivery go from a single-use one).
 */
export async function sendRequest<Req, Res> (libp2p: Pick<Libp2p, 'dialProtocol'>, peer: PeerId | Multiaddr | Multiaddr[], protocol: string, request: Req, options: ProtocolOptions & AbortOptions & { runOnLimitedConnection?: boolean } = {}): Promise<Res> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const dialSignal = options.signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([AbortSignal.timeout(timeoutMs), options.signal])
  const stream = await libp2p.dialProtocol(peer, protocol, { signal: dialSignal, ...(options.runOnLimitedConnection === true ? { runOnLimitedConnection: true } : {}) })
  const frames = framed(stream, { ...options, protocol })
  try {
    await frames.write(request, options)
    const response = await frames.read<ResponseFrame<Res>>(options)
    await frames.close(options).catch(() => {})
    if (response !== null && typeof response === 'object') {
      if ('ok' in response) return response.ok
      if ('error' in response && typeof response.error?.code === 'string') {
        throw new RemoteError({ code: response.error.code, message: String(response.error.message), protocol })
      }
    }
    throw new MalformedFrameError('not a response frame', { details: { protocol } })
  } catch (err) {
    if (stream.status === 'open') stream.abort(err as Error)
    throw err
  }
}

/** Where a handler is registered: a libp2p node, or the registrar a libp2p service is given. */
export interface ProtocolRegistrar {
  handle: (protocol: string, handler: StreamHandler, options?: StreamHandlerOptions) => Promise<void>
}

/**
 * Answers `protocol` with `handler`. A PorchlightError thrown by the handler is sent as its code and
 * short message; any other error as INTERNAL, without its text (it may hold internals).
 */
export async function handleRequests<Req, Res> (libp2p: ProtocolRegistrar, protocol: string, handler: RequestHandler<Req, Res>, options: HandleRequestsOptions = {}): Promise<void> {
  const { maxFrameBytes, timeoutMs, onUnreadable, ...handlerOptions } = options
  const frameOptions = { protocol, ...(maxFrameBytes === undefined ? {} : { maxFrameBytes }), ...(timeoutMs === undefined ? {} : { timeoutMs }) }
  await libp2p.handle(protocol, async (stream, connection) => {
    const frames = framed(stream, frameOptions)
    const signal = AbortSignal.timeout(frames.timeoutMs)
    let response: ResponseFrame<Res>
    try {
      let request: Req
      try {
        request = await frames.read<Req>()
      } catch (err) {
        onUnreadable?.(err, { peer: connection.remotePeer, connection })
        throw err
      }
      try {
        response = { ok: await handler(request, { peer: connection.remotePeer, connection, signal }) }
      } catch (err) {
        response = isPorchlightError(err)
          ? { error: { code: err.code, message: err.shortMessage } }
          : { error: { code: 'INTERNAL', message: 'internal error' } }
      }
      await frames.write(response)
      await frames.close()
    } catch (err) {
      // The request itself was bad or the peer left: the stream is already aborted; nothing to answer.
      stream.log.error('%s: %s', protocol, (err as Error).name)
    }
  }, handlerOptions)
}

// The resident's side of /porchlight/footage/1.0.0: dial the agency peer the signed request names, offer
// the signed consent with the exact sizes, and once accepted stream each clip as an age file encrypted to
// the request's recipient — read, encrypted and written a chunk at a time, each write waiting for the
// stream to drain (backpressure), so a clip of any size costs a few chunks of memory. The receipt that
// comes back is verified before it is believed. Each call dials from a fresh single-use identity
// (delivery-identity.ts), never the node's own, so the agency cannot tie a consent to the household's node.
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { pipe } from 'it-pipe'
import {
  decodeSignedReceipt, encodeSignedConsent, encryptClip, expectedCiphertextSize, type Domain, type EnvelopeCrypto,
  type SignedConsent, type SignedReceipt, type SignedRequest
} from '../../protocol/index.js'
import { StreamTimeoutError } from '../p2p/index.js'
import { withDeliveryIdentity, type FootageDialer } from './delivery-identity.js'
import type { DeliveryVia } from '../config/index.js'
import { SendCredit } from '../footage/credit.js'
import { footageStream, type FootageStream } from '../footage/footage-stream.js'
import { ClipCidMismatchError, InvalidReceiptError, TransferRefusedError } from '../footage/errors.js'
import { verifyReceipt, type VerifiedReceipt } from '../footage/receipt.js'
import { Uint8ArrayList } from 'uint8arraylist'
import {
  DATA_FRAME_TARGET, FOOTAGE_PROTOCOL, MAX_DATA_FRAME, MAX_FOOTAGE_FRAME, isCredit, type Answer, type DeclaredClip, type Result
} from '../footage/wire.js'

export interface FootageDelivery {
  receipt: SignedReceipt
  /** The delivery entry's bytes as logged (its leaf hash is what the receipt proves). */
  entry: Uint8Array
  verified: VerifiedReceipt
}

export interface SendFootageInit {
  /**
   * The node to dial from. Only tests and the bench pass one (to watch or compare the transfer itself):
   * a resident's deliveries leave it out. @default a fresh single-use identity for this attempt, stopped after
   */
  libp2p?: FootageDialer
  /**
   * How the default identity dials the agency (delivery-identity.ts `routedDialer`); a `libp2p` given is used
   * as it is. @default 'direct'
   */
  via?: DeliveryVia
  request: SignedRequest
  consent: SignedConsent
  domain: Domain
  /** The plaintext of a clip the consent names, as a stream (read lazily, once). */
  openClip: (cid: string) => ReadableStream<Uint8Array> | Promise<ReadableStream<Uint8Array>>
  crypto?: EnvelopeCrypto
  /** Aborting stops the transfer at once (a withdrawal): the agency records nothing. */
  signal?: AbortSignal
  /** Ciphertext bytes sent so far, of `total`. */
  onProgress?: (sent: number, total: number) => void
  /** Per-frame timeout, ms. @default 10000 */
  timeoutMs?: number
}

/** The agency's addresses with its peer id, so the dial authenticates the peer the request names. */
export function agencyAddrs (request: SignedRequest): Multiaddr[] {
  const peer = request.message.peerId
  return request.message.addrs.map((a) => {
    const ma = multiaddr(a)
    return ma.getComponents().some((c) => c.name === 'p2p') ? ma : ma.encapsulate(`/p2p/${peer}`)
  })
}

export function declaredClips (consent: SignedConsent): DeclaredClip[] {
  return consent.message.clips.map((c) => ({ cid: c.cid, plaintextSize: c.size, ciphertextSize: expectedCiphertextSize(c.size) }))
}

/** Delivers the consented clips; resolves with the verified receipt, or rejects with a typed error. */
export async function sendFootage (init: SendFootageInit): Promise<FootageDelivery> {
  peerIdFromString(init.request.message.peerId)
  init.signal?.throwIfAborted()
  if (init.libp2p !== undefined) return await deliver(init.libp2p, init)
  return await withDeliveryIdentity(async (libp2p) => await deliver(libp2p, init), { via: init.via ?? 'direct' })
}

async function deliver (libp2p: FootageDialer, init: SendFootageInit): Promise<FootageDelivery> {
  const { request, consent, signal } = init
  const timeoutMs = init.timeoutMs ?? 10_000
  const dialSignal = signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
  const stream = await libp2p.dialProtocol(agencyAddrs(request), FOOTAGE_PROTOCOL, { signal: dialSignal })
  const frames = footageStream(stream, { maxFrameBytes: MAX_FOOTAGE_FRAME, protocol: FOOTAGE_PROTOCOL, timeoutMs })
  const transfer = async (): Promise<FootageDelivery> => {
    signal?.throwIfAborted()
    const declared = declaredClips(consent)
    await frames.write({ consent: encodeSignedConsent(consent), clips: declared }, { signal })
    const answer = await frames.read<Answer>({ signal })
    if (!('accept' in answer) || answer.accept !== true) throw refusal(answer)
    if (!isCredit({ credit: answer.credit }) || answer.credit < MAX_DATA_FRAME) throw refusal({ error: { code: 'MALFORMED_ANSWER', message: 'no usable credit' } })
    const credit = new SendCredit()
    credit.grant(answer.credit)
    // The agency speaks while data flows (credit, or an error that stops us): read it all the time.
    const outcome = readControl(frames, credit)
    outcome.catch(() => {})

    const total = declared.reduce((n, c) => n + c.ciphertextSize, 0)
    let sent = 0
    try {
      for (const clip of declared) {
        const { ciphertext, done } = await encryptClip(await init.openClip(clip.cid), request.message.recipient, init.crypto === undefined ? {} : { crypto: init.crypto })
        await pipe(ciphertext, batchFrames, async (batches) => {
          for await (const batch of batches) {
            await credit.take(batch.byteLength, timeoutMs)
            await frames.writeBytes(batch, { signal })
            sent += batch.byteLength
            init.onProgress?.(sent, total)
          }
        })
        const digest = await done
        // Our own store must hold what the consent names; sending anything else would only be refused.
        if (digest.cid.toString() !== clip.cid) throw new ClipCidMismatchError({ cid: clip.cid, actual: digest.cid.toString() })
      }
      await frames.write({ end: true }, { signal })
    } catch (err) {
      // The agency's own reason (it refused mid-stream, then reset) beats the hang-up it caused here; once
      // the stream is shut, the outcome settles at once (the reader drains what arrived, then ends).
      if (stream.status !== 'open') {
        const result = await outcome.catch(() => undefined)
        if (result !== undefined && !('receipt' in result)) throw refusal(result)
      }
      throw err
    }
    const result = await withTimeout(outcome, timeoutMs)
    if (!('receipt' in result)) throw refusal(result)
    await frames.close().catch(() => {})
    let receipt: SignedReceipt
    try { receipt = decodeSignedReceipt(result.receipt) } catch (err) { throw new InvalidReceiptError({ reason: 'undecodable' }, err) }
    const verified = verifyReceipt({ receipt, entryBytes: result.entry, request, consent, domain: init.domain })
    return { receipt, entry: result.entry, verified }
  }
  // An abort (a withdrawal) ends the transfer at once, even while the clip source is slow to yield: the
  // stream is reset (the agency discards what it got) and whatever is still pending fails on its own.
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      stream.abort(signal?.reason instanceof Error ? signal.reason : new Error('aborted'))
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
  aborted.catch(() => {})
  const work = transfer()
  work.catch(() => {})
  try {
    return await Promise.race([work, aborted])
  } catch (err) {
    if (stream.status === 'open') stream.abort(err as Error)
    throw signal?.aborted === true && !(err instanceof TransferRefusedError) ? signal.reason : err
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort)
  }
}

/** Groups the encryptor's chunks into frames of about DATA_FRAME_TARGET bytes, without copying them. */
async function * batchFrames (chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8ArrayList> {
  let batch = new Uint8ArrayList()
  for await (const chunk of chunks) {
    batch.append(chunk)
    if (batch.byteLength >= DATA_FRAME_TARGET) {
      yield batch
      batch = new Uint8ArrayList()
    }
  }
  if (batch.byteLength > 0) yield batch
}

/**
 * Reads the agency's frames while data flows: credit is granted as it comes; the first other frame is the
 * outcome (a result, or an error that also fails every credit wait). A stream that ends or resets fails
 * the credit too, so a sender waiting for credit stops at once with the typed error.
 */
async function readControl (frames: FootageStream, credit: SendCredit): Promise<Result> {
  try {
    for (;;) {
      // No per-frame timeout: credit comes only as fast as we send; waits for credit and the result have theirs.
      const frame = await frames.read<unknown>({ timeoutMs: Infinity })
      if (isCredit(frame)) { credit.grant(frame.credit); continue }
      if (frame === null || typeof frame !== 'object' || !('receipt' in frame)) credit.fail(refusal(frame))
      return frame as Result
    }
  } catch (err) {
    credit.fail(err as Error)
    throw err
  }
}

async function withTimeout<T> (promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new StreamTimeoutError({ timeoutMs })) }, timeoutMs) })])
  } finally { clearTimeout(timer) }
}

function refusal (frame: unknown): TransferRefusedError {
  const error = (frame as { error?: { code?: unknown, message?: unknown } } | null)?.error
  return new TransferRefusedError({ code: typeof error?.code === 'string' ? error.code : 'MALFORMED_ANSWER', message: typeof error?.message === 'string' ? error.message : '' })
}


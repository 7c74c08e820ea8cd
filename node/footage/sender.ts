// The resident's side of /porchlight/footage/1.0.0: dial the agency peer the signed request names, offer
// the signed consent with the exact sizes, and once accepted stream each clip as an age file encrypted to
// the request's recipient — read, encrypted and written a chunk at a time, each write waiting for the
// stream to drain (backpressure), so a clip of any size costs a few chunks of memory. The receipt that
// comes back is verified before it is believed.
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { pipe } from 'it-pipe'
import {
  decodeSignedReceipt, encodeSignedConsent, encryptClip, expectedCiphertextSize, type Domain, type EnvelopeCrypto,
  type SignedConsent, type SignedReceipt, type SignedRequest
} from '../../protocol/index.js'
import type { PorchlightLibp2p } from '../p2p/index.js'
import { footageStream } from './footage-stream.js'
import { ClipCidMismatchError, InvalidReceiptError, TransferRefusedError } from './errors.js'
import { verifyReceipt, type VerifiedReceipt } from './receipt.js'
import { Uint8ArrayList } from 'uint8arraylist'
import { DATA_FRAME_TARGET, FOOTAGE_PROTOCOL, MAX_FOOTAGE_FRAME, type Answer, type DeclaredClip, type Result } from './wire.js'

export interface FootageDelivery {
  receipt: SignedReceipt
  /** The delivery entry's bytes as logged (its leaf hash is what the receipt proves). */
  entry: Uint8Array
  verified: VerifiedReceipt
}

export interface SendFootageInit {
  libp2p: PorchlightLibp2p
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
  const { libp2p, request, consent, signal } = init
  peerIdFromString(request.message.peerId)
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

    const total = declared.reduce((n, c) => n + c.ciphertextSize, 0)
    let sent = 0
    for (const clip of declared) {
      const { ciphertext, done } = await encryptClip(await init.openClip(clip.cid), request.message.recipient, init.crypto === undefined ? {} : { crypto: init.crypto })
      await pipe(ciphertext, batchFrames, async (batches) => {
        for await (const batch of batches) {
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
    const result = await frames.read<Result>({ signal })
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

function refusal (frame: unknown): TransferRefusedError {
  const error = (frame as { error?: { code?: unknown, message?: unknown } } | null)?.error
  return new TransferRefusedError({ code: typeof error?.code === 'string' ? error.code : 'MALFORMED_ANSWER', message: typeof error?.message === 'string' ? error.message : '' })
}


// The resident node's clip store and inbox as the shares service reads them: narrow views, so sharing
// depends on what it uses rather than on the services' whole surface.
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { isPorchlightError, type SignedRequest } from '../../protocol/index.js'
import type { ClipsService } from '../clips/service.js'
import type { ResidentInbox } from '../resident/inbox.js'

/** A clip in the resident's store (node/clips' ClipRecord has these fields). */
export interface StoredClip {
  cid: string
  size: number
  camera: string
  start: number
  end: number
  /** The media type the store keeps (`video/mp4`; `application/octet-stream` when nothing said). */
  contentType: string
  /** Milliseconds, when known better than the whole seconds of the span (a clip just cut from a recording). */
  durationMs?: number
}

/** The resident's clip store, as far as sharing needs it. */
export interface ClipSource {
  get (cid: string): Promise<StoredClip | undefined>
  open (cid: string): Promise<ReadableStream<Uint8Array>>
  /** Stores the file at `path` as a clip (a cut range); absent: ranges cannot be shared. */
  addFile? (path: string, meta: { camera: string, start: number, end: number, contentType: string }): Promise<StoredClip>
}

/** The resident's inbox, as far as consenting needs it (node/resident's ResidentInbox). */
export interface InboxReader {
  get (id: string): Promise<{ request: SignedRequest, status: string } | undefined>
}

/** A Node stream as a pull-based web stream (no read-ahead beyond the Node stream's own buffer). */
function toWebStream (readable: Readable): ReadableStream<Uint8Array> {
  const it = readable[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull (controller) {
      const { done, value } = await it.next() as IteratorResult<Buffer, undefined>
      if (done === true) controller.close()
      else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
    },
    async cancel () { await it.return?.() }
  }, { highWaterMark: 0 })
}

export function clipSourceOf (clips: ClipsService): ClipSource {
  return {
    get: async (cid) => await clips.store.get(cid),
    open: async (cid) => toWebStream((await clips.store.read(cid)).stream),
    addFile: async (path, meta) => (await clips.add(createReadStream(path), meta)).clip
  }
}

export function inboxReaderOf (inbox: ResidentInbox): InboxReader {
  return {
    async get (id) {
      try { return await inbox.get(id) } catch (err) {
        if (isPorchlightError(err, 'InboxItemNotFoundError')) return undefined
        throw err
      }
    }
  }
}

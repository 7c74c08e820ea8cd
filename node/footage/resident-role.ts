// A resident node's services with footage sharing on top: the clip store, the request network and inbox,
// and the shares service wired to them (the inbox for requests, the clip store for bytes, the network's
// EIP-712 domain, the configured chain for "publicly anchored").
import { Readable } from 'node:stream'
import type { NodeServiceFactories } from '../service.js'
import { clips as clipsService, type ClipsService } from '../clips/index.js'
import { residentServices, type ResidentInbox, type ResidentServicesInit } from '../resident/index.js'
import type { RequestNetwork } from '../network/index.js'
import { ChainClient } from '../chain/index.js'
import { resolveChain } from '../config/index.js'
import { isPorchlightError } from '../../protocol/index.js'
import { residentFootage, type ClipSource, type InboxReader, type ResidentFootage } from './resident-footage.js'
import type { AnchorSource } from './receipt.js'

export type ResidentFootageServices = { clips: ClipsService, network: RequestNetwork, inbox: ResidentInbox, footage: ResidentFootage }

/** A Node stream as a pull-based web stream (no read-ahead beyond the Node stream's own buffer). */
function toWebStream (readable: Readable): ReadableStream<Uint8Array> {
  const it = readable[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull (controller) {
      const { done, value } = await it.next() as IteratorResult<Buffer>
      if (done === true) controller.close()
      else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
    },
    async cancel () { await it.return?.() }
  }, { highWaterMark: 0 })
}

export function clipSourceOf (clips: ClipsService): ClipSource {
  return {
    get: async (cid) => await clips.store.get(cid),
    open: async (cid) => toWebStream((await clips.store.read(cid)).stream)
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

export function residentFootageServices (init: ResidentServicesInit = {}): NodeServiceFactories<ResidentFootageServices> {
  let clips: ClipsService | undefined
  // The inbox lists each request's matching clips from the clip store (built first, below).
  const base = { clips: clipsService(), ...residentServices({ ...init, inbox: { ...init.inbox, clips: () => clips } }) }
  let inbox: ResidentInbox | undefined
  let network: RequestNetwork | undefined
  return {
    clips: (c) => (clips = base.clips(c)),
    network: (c) => (network = base.network(c)),
    inbox: (c) => (inbox = base.inbox(c)),
    footage: (c) => {
      let client: Promise<ChainClient | undefined> | undefined
      const connect = async (): Promise<ChainClient | undefined> => {
        const endpoint = c.dir === undefined ? (typeof c.config.chain === 'object' ? c.config.chain : undefined) : await resolveChain(c.config, c.dir)
        return endpoint === undefined ? undefined : await ChainClient.connect({ deployment: endpoint })
      }
      const chain: AnchorSource & { close: () => Promise<void> } = {
        latestAnchor: async (agency) => await (await (client ??= connect()))?.latestAnchor(agency),
        close: async () => { if (client !== undefined) await (await client.catch(() => undefined))?.close() }
      }
      return residentFootage({ inbox: inboxReaderOf(inbox!), clips: clipSourceOf(clips!), domain: () => network!.domain, chain })(c)
    }
  }
}

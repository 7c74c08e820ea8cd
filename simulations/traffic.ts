// Gossip traffic of one node, attributed to the requests it carries: every message received (per topic, with
// duplicates), and the bytes of every message and control id sent and received that names a request.
// Gossipsub has no per-message byte events, so this wraps two router methods (checked at run time, like
// node/p2p/scoring.ts: an upgrade that moves them fails loudly rather than measuring nothing).
import { performance } from 'node:perf_hooks'
import { CID } from 'multiformats/cid'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { announcementId, decodeAnnouncement } from '../protocol/index.js'
import { GossipsubInternalsError, type PorchlightLibp2p } from '../node/p2p/index.js'

interface RpcMessage { topic: string, data?: Uint8Array }
interface RpcIds { messageIDs?: Uint8Array[] }
interface Rpc {
  messages?: RpcMessage[]
  control?: { ihave?: RpcIds[], iwant?: RpcIds[], idontwant?: RpcIds[] }
}
interface RouterInternals {
  handleReceivedRpc: (from: { toString: () => string }, rpc: Rpc) => Promise<void>
  sendRpc: (id: string, rpc: Rpc) => boolean
}

/** What one node saw of one request. */
export interface RequestTraffic {
  /** Gossip messages carrying it, received, by topic (a count above one per topic is duplicates). */
  received: Map<string, number>
  /** Bytes of messages and control ids naming it. */
  bytesSent: number
  bytesReceived: number
  /** performance.now() when this node first sent a gossip message carrying it (at its agency: the publish). */
  firstSentAt: number | undefined
}

/** Names the request an announcement's bytes carry; caches by content hash (the same bytes arrive many times). */
export class RequestClassifier {
  readonly #byHash = new Map<string, string | null>()
  /** The first valid announcement seen (the adversaries' model for forgeries). */
  sample: Uint8Array | undefined

  ofData (data: Uint8Array): string | undefined {
    const key = bytesToHex(sha256(data))
    let id = this.#byHash.get(key)
    if (id === undefined) {
      try { id = announcementId(decodeAnnouncement(data)); this.sample ??= data } catch { id = null }
      this.#byHash.set(key, id)
    }
    return id ?? undefined
  }

  /** A gossip message id is the announced CID's bytes followed by the topic (node/network/message-id.ts). */
  ofMessageId (msgId: Uint8Array): string | undefined {
    try { return CID.decodeFirst(msgId)[0].toString() } catch { return undefined }
  }
}

// Protobuf framing per message (field tags and lengths) and per control id: small, fixed, counted.
const MESSAGE_OVERHEAD = 6
const ID_OVERHEAD = 2

export class TrafficMeter {
  readonly #byRequest = new Map<string, RequestTraffic>()
  readonly #classifier: RequestClassifier

  constructor (libp2p: PorchlightLibp2p, classifier: RequestClassifier, peers: Map<string, TrafficMeter>) {
    this.#classifier = classifier
    const router = libp2p.services.pubsub as unknown as Partial<RouterInternals>
    if (typeof router.handleReceivedRpc !== 'function') throw new GossipsubInternalsError('handleReceivedRpc')
    if (typeof router.sendRpc !== 'function') throw new GossipsubInternalsError('sendRpc')
    const receive = router.handleReceivedRpc.bind(router)
    const send = router.sendRpc.bind(router)
    router.handleReceivedRpc = async (from, rpc) => {
      for (const m of rpc.messages ?? []) {
        const id = m.data === undefined ? undefined : this.#classifier.ofData(m.data)
        if (id !== undefined) { const t = this.of(id); t.received.set(m.topic, (t.received.get(m.topic) ?? 0) + 1) }
      }
      return await receive(from, rpc)
    }
    router.sendRpc = (to, rpc) => {
      const sent = send(to, rpc)
      // Counted after the call: the router piggybacks pending control and gossip onto `rpc` as it sends.
      if (sent) {
        const receiver = peers.get(to.toString())
        const at = performance.now()
        this.#account(rpc, (id, bytes, message) => {
          const t = this.of(id)
          t.bytesSent += bytes
          if (message) t.firstSentAt ??= at
          if (receiver !== undefined) receiver.of(id).bytesReceived += bytes
        })
      }
      return sent
    }
  }

  of (id: string): RequestTraffic {
    let t = this.#byRequest.get(id)
    if (t === undefined) { t = { received: new Map(), bytesSent: 0, bytesReceived: 0, firstSentAt: undefined }; this.#byRequest.set(id, t) }
    return t
  }

  /** Whether any gossip message carrying `id` arrived here. */
  sawMessage (id: string): boolean {
    const t = this.#byRequest.get(id)
    return t !== undefined && t.received.size > 0
  }

  #account (rpc: Rpc, add: (id: string, bytes: number, message: boolean) => void): void {
    for (const m of rpc.messages ?? []) {
      const id = m.data === undefined ? undefined : this.#classifier.ofData(m.data)
      if (id !== undefined) add(id, m.data!.byteLength + m.topic.length + MESSAGE_OVERHEAD, true)
    }
    const c = rpc.control
    for (const list of [c?.ihave, c?.iwant, c?.idontwant]) {
      for (const entry of list ?? []) {
        for (const msgId of entry.messageIDs ?? []) {
          const id = this.#classifier.ofMessageId(msgId)
          if (id !== undefined) add(id, msgId.byteLength + ID_OVERHEAD, false)
        }
      }
    }
  }
}

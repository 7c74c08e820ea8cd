// The gossip message id of an announcement: sha-256 of the whole message bytes, followed by the topic.
// Gossipsub records an id in its seen-cache (and sends IDONTWANT) before the validator runs, and scores every
// later copy by the fate of the first: an id that named only the request (as it did before issue 15) let a
// peer send a corrupted copy first, so the honest copy was dropped as a duplicate of a rejected message and
// its relays were penalised for it. Over the bytes, a corrupted copy is another message; requests are
// de-duplicated by request id in the application, after validation (announcement-validator.ts).
// The topic stays part of it: one request goes out on every res-7 topic its area touches and the seen-cache
// is shared by all topics, so with the bytes alone a node in two of them would drop the second topic's copy
// and never forward it to the residents who are only in that one.
import { sha256 } from '@noble/hashes/sha2.js'

const utf8 = new TextEncoder()

/** sha-256(data) ‖ UTF-8 topic. Never throws: any bytes get an id, and the validator judges them. */
export function announcementMessageId (data: Uint8Array, topic: string): Uint8Array {
  const t = utf8.encode(topic)
  const id = new Uint8Array(32 + t.length)
  id.set(sha256(data))
  id.set(t, 32)
  return id
}

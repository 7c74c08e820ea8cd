// The gossip message id of an announcement is the id of the request or withdrawal it carries (docs/design.md §5)
// followed by the topic, so a re-announcement with a newer checkpoint is still the same message. The topic
// is part of it because one request goes out on every res-7 topic its area touches and gossipsub's
// seen-cache is shared by all topics: with the bare request id, a node in two of them would drop the copy
// of the second topic as a duplicate and never forward it to the residents who are only in that one.
import { CID } from 'multiformats/cid'
import { announcementId, decodeAnnouncement } from '../../protocol/index.js'

const utf8 = new TextEncoder()

/** CID bytes of the announced message ‖ UTF-8 topic; throws on undecodable data (libp2p.ts falls back to sha-256). */
export function announcementMessageId (data: Uint8Array, topic: string): Uint8Array {
  const cid = CID.parse(announcementId(decodeAnnouncement(data))).bytes
  const t = utf8.encode(topic)
  const id = new Uint8Array(cid.length + t.length)
  id.set(cid)
  id.set(t, cid.length)
  return id
}

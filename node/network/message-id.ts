// The gossip message id of an announcement is the id of the request or withdrawal it carries (DESIGN §5),
// so a re-announcement with a newer checkpoint is still the same message to every node's seen-cache.
import { CID } from 'multiformats/cid'
import { announcementId, decodeAnnouncement } from '../../protocol/index.js'

/** The CID bytes of the announced message; throws on undecodable data (libp2p.ts falls back to sha-256). */
export function announcementMessageId (data: Uint8Array): Uint8Array {
  return CID.parse(announcementId(decodeAnnouncement(data))).bytes
}

// What GET /api/events streams (Server-Sent Events): each `event:` names one of these types and its `data:`
// is the JSON below. An event says what changed, not the whole new view: the page reads the one item (or
// list) again, through the routes it already uses, so a missed event costs a refetch, never a wrong screen.
import type { InboxStatus } from './inbox.js'
import type { ShareState } from './shares.js'

export interface LiveEventMap {
  /** Sent first on every stream: what the header shows before any change (a resident's unread count). */
  ready: { unread?: number }
  /** An inbox item was added or changed (status, seen); `unread` is the count after the change. */
  inbox: { id: string, status: InboxStatus, unread: number }
  /** A share was created or changed state. */
  share: { id: string, request: string, state: ShareState }
  /** A running delivery's ciphertext bytes: at most a few a second per share, the last one always sent. */
  progress: { id: string, sent: number, total: number }
  /** A delivered share's receipt may read differently now (a root covering it was anchored on chain). */
  receipt: { id: string }
  /** The agency received a delivery for one of its requests. */
  delivery: { request: string, consent: string }
  /** The agency's log issued a checkpoint or recorded an anchor. */
  log: { size: number }
  /** A resident's cameras: one's recording status changed or it closed a segment (`name`), or the list changed (no name). */
  cameras: { name?: string }
}

export type LiveEventType = keyof LiveEventMap

export type LiveEvent = { [K in LiveEventType]: { type: K, data: LiveEventMap[K] } }[LiveEventType]

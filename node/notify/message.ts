// What a notification says, and the only place it is made. It is built field by field from the signed
// request (public: every node on the request's topics saw it) and the agency's registered name, never from
// the inbox item: the item also holds which of the household's cameras matched, and that must not leave the
// node. The link names the inbox item only (no token: the UI asks for it, or has it in sessionStorage).
import type { Category, Request } from '../../protocol/index.js'

/** A notification as every channel gets it. `kind: 'test'` is `porchlight notify test`'s. */
export interface Notification {
  kind: 'request' | 'test'
  /** The request's id (its CID): what the link opens. */
  id: string
  title: string
  /** The agency's address, and its name as the registry knows it. */
  agency: string
  agencyName?: string
  caseCode: string
  /** The request's category; `test` on a test notification only. */
  category: Category | 'test'
  /** The window of wanted footage and the request's expiry, unix seconds. */
  windowStart: number
  windowEnd: number
  expiresAt: number
  /** The node's UI, opened at this request. */
  link: string
}

/** The UI's address of an inbox item: `<base>/#request=<id>` (a fragment, so it never reaches a server's log). */
export function inboxLink (base: string, id: string): string {
  const url = new URL(base)
  url.search = ''
  url.hash = new URLSearchParams({ request: id }).toString()
  return url.toString()
}

/** The notification of a request that entered the inbox. */
export function toNotification (id: string, request: Request, agencyName: string | undefined, linkBase: string, kind: Notification['kind'] = 'request'): Notification {
  return {
    kind,
    id,
    title: request.title,
    agency: request.agency,
    ...(agencyName === undefined || agencyName === '' ? {} : { agencyName }),
    caseCode: request.caseCode,
    category: request.category,
    windowStart: request.windowStart,
    windowEnd: request.windowEnd,
    expiresAt: request.expiresAt,
    link: inboxLink(linkBase, id)
  }
}

/** A made-up notification for `porchlight notify test`, marked as a test in every field a person reads. */
export function testNotification (linkBase: string, now = Math.floor(Date.now() / 1000)): Notification {
  return {
    kind: 'test',
    id: 'test',
    title: 'Porchlight test notification',
    agency: '0x0000000000000000000000000000000000000000',
    agencyName: 'Test',
    caseCode: 'TEST',
    category: 'test',
    windowStart: now - 3600,
    windowEnd: now,
    expiresAt: now + 3600,
    link: inboxLink(linkBase, 'test')
  }
}

/** One line for a person: a push title or an email subject. */
export function headline (n: Notification): string {
  return n.kind === 'test' ? n.title : `Footage request: ${n.title}`
}

/** The text of a notification, for a push body or an email. Times in UTC, ISO 8601 (no locale on a server). */
export function bodyText (n: Notification): string {
  const t = (s: number): string => new Date(s * 1000).toISOString().replace('.000Z', 'Z')
  return [
    `${n.agencyName ?? n.agency} asks for footage (${n.category}, case ${n.caseCode}).`,
    `Window: ${t(n.windowStart)} to ${t(n.windowEnd)}.`,
    `Answer before ${t(n.expiresAt)}: ${n.link}`,
    'Nothing is shared unless you choose to share it.'
  ].join('\n')
}

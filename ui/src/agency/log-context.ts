// What a log row shows beside the entry: when it was made, and the case it belongs to. Both come from the
// log itself, as checked in this browser: a `delivery` names its request, whose `request` entry holds the
// case code; an `access`, `share` or `delete` names a clip, delivered earlier for one request (or, the same
// bytes delivered twice, for several).
import { requestId, type LogEntry } from '../../../protocol/index.js'

export interface EntryContext {
  index: number
  entry: LogEntry
  /** Unix seconds: the entry's `at`, or the signed message's `issuedAt`. */
  at: number
  /** The case codes of the request(s) the entry concerns; empty when the log does not say. */
  caseCodes: string[]
}

export function entryContexts (entries: ReadonlyArray<{ index: number, entry: LogEntry }>): EntryContext[] {
  const caseOfRequest = new Map<string, string>()
  const requestsOfClip = new Map<string, Set<string>>()
  const casesOf = (requests: Iterable<string>): string[] => [...new Set([...requests].map((r) => caseOfRequest.get(r)).filter((c): c is string => c !== undefined))]
  // In log order: an entry's context is what the log held when it was appended.
  return [...entries].sort((a, b) => a.index - b.index).map(({ index, entry }) => {
    switch (entry.kind) {
      case 'request':
        caseOfRequest.set(requestId(entry.request), entry.request.message.caseCode)
        return { index, entry, at: entry.request.message.issuedAt, caseCodes: [entry.request.message.caseCode] }
      case 'withdraw':
        return { index, entry, at: entry.withdrawal.message.issuedAt, caseCodes: casesOf([entry.withdrawal.message.request]) }
      case 'delivery':
        for (const c of entry.clips) requestsOfClip.set(c.cid, (requestsOfClip.get(c.cid) ?? new Set()).add(entry.request))
        return { index, entry, at: entry.at, caseCodes: casesOf([entry.request]) }
      default:
        return { index, entry, at: entry.at, caseCodes: casesOf(requestsOfClip.get(entry.clip) ?? []) }
    }
  })
}

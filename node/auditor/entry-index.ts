// Every entry the auditor verified, decoded, per agency: what its drill-down lists and filters (kind, time,
// request or case code, user) and a request's history is read from. Kept beside the audit state, not in it:
// the state is read whole at every pass, the entries only when someone asks. An entry is written once, when
// it is checked against its tile hash, overwritten if a pass reads it again (one that aborted), listed only
// below the verified size, and what the auditor concludes of it (findings, a log that later fails) is
// joined at read time, so a later finding shows.
import type { AuditedEntry, AuditedEntryFilter } from '../../protocol/index.js'
import type { Sublevel } from '../storage/index.js'
import type { DecodedEntry } from './decode-bundle.js'
import { entryTime, requestOfEntry, usersOfEntry, type RulesState } from './entry-rules.js'

/** The most entries one listing returns. */
export const MAX_ENTRIES_LISTED = 500

export interface EntryIndex {
  put (agency: string, entries: readonly AuditedEntry[]): Promise<void>
  /** Entries below `size` (the verified size) matching `filter`, in log order; `total` before offset and limit. */
  list (agency: string, size: number, filter?: AuditedEntryFilter): Promise<{ total: number, entries: AuditedEntry[] }>
}

/** The index of an auditor that keeps none. */
export const NO_ENTRIES: EntryIndex = { put: async () => {}, list: async () => ({ total: 0, entries: [] }) }

/** The index record of entry `index`, decoded (or not) in a pass, with the rules' state right after it. */
export function auditedEntry (index: number, decoded: DecodedEntry, leaf: string, leafMatches: boolean, rules: RulesState): AuditedEntry {
  if ('error' in decoded) return { index, kind: 'malformed', leaf, leafMatches, users: [] }
  const entry = decoded.entry
  const request = requestOfEntry(entry, rules)
  const caseCode = request === undefined ? undefined : rules.requests[request]?.caseCode
  return {
    index, kind: entry.kind, time: entryTime(entry), leaf, leafMatches,
    ...(request === undefined ? {} : { request }), ...(caseCode === undefined ? {} : { caseCode }),
    users: usersOfEntry(entry), entry
  }
}

export function matchesFilter (e: AuditedEntry, f: AuditedEntryFilter): boolean {
  if (f.kind !== undefined && e.kind !== f.kind) return false
  if (f.from !== undefined && (e.time === undefined || e.time < f.from)) return false
  if (f.to !== undefined && (e.time === undefined || e.time > f.to)) return false
  if (f.request !== undefined && e.request !== f.request && e.caseCode !== f.request) return false
  if (f.user !== undefined && !e.users.includes(f.user)) return false
  return true
}

function page (matching: AuditedEntry[], f: AuditedEntryFilter): { total: number, entries: AuditedEntry[] } {
  const offset = f.offset ?? 0
  const limit = Math.min(f.limit ?? MAX_ENTRIES_LISTED, MAX_ENTRIES_LISTED)
  return { total: matching.length, entries: matching.slice(offset, offset + limit) }
}

export function memoryEntryIndex (): EntryIndex {
  const byAgency = new Map<string, AuditedEntry[]>()
  return {
    async put (agency, entries) {
      const list = byAgency.get(agency.toLowerCase()) ?? []
      for (const e of entries) list[e.index] = structuredClone(e)
      byAgency.set(agency.toLowerCase(), list)
    },
    async list (agency, size, filter = {}) {
      return page((byAgency.get(agency.toLowerCase()) ?? []).filter((e) => e.index < size && matchesFilter(e, filter)), filter)
    }
  }
}

/** Keys `<agency lowercase>!<index, 12 hex digits>` keep one agency's entries together and in log order. */
export function levelEntryIndex (db: Sublevel<string, string>): EntryIndex {
  const key = (agency: string, index: number): string => `${agency.toLowerCase()}!${index.toString(16).padStart(12, '0')}`
  return {
    async put (agency, entries) {
      await db.batch(entries.map((e) => ({ type: 'put' as const, key: key(agency, e.index), value: JSON.stringify(e) })))
    },
    async list (agency, size, filter = {}) {
      const prefix = agency.toLowerCase()
      const matching: AuditedEntry[] = []
      // Keys sort by index (fixed-width hex): the range is this agency's entries below `size`.
      for await (const value of db.values({ gte: `${prefix}!`, lt: size === 0 ? `${prefix}!` : key(agency, size) })) {
        const e = JSON.parse(value) as AuditedEntry
        if (matchesFilter(e, filter)) matching.push(e)
      }
      return page(matching, filter)
    }
  }
}

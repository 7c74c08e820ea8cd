// Checkpoints of agencies' logs that reached the auditor the way they reach residents — in gossip (whatever
// the validator decided: a refused fork is evidence too), in catch-up answers, in receipts residents submit —
// and the latest each witness cosigned. Each is kept, with its signed note, until an audit pass has compared
// it with the public log at its size (audit-agency.ts); then it is either a SPLIT_VIEW finding or forgotten.
// Anyone can send a signed note, so what is kept is bounded: per agency, the notes at sizes not yet checked,
// least recently seen first out; and only agencies this auditor audits get a book at all.
import { LRUCache } from 'lru-cache'

/** Where a checkpoint came from. */
export type SightingSource = 'gossip' | 'catch-up' | 'receipt' | 'witness'

export interface Sighting {
  /** The agency's checksummed address. */
  agency: string
  size: number
  /** 0x hex. */
  root: string
  /** The agency-signed note as received (with any cosignature lines): what proves the agency signed it. */
  note: string
  source: SightingSource
  /** The gossip or catch-up peer, the witness's name, or `receipt`. */
  from: string
}

export interface SightingBookInit {
  /** Agencies with a book. @default 1024 (as the chain client's registry cache) */
  maxAgencies?: number
  /** Distinct (size, root) kept per agency. @default 256 */
  perAgency?: number
}

export class SightingBook {
  readonly #books: LRUCache<string, LRUCache<string, Sighting>>
  readonly #perAgency: number

  constructor (init: SightingBookInit = {}) {
    this.#books = new LRUCache({ max: init.maxAgencies ?? 1024 })
    this.#perAgency = init.perAgency ?? 256
  }

  /** Keeps `s` unless its (size, root) is already kept for its agency; returns whether it was new. */
  record (s: Sighting): boolean {
    let book = this.#books.get(s.agency)
    if (book === undefined) this.#books.set(s.agency, book = new LRUCache({ max: this.#perAgency }))
    const key = `${s.size}:${s.root}`
    // The first note of a (size, root) is as good evidence as any later one; a repeat only refreshes it.
    if (book.get(key) !== undefined) return false
    book.set(key, s)
    return true
  }

  /** What is kept for `agency`, smallest size first. */
  pending (agency: string): Sighting[] {
    return [...(this.#books.peek(agency)?.values() ?? [])].sort((a, b) => a.size - b.size)
  }

  /** Forgets the sightings an audit pass compared with the public log. */
  settle (agency: string, checked: readonly Sighting[]): void {
    const book = this.#books.peek(agency)
    if (book === undefined) return
    for (const s of checked) book.delete(`${s.size}:${s.root}`)
    if (book.size === 0) this.#books.delete(agency)
  }

  /** How many sightings are kept, over all agencies. */
  get size (): number {
    let n = 0
    for (const book of this.#books.values()) n += book.size
    return n
  }
}

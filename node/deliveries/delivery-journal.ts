// The agency's delivery records, crash-safe against the log. The receiver appends a `delivery` entry and
// then records the delivery; a crash between the two would leave a logged delivery the node does not know
// (and a retry of the consent would log a second one). So before the append the journal writes a mark —
// the record to be, the entry's exact bytes and the log's size — and the record's `put` removes it. On
// start, each mark left behind is settled: if its entry is in the log (looked for from the size noted) the
// record is written with the entry's index; if not, nothing was delivered and the files committed for it
// are removed.
import type { Sublevel } from '../storage/index.js'
import type { DeliveryRecords } from './footage-keeper.js'
import type { DeliveryRecord, DeliveryStore, FootageLog, PendingDelivery } from './receiver.js'
import type { FootageVault } from './vault.js'

export interface DeliveryMark {
  pending: PendingDelivery
  /** The `delivery` entry's bytes, base64. */
  entry: string
  /** The log's size just before the append. */
  from: number
}

const toBase64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')

export class DeliveryJournal implements DeliveryRecords, DeliveryStore {
  readonly #records: Sublevel<string, DeliveryRecord>
  readonly #marks: Sublevel<string, DeliveryMark>
  readonly #log: () => FootageLog

  constructor (records: Sublevel<string, DeliveryRecord>, marks: Sublevel<string, DeliveryMark>, log: () => FootageLog) {
    this.#records = records
    this.#marks = marks
    this.#log = log
  }

  async get (consent: string): Promise<DeliveryRecord | undefined> {
    return await this.#records.get(consent)
  }

  async all (): Promise<DeliveryRecord[]> {
    return await this.#records.values().all()
  }

  async put (record: DeliveryRecord): Promise<void> {
    await this.#records.put(record.consent, record)
    await this.#marks.del(record.consent)
  }

  async intend (pending: PendingDelivery, entry: Uint8Array): Promise<void> {
    await this.#marks.put(pending.consent, { pending, entry: toBase64(entry), from: this.#log().size ?? 0 })
  }

  /** Settles the marks a crash left (see above); returns the consents recorded and those discarded. */
  async recover (vault: FootageVault): Promise<{ recorded: string[], discarded: string[] }> {
    const log = this.#log()
    const out = { recorded: [] as string[], discarded: [] as string[] }
    if (log.entry === undefined || log.size === undefined) return out
    for (const mark of await this.#marks.values().all()) {
      const consent = mark.pending.consent
      if (await this.#records.get(consent) !== undefined) { await this.#marks.del(consent); continue }
      let found: number | undefined
      for (let i = mark.from; i < log.size && found === undefined; i++) {
        if (toBase64(await log.entry(i)) === mark.entry) found = i
      }
      if (found !== undefined) {
        await this.put({ ...mark.pending, logIndex: found })
        out.recorded.push(consent)
      } else {
        for (const clip of mark.pending.clips) await vault.remove(consent, clip.cid)
        await this.#marks.del(consent)
        out.discarded.push(consent)
      }
    }
    return out
  }
}

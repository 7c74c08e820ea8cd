// The index of closed segments, in one sublevel of the node's store. Two key spaces, written in one batch so
// they never disagree: `c<NUL>camera<NUL>start` → the record (a camera's segments in time order, for
// `segments()`), and `t<NUL>start<NUL>camera` → '' (every camera's segments oldest first, for retention).
// NUL cannot occur in a camera name (the config refuses control characters); starts are zero-padded so that
// the keys sort as the numbers do.
import type { Sublevel } from '../storage/index.js'
import type { SegmentRecord } from './types.js'

const SEP = '\u0000'
const pad = (ms: number): string => String(Math.max(0, Math.floor(ms))).padStart(16, '0')
const byCamera = (camera: string, start: number): string => `c${SEP}${camera}${SEP}${pad(start)}`
const byTime = (start: number, camera: string): string => `t${SEP}${pad(start)}${SEP}${camera}`

export type SegmentIndexDb = Sublevel<string, SegmentRecord | ''>

export class SegmentIndex {
  readonly #db: SegmentIndexDb
  #bytes = 0

  private constructor (db: SegmentIndexDb) {
    this.#db = db
  }

  /** Opens the index and sums what it holds (the bytes kept, for the budget). */
  static async open (db: SegmentIndexDb): Promise<SegmentIndex> {
    const index = new SegmentIndex(db)
    for await (const record of index.all()) index.#bytes += record.bytes
    return index
  }

  /** All cameras' segments together. */
  get bytes (): number {
    return this.#bytes
  }

  async put (record: SegmentRecord): Promise<void> {
    await this.#db.batch([
      { type: 'put', key: byCamera(record.camera, record.start), value: record },
      { type: 'put', key: byTime(record.start, record.camera), value: '' }
    ])
    this.#bytes += record.bytes
  }

  async delete (record: SegmentRecord): Promise<void> {
    await this.#db.batch([
      { type: 'del', key: byCamera(record.camera, record.start) },
      { type: 'del', key: byTime(record.start, record.camera) }
    ])
    this.#bytes -= record.bytes
  }

  /** Every record, camera by camera, each camera's in time order. */
  async * all (): AsyncGenerator<SegmentRecord> {
    for await (const value of this.#db.values({ gte: `c${SEP}`, lt: `c${SEP}\uffff` })) {
      if (value !== '') yield value
    }
  }

  /** Every camera's records together, oldest first. */
  async * oldestFirst (): AsyncGenerator<SegmentRecord> {
    for await (const key of this.#db.keys({ gte: `t${SEP}`, lt: `t${SEP}\uffff` })) {
      const [, start, camera] = key.split(SEP) as [string, string, string]
      const record = await this.#db.get(byCamera(camera, Number(start)))
      if (record !== undefined && record !== '') yield record
    }
  }

  /** The camera's segments overlapping [fromMs, toMs], in time order. */
  async overlapping (camera: string, fromMs: number, toMs: number): Promise<SegmentRecord[]> {
    const prefix = `c${SEP}${camera}${SEP}`
    const found: SegmentRecord[] = []
    // The last segment starting at or before `fromMs` may still run into the range.
    for await (const value of this.#db.values({ gte: prefix, lte: byCamera(camera, fromMs), reverse: true, limit: 1 })) {
      if (value !== '' && value.end > fromMs) found.push(value)
    }
    for await (const value of this.#db.values({ gt: byCamera(camera, fromMs), lte: byCamera(camera, toMs) })) {
      if (value !== '' && value.start <= toMs) found.push(value)
    }
    return found
  }
}

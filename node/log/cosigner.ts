// The agency log's witnessing (issue 14, C2SP tlog-witness): every checkpoint the log issues goes to every
// witness the council registered, in parallel, and only a checkpoint that a quorum of them cosigned may
// travel in an announcement or a receipt.
//
// One queue per witness, each always sending the latest checkpoint (a slow witness skips the ones it missed:
// a cosignature of a later tree serves every entry of an earlier one) with the consistency proof from the
// size that witness last confirmed, or from the size it names in a 409. Each attempt has its own time limit,
// and a failed one is retried with exponential backoff; a witness that is down only delays its own queue.
// Every returned line is verified under the witness's registered key before it counts: a witness (or
// whatever sits between it and the agency) could otherwise make the agency announce a checkpoint every relay
// rejects as forged and cost the agency its peer score.
//
// The cosignatures of the newest checkpoint are stored (fsync) as they arrive, so /checkpoint serves them
// after a restart too.
import { EventEmitter } from 'node:events'
import { parseSignedNote, parseVerifierKey, verifyCosignature, openCheckpoint } from '../../protocol/tlog/index.js'
import { isPorchlightError } from '../../protocol/errors.js'
import type { Logger } from '../logging/index.js'
import type { AgencyLog, EntryProof, IssuedCheckpoint } from './agency-log.js'
import {
  InvalidWitnessAnswerError, WitnessAheadError, WitnessQuorumUnreachedError,
  WitnessTimeoutError, type WitnessFailure
} from './errors.js'
import { syncOptions } from './log-database.js'
import type { RegisteredWitness, WitnessClient, WitnessSet, WitnessSetSource } from './witness-port.js'

/** What the cosigner stores: the newest checkpoint that got any cosignature, with its lines by witness key. */
export interface StoredCosignatures {
  /** The agency-signed note. */
  note: string
  /** [verifier key, cosignature line] pairs. */
  lines: Array<[string, string]>
}

/** The store of the newest cosigned checkpoint (a json sublevel of the node's store). */
export interface CosignatureStore {
  get (key: string): Promise<StoredCosignatures | undefined>
  put (key: string, value: StoredCosignatures, options?: { sync?: boolean }): Promise<void>
}

export type AgencyLogView = Pick<AgencyLog, 'origin' | 'size' | 'latestCheckpoint' | 'checkpointCovering' | 'consistency' | 'inclusion' | 'rootAt' | 'on' | 'off'>

export interface CosignerInit {
  log: AgencyLogView
  witnessSet: WitnessSetSource
  /** A client per witness (node/witness's `witnessClient` on the node's libp2p). */
  client: (witness: RegisteredWitness) => WitnessClient
  db: CosignatureStore
  logger?: Logger
  /** Longest wait for one add-checkpoint answer. @default 2000 */
  attemptTimeoutMs?: number
  /** Longest wait in `witnessedProof` for a quorum. @default 5000 */
  quorumTimeoutMs?: number
  /** First retry delay after a failed attempt; it doubles up to `maxBackoffMs`. @default 100 */
  minBackoffMs?: number
  /** @default 5000 */
  maxBackoffMs?: number
  /** fsync stored cosignatures. @default true */
  sync?: boolean
}

/** How one add-checkpoint attempt ended (a label of the attempts metric). */
export type CosignResult = 'cosigned' | 'conflict' | 'invalid' | 'refused' | 'unreachable' | 'timeout' | 'ahead' | 'error'

export interface CosignAttempt { witness: string, size: number, result: CosignResult, ms: number }

export interface WitnessedCheckpoint {
  readonly size: number
  /** The note with every cosignature collected so far. */
  readonly note: string
  readonly quorum: number
  /** Milliseconds from the log issuing it to the quorum. */
  readonly elapsedMs: number
}

export interface CosignerEvents {
  'cosign:attempt': [CosignAttempt]
  /** A verified cosignature line was collected for the checkpoint of `size`. */
  'cosignature:added': [{ witness: string, size: number }]
  /** A line a witness returned does not verify under its registered key: not counted. */
  'cosignature:rejected': [{ witness: string, size: number, code: string }]
  /** A checkpoint reached the quorum (once per checkpoint). */
  'checkpoint:witnessed': [WitnessedCheckpoint]
}

interface Collected {
  readonly checkpoint: IssuedCheckpoint
  /** performance.now() when it was issued (or restored). */
  readonly issuedAt: number
  /** Cosignature lines by the witness's verifier key. */
  readonly lines: Map<string, string>
  witnessed: boolean
}

/** Checkpoints remembered with their cosignatures: a proof is against the first witnessed one covering its entry. */
const REMEMBERED = 64
/** 409s in a row before a witness's answer counts as a failed attempt (a witness changing its mind in a loop). */
const MAX_CONFLICTS = 3
const STORE_KEY = 'latest'

const resultOf = (err: unknown): CosignResult => {
  const code = isPorchlightError(err) ? err.code : ''
  switch (code) {
    case 'WITNESS_TIMEOUT': return 'timeout'
    case 'WITNESS_UNREACHABLE': return 'unreachable'
    case 'WITNESS_REFUSED': return 'refused'
    case 'INVALID_WITNESS_ANSWER': return 'invalid'
    case 'WITNESS_AHEAD': return 'ahead'
    default: return 'error'
  }
}

const codeOf = (err: unknown): string => isPorchlightError(err) ? err.code : 'INTERNAL'

export class Cosigner extends EventEmitter<CosignerEvents> {
  readonly #init: CosignerInit
  readonly #log: AgencyLogView
  readonly #collected = new Map<number, Collected>()
  readonly #queues = new Map<string, WitnessQueue>()
  #set: WitnessSet = { quorum: 0, witnesses: [] }
  #persisting: Promise<void> = Promise.resolve()
  #persistedSize = -1
  #stopped = false
  readonly #onIssued = (cp: IssuedCheckpoint): void => { this.#track(cp); void this.#send(cp) }

  private constructor (init: CosignerInit) {
    super()
    this.#init = init
    this.#log = init.log
  }

  /** Restores the stored cosignatures, then sends the latest checkpoint and every later one to the witnesses. */
  static async start (init: CosignerInit): Promise<Cosigner> {
    const cosigner = new Cosigner(init)
    await cosigner.#restore()
    init.log.on('checkpoint:issued', cosigner.#onIssued)
    cosigner.#onIssued(init.log.latestCheckpoint)
    return cosigner
  }

  /** The latest checkpoint with every cosignature line collected for it: what /checkpoint serves. */
  get checkpointNote (): string {
    const latest = this.#log.latestCheckpoint
    const c = this.#collected.get(latest.size)
    return c !== undefined && c.checkpoint.note === latest.note ? this.#note(c) : latest.note
  }

  /**
   * The inclusion proof of entry `index` against the first checkpoint covering it that a quorum of the
   * registered witnesses cosigned, the note carrying every cosignature collected for it. Issues a covering
   * checkpoint at once if there is none; waits at most `quorumTimeoutMs`, then throws
   * WitnessQuorumUnreachedError (also at once when the council has set no quorum).
   */
  async witnessedProof (index: number): Promise<EntryProof> {
    const set = await this.#refreshSet()
    if (set.quorum === 0) throw new WitnessQuorumUnreachedError({ required: 0, cosigned: 0, witnesses: [], index })
    await this.#log.checkpointCovering(index)
    const found = await this.#waitForQuorum(index, set)
    return { index, checkpoint: this.#note(found), proof: await this.#log.inclusion(index, found.checkpoint.size) }
  }

  /** Each registered witness's state: what it last confirmed and why its last attempt failed (for health pages). */
  witnesses (): Array<{ name: string, confirmedSize: number, lastError: string | undefined }> {
    return [...this.#queues.values()].map((q) => ({ name: q.witness.name, confirmedSize: q.confirmedSize, lastError: q.lastError }))
  }

  async stop (): Promise<void> {
    this.#stopped = true
    this.#log.off('checkpoint:issued', this.#onIssued)
    for (const q of this.#queues.values()) q.stop()
    await Promise.all([...this.#queues.values()].map(async (q) => { await q.idle() }))
    this.#queues.clear()
    await this.#persisting
  }

  #track (cp: IssuedCheckpoint): void {
    if (cp.size === 0 || this.#collected.has(cp.size)) return
    this.#collected.set(cp.size, { checkpoint: cp, issuedAt: performance.now(), lines: new Map(), witnessed: false })
    // Sizes arrive in increasing order, so the map's first key is the oldest.
    while (this.#collected.size > REMEMBERED) this.#collected.delete(this.#collected.keys().next().value!)
  }

  async #send (cp: IssuedCheckpoint): Promise<void> {
    // The empty tree says nothing worth a witness's signature, and no entry needs it.
    if (cp.size === 0) return
    try { await this.#refreshSet() } catch (err) {
      // The chain is unreachable: the witnesses last read still get it.
      this.#init.logger?.warn({ err, component: 'cosigner' }, 'cosigner: could not read the witness set')
    }
    for (const q of this.#queues.values()) q.offer(cp)
  }

  /** Reads the set (the chain client caches it) and keeps one queue per registered witness. */
  async #refreshSet (): Promise<WitnessSet> {
    const set = await this.#init.witnessSet()
    if (this.#stopped) return set
    this.#set = set
    const keys = new Set<string>()
    for (const witness of set.witnesses) {
      const key = JSON.stringify([witness.name, witness.vkey, witness.url, witness.multiaddr])
      keys.add(key)
      if (this.#queues.has(key)) continue
      let publicKey: Uint8Array
      try { publicKey = parseVerifierKey(witness.vkey).publicKey } catch (err) {
        this.#init.logger?.warn({ err, witness: witness.name, component: 'cosigner' }, 'cosigner: a registered witness key does not parse; skipped')
        continue
      }
      const q = new WitnessQueue(this, witness, publicKey)
      this.#queues.set(key, q)
      // A witness registered since the last checkpoint gets that one now rather than at the next.
      const latest = this.#log.latestCheckpoint
      if (latest.size > 0) q.offer(latest)
    }
    for (const [key, q] of this.#queues) if (!keys.has(key)) { q.stop(); this.#queues.delete(key) }
    return set
  }

  /** The witnesses of `set` that cosigned `c`. */
  #count (c: Collected, set: WitnessSet): number {
    return set.witnesses.filter((w) => c.lines.has(w.vkey)).length
  }

  // Registered witnesses' lines in registration order, then any from witnesses since removed.
  #note (c: Collected): string {
    const registered = this.#set.witnesses.map((w) => c.lines.get(w.vkey)).filter((l) => l !== undefined)
    const others = [...c.lines].filter(([vkey]) => !this.#set.witnesses.some((w) => w.vkey === vkey)).map(([, l]) => l)
    return c.checkpoint.note + registered.join('') + others.join('')
  }

  #firstWitnessed (index: number, set: WitnessSet): Collected | undefined {
    for (const c of this.#collected.values()) if (c.checkpoint.size > index && this.#count(c, set) >= set.quorum) return c
    return undefined
  }

  async #waitForQuorum (index: number, set: WitnessSet): Promise<Collected> {
    return await new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.#firstWitnessed(index, set)
        if (found === undefined) return
        cleanup()
        resolve(found)
      }
      const timer = setTimeout(() => { cleanup(); reject(this.#unreached(index, set)) }, this.#init.quorumTimeoutMs ?? 5000)
      const cleanup = (): void => { clearTimeout(timer); this.off('cosignature:added', check) }
      this.on('cosignature:added', check)
      check()
    })
  }

  #unreached (index: number, set: WitnessSet): WitnessQuorumUnreachedError {
    const covering = [...this.#collected.values()].filter((c) => c.checkpoint.size > index)
    const best = covering.reduce<Collected | undefined>((a, c) => a === undefined || this.#count(c, set) > this.#count(a, set) ? c : a, undefined)
    const failures: WitnessFailure[] = set.witnesses
      .filter((w) => best?.lines.has(w.vkey) !== true)
      .map((w) => ({ name: w.name, error: [...this.#queues.values()].find((q) => q.witness === w || q.witness.vkey === w.vkey)?.lastError ?? 'NO_ANSWER' }))
    return new WitnessQuorumUnreachedError({ required: set.quorum, cosigned: best === undefined ? 0 : this.#count(best, set), witnesses: failures, index })
  }

  /** A queue's verified line for `cp`. */
  added (witness: RegisteredWitness, cp: IssuedCheckpoint, line: string): void {
    const c = this.#collected.get(cp.size)
    if (c === undefined || c.checkpoint.note !== cp.note) return
    c.lines.set(witness.vkey, line)
    this.#persist(c)
    this.emit('cosignature:added', { witness: witness.name, size: cp.size })
    if (!c.witnessed && this.#set.quorum > 0 && this.#count(c, this.#set) >= this.#set.quorum) {
      c.witnessed = true
      this.emit('checkpoint:witnessed', { size: cp.size, note: this.#note(c), quorum: this.#set.quorum, elapsedMs: performance.now() - c.issuedAt })
    }
  }

  /** Emits for the metrics and logs a witness's failure when it changes (not on every retry). */
  attempted (attempt: CosignAttempt, err?: unknown, previous?: string): void {
    this.emit('cosign:attempt', attempt)
    if (err !== undefined && codeOf(err) !== previous) {
      this.#init.logger?.warn({ err, witness: attempt.witness, size: attempt.size, component: 'cosigner' }, 'cosigner: a witness did not cosign')
    }
  }

  rejected (witness: RegisteredWitness, size: number, err: unknown): void {
    this.#init.logger?.warn({ err, witness: witness.name, size, component: 'cosigner' }, 'cosigner: a witness returned a cosignature that does not verify; not counted')
    this.emit('cosignature:rejected', { witness: witness.name, size, code: codeOf(err) })
  }

  get log (): AgencyLogView { return this.#log }
  get init (): CosignerInit { return this.#init }
  get stopped (): boolean { return this.#stopped }

  #persist (c: Collected): void {
    if (c.checkpoint.size < this.#persistedSize) return
    this.#persistedSize = c.checkpoint.size
    const value: StoredCosignatures = { note: c.checkpoint.note, lines: [...c.lines] }
    this.#persisting = this.#persisting
      .then(async () => { await this.#init.db.put(STORE_KEY, value, syncOptions(this.#init.sync ?? true)) })
      .catch((err: unknown) => { this.#init.logger?.error({ err, component: 'cosigner' }, 'cosigner: storing cosignatures failed') })
  }

  // A stored record that is not of this log's tree (another key, a size past the tree, another root) is
  // dropped: serving it would put someone else's cosignatures on this log's checkpoint.
  async #restore (): Promise<void> {
    const stored = await this.#init.db.get(STORE_KEY)
    if (stored === undefined) return
    try {
      const { checkpoint } = openCheckpoint(stored.note, this.#log.origin)
      if (checkpoint.size === 0 || checkpoint.size > this.#log.size) throw new Error('size outside the tree')
      const root = await this.#log.rootAt(checkpoint.size)
      if (root.some((b, i) => b !== checkpoint.root[i])) throw new Error('another root')
      const text = parseSignedNote(stored.note).text
      const lines = new Map<string, string>()
      for (const [vkey, line] of stored.lines) {
        const { name, publicKey } = parseVerifierKey(vkey)
        verifyCosignature({ name, publicKey, checkpoint: text, cosignature: line })
        lines.set(vkey, line)
      }
      this.#collected.set(checkpoint.size, { checkpoint: { size: checkpoint.size, root: checkpoint.root, note: stored.note }, issuedAt: performance.now(), lines, witnessed: false })
      this.#persistedSize = checkpoint.size
    } catch (err) {
      this.#init.logger?.error({ err, component: 'cosigner' }, 'cosigner: the stored cosignatures are not of this log; ignored')
    }
  }
}

/** One witness's queue: at most one attempt in flight, always for the latest checkpoint offered. */
class WitnessQueue {
  readonly witness: RegisteredWitness
  readonly #publicKey: Uint8Array
  readonly #cosigner: Cosigner
  readonly #client: WitnessClient
  readonly #stop = new AbortController()
  /** The size the witness last confirmed: one it cosigned, or the one it named in a 409. */
  confirmedSize = 0
  /** The code of the last failed attempt; cleared by a cosignature. */
  lastError: string | undefined
  #cosignedSize = 0
  #wanted: IssuedCheckpoint | undefined
  #running: Promise<void> | undefined
  #backoffMs = 0

  constructor (cosigner: Cosigner, witness: RegisteredWitness, publicKey: Uint8Array) {
    this.#cosigner = cosigner
    this.witness = witness
    this.#publicKey = publicKey
    this.#client = cosigner.init.client(witness)
  }

  offer (cp: IssuedCheckpoint): void {
    if (this.#wanted === undefined || cp.size > this.#wanted.size) this.#wanted = cp
    this.#running ??= this.#run().finally(() => { this.#running = undefined })
  }

  stop (): void { this.#stop.abort() }

  async idle (): Promise<void> { await this.#running }

  async #run (): Promise<void> {
    let conflicts = 0
    // Work while there is a checkpoint this witness has not cosigned and could still cosign.
    while (!this.#stop.signal.aborted) {
      const cp = this.#wanted
      if (cp === undefined || cp.size <= this.#cosignedSize || cp.size < this.confirmedSize) return
      const started = performance.now()
      const previous = this.lastError
      try {
        const answer = await this.#attempt(cp)
        const ms = performance.now() - started
        if (answer.status === 'conflict') {
          if (answer.latestSize > this.#cosigner.log.size) throw new WitnessAheadError(this.witness.name, answer.latestSize, this.#cosigner.log.size)
          this.confirmedSize = answer.latestSize
          this.#cosigner.attempted({ witness: this.witness.name, size: cp.size, result: 'conflict', ms })
          if (++conflicts > MAX_CONFLICTS) throw new InvalidWitnessAnswerError(this.witness.name, 'conflict after conflict', { latestSize: answer.latestSize })
          continue
        }
        conflicts = 0
        const line = this.#verified(cp, answer.cosignatures)
        this.confirmedSize = cp.size
        this.#cosignedSize = cp.size
        this.lastError = undefined
        this.#backoffMs = 0
        this.#cosigner.attempted({ witness: this.witness.name, size: cp.size, result: 'cosigned', ms })
        this.#cosigner.added(this.witness, cp, line)
      } catch (err) {
        if (this.#stop.signal.aborted) return
        conflicts = 0
        this.lastError = codeOf(err)
        this.#cosigner.attempted({ witness: this.witness.name, size: cp.size, result: resultOf(err), ms: performance.now() - started }, err, previous)
        const { minBackoffMs = 100, maxBackoffMs = 5000 } = this.#cosigner.init
        this.#backoffMs = Math.min(maxBackoffMs, this.#backoffMs === 0 ? minBackoffMs : this.#backoffMs * 2)
        await this.#sleep(this.#backoffMs)
      }
    }
  }

  async #attempt (cp: IssuedCheckpoint): Promise<{ status: 'cosigned', cosignatures: string[] } | { status: 'conflict', latestSize: number }> {
    const oldSize = this.confirmedSize
    const proof = oldSize === 0 ? [] : await this.#cosigner.log.consistency(oldSize, cp.size)
    const timeoutMs = this.#cosigner.init.attemptTimeoutMs ?? 2000
    const timeout = new AbortController()
    const timer = setTimeout(() => { timeout.abort(new WitnessTimeoutError(this.witness.name, timeoutMs)) }, timeoutMs)
    const signal = AbortSignal.any([timeout.signal, this.#stop.signal])
    try {
      // A client that ignores its signal still loses the race: the queue must never hang on one witness.
      return await Promise.race([
        this.#client.addCheckpoint({ oldSize, proof, checkpoint: cp.note }, { signal }),
        new Promise<never>((_resolve, reject) => {
          const fail = (): void => { reject(signal.reason) }
          if (signal.aborted) fail(); else signal.addEventListener('abort', fail, { once: true })
        })
      ])
    } finally {
      clearTimeout(timer)
    }
  }

  /** The first returned line that verifies under the witness's key; every other one is reported. */
  #verified (cp: IssuedCheckpoint, lines: string[]): string {
    const text = parseSignedNote(cp.note).text
    let found: string | undefined
    for (const raw of Array.isArray(lines) ? lines : []) {
      const line = typeof raw === 'string' && !raw.endsWith('\n') ? `${raw}\n` : raw
      try {
        verifyCosignature({ name: this.witness.name, publicKey: this.#publicKey, checkpoint: text, cosignature: line })
        found ??= line
      } catch (err) {
        this.#cosigner.rejected(this.witness, cp.size, err)
      }
    }
    if (found === undefined) throw new InvalidWitnessAnswerError(this.witness.name, 'no line verifies under its registered key', { lines: Array.isArray(lines) ? lines.length : 0 })
    return found
  }

  async #sleep (ms: number): Promise<void> {
    const signal = this.#stop.signal
    await new Promise<void>((resolve) => {
      const done = (): void => { clearTimeout(timer); signal.removeEventListener('abort', done); resolve() }
      const timer = setTimeout(done, ms)
      signal.addEventListener('abort', done)
    })
  }
}

// A C2SP tlog-witness for Porchlight logs. For each origin it keeps the latest checkpoint it cosigned and
// cosigns a new one only when it verifies under the agency's key and a consistency proof shows it extends
// that one, so it never cosigns two trees of one log that disagree: two views of a log cannot both gather
// a quorum of honest witnesses. The check of the stored size and the write of the new one happen under a
// per-origin lock (C2SP's rollback race), and the write is synced to disk before the cosignature leaves.
import { EventEmitter } from 'node:events'
import { isPorchlightError } from '../../protocol/errors.js'
import {
  checkpointKeyId, encodeVerifierKey, equalHashes, formatSignedNote, openCheckpoint, parseAddCheckpoint,
  parseCheckpointOrigin, parseSignedNote, parseSignatureLine, verifyConsistency
} from '../../protocol/tlog/index.js'
import { decodeBase64, encodeBase64 } from '../../protocol/tlog/base64.js'
import { nodeCosignatureSigner, nodeSignerRecovery, type CosignatureSigner } from '../crypto/index.js'
import type { Logger } from '../logging/index.js'
import {
  ConflictingRootError, InconsistentCheckpointError, OldSizeConflictError, OldSizeTooLargeError, TooManyOriginsError,
  UnknownOriginError, UnverifiedCheckpointError
} from './errors.js'

/** How an add-checkpoint ended, as /metrics counts it. `failed` is the witness's own fault (its disk, its chain). */
export type AddCheckpointResult = 'cosigned' | 'conflict' | 'inconsistent' | 'unknown-origin' | 'bad-signature' | 'malformed' | 'failed'

/** What the witness keeps per origin: the latest checkpoint it cosigned. */
export interface WitnessRecord {
  size: number
  /** Base64 root hash. */
  root: string
  /** The checkpoint note with the agency's signature lines and this witness's cosignature. */
  note: string
}

/** The store the witness writes (a `json` sublevel of the node's level database). */
export interface WitnessDatabase {
  get (origin: string): Promise<WitnessRecord | undefined>
  batch (operations: Array<{ type: 'put', key: string, value: WitnessRecord }>, options: { sync: boolean }): Promise<void>
  keys (): AsyncIterable<string>
}

interface QueuedWrite {
  origin: string
  record: WitnessRecord
  resolve: () => void
  reject: (err: unknown) => void
}

export interface WitnessInit {
  /** Its signed-note key name. */
  name: string
  /** Its 32-byte Ed25519 secret key. */
  secretKey: Uint8Array
  /** The chain whose agencies' logs it witnesses: origins `porchlight.<chainId>/…` only. */
  chainId: number
  db: WitnessDatabase
  /** With a chain: whether the agency is registered there (any status but none). Without: any agency. */
  isRegistered?: (agency: string) => Promise<boolean>
  /** Most origins it keeps state for. @default 10000 */
  maxOrigins?: number
  /** Unix ms. @default Date.now */
  now?: () => number
  logger?: Logger
}

export interface AddCheckpointAnswered {
  result: AddCheckpointResult
  /** The error's code, or 'COSIGNED'. */
  code: string
  origin?: string
  size?: number
}

export interface WitnessEvents {
  'checkpoint:answered': [AddCheckpointAnswered]
  /** The new state is on disk and the cosignature not yet returned (crash tests stop the process here). */
  'checkpoint:stored': [{ origin: string, size: number }]
}

export const DEFAULT_MAX_ORIGINS = 10_000

function resultOf (err: unknown): AddCheckpointResult {
  if (!isPorchlightError(err)) return 'failed'
  switch (err.code) {
    case UnknownOriginError.code: case TooManyOriginsError.code: return 'unknown-origin'
    case UnverifiedCheckpointError.code: return 'bad-signature'
    case OldSizeConflictError.code: case ConflictingRootError.code: return 'conflict'
    case InconsistentCheckpointError.code: return 'inconsistent'
    default: return err.status !== undefined && err.status < 500 ? 'malformed' : 'failed'
  }
}

export class Witness extends EventEmitter<WitnessEvents> {
  readonly name: string
  readonly publicKey: Uint8Array
  /** Its C2SP verifier key, what the council registers. */
  readonly vkey: string
  readonly chainId: number
  readonly maxOrigins: number
  readonly #init: WitnessInit
  readonly #busy = new Map<string, Promise<unknown>>()
  readonly #signer: CosignatureSigner
  readonly #recover = nodeSignerRecovery()
  /** Records waiting for the synced batch after the one being written. */
  #queued: QueuedWrite[] = []
  #writing = false
  #origins: number

  private constructor (init: WitnessInit, origins: number) {
    super()
    this.#init = init
    this.name = init.name
    this.#signer = nodeCosignatureSigner(init.name, init.secretKey)
    this.publicKey = this.#signer.publicKey
    this.vkey = encodeVerifierKey(init.name, this.publicKey)
    this.chainId = init.chainId
    this.maxOrigins = init.maxOrigins ?? DEFAULT_MAX_ORIGINS
    this.#origins = origins
  }

  /** Opens the witness on its store (counting the origins it already follows). */
  static async open (init: WitnessInit): Promise<Witness> {
    let origins = 0
    for await (const _ of init.db.keys()) origins++
    return new Witness(init, origins)
  }

  /** How many origins it keeps state for. */
  get origins (): number { return this.#origins }

  /**
   * Answers a C2SP `add-checkpoint` body with this witness's cosignature line(s), each ending in a newline,
   * once the checkpoint is stored as the origin's latest. Every refusal is a typed error (errors.ts) and
   * changes nothing.
   */
  async addCheckpoint (body: string): Promise<string[]> {
    const answered: Omit<AddCheckpointAnswered, 'result' | 'code'> = {}
    try {
      const lines = await this.#add(body, answered)
      this.emit('checkpoint:answered', { result: 'cosigned', code: 'COSIGNED', ...answered })
      return lines
    } catch (err) {
      const result = resultOf(err)
      const code = isPorchlightError(err) ? err.code : 'INTERNAL'
      const log = this.#init.logger
      // A root or proof that disagrees with what was cosigned is evidence of a split view: kept in the log.
      if (result === 'conflict' || result === 'inconsistent') log?.warn({ err, ...answered, checkpoint: body.slice(body.indexOf('\n\n') + 2) }, 'witness: refused a checkpoint inconsistent with the one cosigned')
      else if (result === 'failed') log?.error({ err, ...answered }, 'witness: add-checkpoint failed')
      else log?.info({ code, ...answered }, 'witness: refused add-checkpoint')
      this.emit('checkpoint:answered', { result, code, ...answered })
      throw err
    }
  }

  /** The latest checkpoint it cosigned for `origin`, with its cosignature line, or undefined. */
  async latest (origin: string): Promise<string | undefined> {
    return (await this.#init.db.get(origin))?.note
  }

  async #add (body: string, answered: { origin?: string, size?: number }): Promise<string[]> {
    const request = parseAddCheckpoint(body)
    const { origin, size, root } = request.parsed
    answered.origin = origin
    answered.size = size
    const agency = await this.#agencyOf(origin)
    try {
      // Native recovery and OpenSSL signing below: the two signatures are most of an answer's cost (docs/witness.md).
      openCheckpoint(request.checkpoint, origin, this.#recover)
    } catch (cause) {
      if (!isPorchlightError(cause)) throw cause
      throw new UnverifiedCheckpointError(origin, { cause })
    }
    if (request.oldSize > size) throw new OldSizeTooLargeError(request.oldSize, size)
    return await this.#exclusive(origin, async () => {
      const latest = await this.#init.db.get(origin)
      const latestSize = latest?.size ?? 0
      if (request.oldSize !== latestSize) throw new OldSizeConflictError(latestSize, request.oldSize)
      if (latest === undefined) {
        if (this.#origins >= this.maxOrigins) throw new TooManyOriginsError(origin, this.maxOrigins)
      } else {
        const latestRoot = decodeBase64(latest.root)!
        if (size === latest.size && !equalHashes(root, latestRoot)) throw new ConflictingRootError(latest.size, origin)
        try {
          verifyConsistency(latest.size, size, request.proof, latestRoot, root)
        } catch (cause) {
          throw new InconsistentCheckpointError(origin, latest.size, size, { cause })
        }
      }
      const line = this.#signer.sign(request.text, Math.floor((this.#init.now ?? Date.now)() / 1000))
      // What an auditor reads back: the agency's own lines (others' cosignatures are not this witness's to vouch for) and this one.
      const keyId = checkpointKeyId(origin, agency)
      const agencyLines = parseSignedNote(request.checkpoint).signatures.filter((s) => s.name === origin && s.keyId === keyId)
      const note = formatSignedNote({ text: request.text, signatures: [...agencyLines, parseSignatureLine(line.slice(0, -1))] })
      // Counted before the write, so fresh origins racing each other cannot pass the bound together.
      if (latest === undefined) this.#origins++
      try {
        await this.#store(origin, { size, root: encodeBase64(root), note })
      } catch (err) {
        if (latest === undefined) this.#origins--
        throw err
      }
      this.emit('checkpoint:stored', { origin, size })
      return [line]
    })
  }

  /**
   * Writes `record` in a synced batch and resolves once it is on disk. Group commit: records that arrive
   * while a batch is being synced go together in the next one, so concurrent logs share an fsync, where
   * LevelDB alone grouped only the few writes its worker threads had waiting (656 fsyncs for 1,000 answers
   * in the bench). Each origin has at most one record in flight (its lock is held until it is written).
   */
  async #store (origin: string, record: WitnessRecord): Promise<void> {
    const written = new Promise<void>((resolve, reject) => { this.#queued.push({ origin, record, resolve, reject }) })
    if (!this.#writing) void this.#flush()
    await written
  }

  async #flush (): Promise<void> {
    this.#writing = true
    while (this.#queued.length > 0) {
      const batch = this.#queued
      this.#queued = []
      try {
        await this.#init.db.batch(batch.map(({ origin, record }) => ({ type: 'put', key: origin, value: record })), { sync: true })
        for (const { resolve } of batch) resolve()
      } catch (err) {
        for (const { reject } of batch) reject(err)
      }
    }
    this.#writing = false
  }

  /** The agency of a Porchlight origin this witness follows, or UnknownOriginError. */
  async #agencyOf (origin: string): Promise<string> {
    let named: { chainId: bigint, agency: string }
    try { named = parseCheckpointOrigin(origin) } catch { throw new UnknownOriginError(origin, 'not a Porchlight origin') }
    if (named.chainId !== BigInt(this.chainId)) throw new UnknownOriginError(origin, 'another chain')
    const registered = this.#init.isRegistered
    if (registered !== undefined && !(await registered(named.agency))) throw new UnknownOriginError(origin, 'agency not registered')
    return named.agency
  }

  /** Runs `fn` after every earlier call for `origin` settled: one add-checkpoint per origin at a time. */
  async #exclusive<T> (origin: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#busy.get(origin)
    const run = previous === undefined ? fn() : previous.then(fn)
    const settled = run.then(() => {}, () => {})
    this.#busy.set(origin, settled)
    try { return await run } finally {
      if (this.#busy.get(origin) === settled) this.#busy.delete(origin)
    }
  }
}

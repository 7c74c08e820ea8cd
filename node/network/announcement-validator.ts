// The gossip topic validator every node runs on the request topics (docs/design.md §2 step 3). Checks run cheapest
// first — size, strict decoding, limits and expiry, what this node already knows, the topic — so most bad
// messages cost no RPC and no signature recovery; then the witness set (read whole, cached by the ChainClient),
// the EIP-712 signature, the agency's signed checkpoint, the log inclusion proof and the witnesses'
// cosignatures on that checkpoint (a quorum of the set, made near `issuedAt`); last the agency's registry
// record and its jurisdiction. The record is last because it is the one read per address: an announcement
// may name any agency, so a record read before the signatures let junk cost one chain call per item (issue 15).
// Reject lowers the sender's gossipsub score; Ignore (duplicate, stale, registry or witness set unreachable,
// no quorum set by the council) does not.
import {
  LIMITS, checkRequestLimits, checkWitnessQuorum, cosignatureWindow, decodeAnnouncement, encode, fromHex, toHex, hashLeaf, messageId, isInsideJurisdiction, isPorchlightError,
  NotYetValidError, ExpiredError, openCheckpoint, checkpointOrigin,
  topicCells, topicName, verifyInclusion, PorchlightError, InvalidProofError, SignatureVerifier,
  type Announcement, type Domain, type LogEntry, type Request, type Verification, type WitnessSet, type WitnessVerification, type Ed25519Verify
} from '../../protocol/index.js'
import type { AgencyInfo } from '../chain/index.js'
import {
  AgencyNotActiveError, DuplicateAnnouncementError, OutsideJurisdictionError, RegistryUnavailableError,
  RequestWithdrawnError, StaleAnnouncementError, WithdrawalMismatchError, WitnessSetUnavailableError, WrongTopicError
} from './errors.js'
import { nodeSigningBackend, verifyEd25519Native } from '../crypto/index.js'

/** What the validator reads from the registry; ChainClient has it (and caches it per agency). */
export interface AgencyRegistryView {
  agencyInfo (agency: string): Promise<AgencyInfo>
  /**
   * The council's witnesses and quorum (WitnessRegistry). A registry without it can vouch for no checkpoint:
   * every announcement is then ignored.
   */
  witnessSet? (): Promise<WitnessSet>
}

/** What the validator reads of this node's state (LiveRequests has it). */
export interface AnnouncementState {
  /**
   * Whether an accepted announcement (request or withdrawal) with this id is held; given a gossip topic,
   * whether it was accepted on that topic (one request travels on each of its topics and must be forwarded
   * on each: a copy on a topic not yet seen is validated and forwarded again).
   */
  has (id: string, topic?: string): boolean
  /** Whether the request with this id has been withdrawn. */
  isWithdrawn (requestId: string): boolean
  /** A live request by id. */
  request (requestId: string): Request | undefined
}

/** What was checked, kept with the request so a resident can see why it is shown (the API sends it as is). */
export type { Verification }

export interface ValidatedAnnouncement {
  /** The gossip message id: the request's or the withdrawal's id. */
  id: string
  /** The request this is about (its own id for a request; the withdrawn one for a withdrawal). */
  requestId: string
  /** The bytes as received, to answer catch-up with exactly them. */
  bytes: Uint8Array
  announcement: Announcement
  /** The res-7 cells the request's area touches (a withdrawal of an unknown request: none). */
  topicCells: string[]
  verification: Verification
}

export type ValidationResult = 'accept' | 'reject' | 'ignore'

export type ValidationOutcome =
  | { result: 'accept', announcement: ValidatedAnnouncement }
  | { result: 'reject' | 'ignore', error: PorchlightError, id?: string }

/** Where an announcement came from: a gossip topic, or a catch-up answer for these res-7 cells. */
export interface Arrival {
  topic?: string
  cells?: readonly string[]
}

export interface AnnouncementValidatorInit {
  registry: AgencyRegistryView
  /** The EIP-712 domain (chain id, AgencyRegistry address). */
  domain: Domain
  state: AnnouncementState
  /** Unix seconds. @default the system clock */
  now?: () => number
  /** The Ed25519 check of witness cosignatures. @default OpenSSL's (node:crypto), verifyEd25519Native */
  verifyEd25519?: Ed25519Verify
  /**
   * The secp256k1 checks of requests, withdrawals and checkpoints. @default libsecp256k1 with native Keccak,
   * keeping the agencies' keys (issue 22)
   */
  signatures?: SignatureVerifier
}

// NoWitnessQuorumError: the council has set no quorum yet, which is no fault of the sender.
const ignorable = new Set(['DuplicateAnnouncementError', 'StaleAnnouncementError', 'RegistryUnavailableError', 'WitnessSetUnavailableError', 'NoWitnessQuorumError'])

export class AnnouncementValidator {
  readonly #registry: AgencyRegistryView
  readonly #domain: Domain
  readonly #state: AnnouncementState
  readonly #now: () => number
  readonly #verify: Ed25519Verify
  readonly #signatures: SignatureVerifier

  constructor (init: AnnouncementValidatorInit) {
    this.#registry = init.registry
    this.#domain = init.domain
    this.#state = init.state
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
    this.#verify = init.verifyEd25519 ?? verifyEd25519Native
    this.#signatures = init.signatures ?? new SignatureVerifier({ backend: nodeSigningBackend() })
  }

  /** Validates one announcement; never throws — every failure is an outcome with its typed error. */
  async validate (bytes: Uint8Array, arrival: Arrival = {}): Promise<ValidationOutcome> {
    let id: string | undefined
    try {
      const announcement = decodeAnnouncement(bytes)
      // Decoded strictly, so its parts are valid messages: their canonical bytes need no second check (the
      // codecs' encode would walk the shapes again, per message: issue 22).
      id = messageId(encode(announcement.kind === 'request' ? announcement.request : announcement.withdrawal))
      const validated = announcement.kind === 'request'
        ? await this.#validateRequest(announcement, id, bytes, arrival)
        : await this.#validateWithdrawal(announcement, id, bytes, arrival)
      return { result: 'accept', announcement: validated }
    } catch (err) {
      const error = isPorchlightError(err) ? err : new PorchlightError('INTERNAL', 'validation failed', { cause: err })
      return { result: ignorable.has(error.name) ? 'ignore' : 'reject', error, ...(id === undefined ? {} : { id }) }
    }
  }

  async #validateRequest (a: Extract<Announcement, { kind: 'request' }>, id: string, bytes: Uint8Array, arrival: Arrival): Promise<ValidatedAnnouncement> {
    const request = a.request.message
    const now = this.#now()
    try {
      checkRequestLimits(request, now)
    } catch (err) {
      // Expired moments ago: an honest relay's clock may differ from ours by that much.
      if (err instanceof ExpiredError && now - request.expiresAt < LIMITS.clockSkewSeconds) throw new StaleAnnouncementError({ id, expiresAt: request.expiresAt, now })
      throw err
    }
    if (this.#state.isWithdrawn(id)) throw new RequestWithdrawnError({ request: id })
    if (this.#state.has(id, arrival.topic)) throw new DuplicateAnnouncementError({ id })
    const cells = topicCells(request.cells)
    checkArrival(cells, arrival)
    const set = await this.#witnessSet()
    const signer = this.#signatures.verify('Request', a.request, this.#domain)
    const log = this.#checkLogged({ kind: 'request', request: a.request }, request.agency, a)
    const witnesses = this.#checkWitnesses(a.checkpoint, set, request.issuedAt)
    const info = await this.#agencyInfo(request.agency)
    if (info.status !== 'active' || now > info.validUntil) throw new AgencyNotActiveError({ agency: request.agency, status: info.status, validUntil: info.validUntil })
    if (!isInsideJurisdiction(request.cells, info.cells)) throw new OutsideJurisdictionError({ agency: request.agency })
    return { id, requestId: id, bytes, announcement: a, topicCells: cells, verification: this.#verification(signer, info, log, witnesses, now) }
  }

  async #validateWithdrawal (a: Extract<Announcement, { kind: 'withdraw' }>, id: string, bytes: Uint8Array, arrival: Arrival): Promise<ValidatedAnnouncement> {
    const withdrawal = a.withdrawal.message
    const now = this.#now()
    if (withdrawal.issuedAt > now + LIMITS.clockSkewSeconds) {
      throw new NotYetValidError({ field: 'withdrawal.issuedAt', limit: now + LIMITS.clockSkewSeconds, value: withdrawal.issuedAt })
    }
    // Another withdrawal of a request already withdrawn adds nothing: a duplicate too.
    if (this.#state.has(id, arrival.topic) || (!this.#state.has(id) && this.#state.isWithdrawn(withdrawal.request))) throw new DuplicateAnnouncementError({ id })
    const request = this.#state.request(withdrawal.request)
    let cells: string[] = []
    if (request !== undefined) {
      if (request.agency !== withdrawal.agency) throw new WithdrawalMismatchError({ request: withdrawal.request, agency: withdrawal.agency, requestAgency: request.agency })
      cells = topicCells(request.cells)
      checkArrival(cells, arrival)
    }
    const set = await this.#witnessSet()
    const signer = this.#signatures.verify('Withdrawal', a.withdrawal, this.#domain)
    const log = this.#checkLogged({ kind: 'withdraw', withdrawal: a.withdrawal }, withdrawal.agency, a)
    const witnesses = this.#checkWitnesses(a.checkpoint, set, withdrawal.issuedAt)
    // A suspended or revoked agency may still take a request back: withdrawing only narrows what it asked.
    const info = await this.#agencyInfo(withdrawal.agency)
    if (info.status === 'none') throw new AgencyNotActiveError({ agency: withdrawal.agency, status: info.status })
    return { id, requestId: withdrawal.request, bytes, announcement: a, topicCells: cells, verification: this.#verification(signer, info, log, witnesses, now) }
  }

  async #agencyInfo (agency: string): Promise<AgencyInfo> {
    try {
      return await this.#registry.agencyInfo(agency)
    } catch (err) {
      throw new RegistryUnavailableError(err)
    }
  }

  async #witnessSet (): Promise<WitnessSet> {
    if (this.#registry.witnessSet === undefined) throw new WitnessSetUnavailableError(new Error('the registry reads no witness set'))
    try {
      return await this.#registry.witnessSet()
    } catch (err) {
      throw new WitnessSetUnavailableError(err)
    }
  }

  /** The agency's signed checkpoint (right origin) and the inclusion proof of the entry at logIndex. */
  #checkLogged (entry: LogEntry, agency: string, a: Announcement): Verification['log'] {
    const origin = checkpointOrigin(this.#domain.chainId, agency)
    const { checkpoint } = openCheckpoint(a.checkpoint, origin, this.#signatures)
    let proof: Uint8Array[]
    try {
      proof = a.proof.map(fromHex)
    } catch (cause) {
      throw new InvalidProofError('proof hash is not hex', { field: 'proof', cause })
    }
    verifyInclusion(hashLeaf(encode(entry)), a.logIndex, checkpoint.size, proof, checkpoint.root)
    return { origin, logIndex: a.logIndex, treeSize: checkpoint.size, root: toHex(checkpoint.root) }
  }

  /** A quorum of `set` must have cosigned the checkpoint near the message's own `issuedAt`. */
  #checkWitnesses (checkpoint: string, set: WitnessSet, issuedAt: number): WitnessVerification {
    const { quorum, total, cosigned } = checkWitnessQuorum(checkpoint, set, cosignatureWindow(issuedAt), { verify: this.#verify })
    return { quorum, total, cosigned, set: set.witnesses }
  }

  #verification (signer: string, info: AgencyInfo, log: Verification['log'], witnesses: WitnessVerification, now: number): Verification {
    return { signer, agency: { name: info.name, status: info.status, validUntil: info.validUntil }, insideJurisdiction: true, log, witnesses, checkedAt: now }
  }
}

/** The topic a gossip message came on, or the cells a catch-up asked for, must be among the area's topics. */
function checkArrival (cells: string[], arrival: Arrival): void {
  const topics = cells.map(topicName)
  if (arrival.topic !== undefined && !topics.includes(arrival.topic)) throw new WrongTopicError({ topic: arrival.topic, topics })
  if (arrival.cells !== undefined && !arrival.cells.some((c) => cells.includes(c))) {
    throw new WrongTopicError({ topic: arrival.cells.join(','), topics })
  }
}

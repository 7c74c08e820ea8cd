// The agency's footage desk as a node service: receives deliveries on /porchlight/footage/1.0.0 (see
// receiver.ts), keeps what was delivered in the `deliveries` sublevel and the age files in
// `<dir>/footage/`, serves their use over HTTP (footage-keeper.ts: every access, share and deletion logged
// first), keeps the requests' retention promises (retention.ts), and honours residents' deletion requests
// on /porchlight/footage-delete/1.0.0: a request signed by the consent's own key for clips of that
// delivery; each clip's `delete` entry (with the signed request in it) is appended before its file is
// removed, so the log never claims less than happened.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  addressOfPrivateKey, decodeSignedDeletionRequest, isPorchlightError, verifySigned, type Domain, type EnvelopeCrypto, type ShareProposalView
} from '../../protocol/index.js'
import { OPERATOR } from '../api/principal.js'
import { handleRequests } from '../p2p/index.js'
import type { Sublevel } from '../storage/index.js'
import type { NodeComponents, NodeService } from '../service.js'
import type { ChainService } from '../chain/chain-service.js'
import { defaults } from '../config/index.js'
import type { AgencyRequests } from '../agency/requests-service.js'
import { requestBookOf } from '../agency/request-book.js'
import { nodeEnvelopeCrypto } from '../crypto/index.js'
import { InvalidDeletionRequestError, UnknownDeliveryError } from '../footage/errors.js'
import { AgencyNotActiveError } from '../network/errors.js'
import { DeliveryJournal, type DeliveryMark } from './delivery-journal.js'
import { FootageKeeper } from './footage-keeper.js'
import { ShareProposals } from './share-proposals.js'
import { FootageReceiver, type DeliveryRecord, type FootageLog, type FootageReceiverInit, type RequestBook } from './receiver.js'
import type { Statfs } from './delivery-limits.js'
import { RetentionJob } from './retention.js'
import { FootageVault } from './vault.js'
import { DELETION_PROTOCOL, FOOTAGE_PROTOCOL } from '../footage/wire.js'

export interface AgencyFootageInit {
  /** The agency's requests (node/agency). A function when it is only available once started. */
  book: RequestBook | (() => RequestBook)
  /** The agency's log (node/log's AgencyLog). */
  log: FootageLog | (() => FootageLog)
  /** The proof a receipt carries. @default the log's own (agency-signed) proof */
  receiptProof?: FootageLog['proof']
  /** The EIP-712 domain; a function when it is known only once the chain is (the request desk's). */
  domain: Domain | (() => Domain | undefined)
  /** Whether an address is an active registered agency (a share to one needs no legal basis). */
  isActiveAgency?: (address: string, at: number) => Promise<boolean>
  /** This agency's own registry record, cached (the receiver refuses while it is not active). */
  ownRecord?: FootageReceiverInit['ownRecord']
  /** Whom entries name when no user is given (the API always gives one: `userOf`). @default 'operator' */
  actor?: string
  /** How often the retention job runs. @default 3_600_000 (an hour) */
  retentionIntervalMs?: number
  crypto?: EnvelopeCrypto
  /** Unix seconds. @default the system clock */
  now?: () => number
  timeoutMs?: number
  /** The footage folder's free space (a test makes the disk full). @default node:fs/promises statfs */
  statfs?: Statfs
}

type Components = Pick<NodeComponents, 'config' | 'dir' | 'store' | 'libp2p' | 'keys' | 'logger'>

export class AgencyFootage implements NodeService {
  readonly #components: Components
  readonly #init: AgencyFootageInit
  readonly #now: () => number
  #receiver: FootageReceiver | undefined
  #deliveries: Sublevel<string, DeliveryRecord> | undefined
  #vault: FootageVault | undefined
  #keeper: FootageKeeper | undefined
  #proposals: ShareProposals | undefined
  #retention: RetentionJob | undefined
  #tempDir: string | undefined
  #domain: Domain | undefined

  constructor (components: Components, init: AgencyFootageInit) {
    this.#components = components
    this.#init = init
    this.#now = init.now ?? (() => Math.floor(Date.now() / 1000))
  }

  get receiver (): FootageReceiver {
    if (this.#receiver === undefined) throw new Error('AgencyFootage is not started')
    return this.#receiver
  }

  get vault (): FootageVault {
    if (this.#vault === undefined) throw new Error('AgencyFootage is not started')
    return this.#vault
  }

  /** Opens, shares and deletes delivered footage, logging each first. */
  get keeper (): FootageKeeper {
    if (this.#keeper === undefined) throw new Error('AgencyFootage is not started')
    return this.#keeper
  }

  /** Shares an investigator proposed, waiting for a supervisor. */
  get proposals (): ShareProposals {
    if (this.#proposals === undefined) throw new Error('AgencyFootage is not started')
    return this.#proposals
  }

  get retention (): RetentionJob {
    if (this.#retention === undefined) throw new Error('AgencyFootage is not started')
    return this.#retention
  }

  async start (): Promise<void> {
    const { config, dir, store, libp2p, keys } = this.#components
    if (keys.agencyKey === undefined) throw new Error('AgencyFootage needs the agency key')
    this.#tempDir = dir === undefined ? await mkdtemp(join(tmpdir(), 'porchlight-footage-')) : undefined
    this.#vault = await FootageVault.open(join(dir ?? this.#tempDir!, 'footage'))
    const deliveries = this.#deliveries = store.sublevel<string, DeliveryRecord>('deliveries', { valueEncoding: 'json' })
    const records = new DeliveryJournal(deliveries, store.sublevel<string, DeliveryMark>('delivery-marks', { valueEncoding: 'json' }), () => this.#log())
    const crypto = this.#init.crypto ?? nodeEnvelopeCrypto
    this.#keeper = new FootageKeeper({
      deliveries: records,
      vault: this.#vault,
      log: () => this.#log(),
      book: () => this.#book(),
      actor: this.#init.actor ?? OPERATOR.id,
      crypto,
      now: this.#now,
      ...(this.#init.isActiveAgency === undefined ? {} : { isActiveAgency: this.#init.isActiveAgency })
    })
    this.#proposals = new ShareProposals({
      db: store.sublevel<string, ShareProposalView>('share-proposals', { valueEncoding: 'json' }),
      keeper: () => this.keeper,
      now: this.#now
    })
    const domain = typeof this.#init.domain === 'function' ? this.#init.domain() : this.#init.domain
    // Without a chain there are no requests to deliver for, and no domain to check a consent against.
    if (domain === undefined) return
    this.#domain = domain
    // Before any new delivery: settle those a crash left between their log entry and their record.
    await records.recover(this.#vault)
    this.#receiver = new FootageReceiver({
      book: { get: async (id) => await this.#book().get(id) },
      // A receipt carries a witnessed proof where the log service gives one: the resident checks it as relays check requests.
      log: { append: async (e) => await this.#log().append(e), proof: async (i) => await (this.#init.receiptProof ?? (async (n) => await this.#log().proof(n)))(i) },
      vault: this.#vault,
      deliveries: records,
      domain,
      agencyKey: keys.agencyKey,
      crypto,
      now: this.#now,
      limits: config.footage ?? defaults.footage,
      logger: this.#components.logger.child({ component: 'footage' }),
      ...(this.#init.statfs === undefined ? {} : { statfs: this.#init.statfs }),
      ...(this.#init.ownRecord === undefined ? {} : { ownRecord: this.#init.ownRecord }),
      ...(this.#init.timeoutMs === undefined ? {} : { timeoutMs: this.#init.timeoutMs })
    })
    // Both also over a relayed connection: a household with `delivery.via: "relay"` reaches the agency only
    // through a relay, whose limits for this agency (node/p2p/relay-limits.ts) say how much it carries.
    await libp2p.handle(FOOTAGE_PROTOCOL, async (stream, connection) => { await this.#receiver!.handle(stream, connection) }, { runOnLimitedConnection: true })
    await handleRequests<Uint8Array, { entries: number[] }>(libp2p, DELETION_PROTOCOL, async (bytes) => await this.deleteOnRequest(bytes), { runOnLimitedConnection: true })
    this.#retention = new RetentionJob({
      keeper: this.#keeper,
      now: this.#now,
      onError: (err) => { this.#components.logger.error({ err, component: 'footage' }, 'footage: the retention job failed') },
      ...(this.#init.retentionIntervalMs === undefined ? {} : { intervalMs: this.#init.retentionIntervalMs })
    })
    await this.#retention.start()
  }

  async stop (): Promise<void> {
    await this.#retention?.stop()
    if (this.#receiver !== undefined) {
      await this.#components.libp2p.unhandle(FOOTAGE_PROTOCOL)
      await this.#components.libp2p.unhandle(DELETION_PROTOCOL)
    }
    if (this.#tempDir !== undefined) await rm(this.#tempDir, { recursive: true, force: true })
  }

  /** Every delivery received. */
  async deliveries (): Promise<DeliveryRecord[]> {
    return await this.#db().values().all()
  }

  async delivery (consent: string): Promise<DeliveryRecord | undefined> {
    return await this.#db().get(consent)
  }

  /** A resident's signed deletion request: logs one `delete` entry per clip, then deletes the files. */
  async deleteOnRequest (bytes: unknown): Promise<{ entries: number[] }> {
    let signed
    try {
      if (!(bytes instanceof Uint8Array)) throw new TypeError('not bytes')
      signed = decodeSignedDeletionRequest(bytes)
    } catch (err) { throw new InvalidDeletionRequestError({ reason: 'undecodable' }, err) }
    const record = await this.#db().get(signed.message.consent)
    if (record === undefined) throw new UnknownDeliveryError({ consent: signed.message.consent })
    try { verifySigned('DeletionRequest', signed, this.#domain!, record.consentKey) } catch (err) {
      throw new InvalidDeletionRequestError({ reason: isPorchlightError(err) ? err.code : 'signature' }, err)
    }
    const delivered = new Set(record.clips.map((c) => c.cid))
    const unknown = signed.message.clips.find((cid) => !delivered.has(cid))
    if (unknown !== undefined) throw new UnknownDeliveryError({ consent: record.consent, cid: unknown })
    const entries: number[] = []
    // A clip deleted before (by this request sent again, by the agency, by retention) answers its entry.
    for (const cid of signed.message.clips) entries.push((await this.keeper.remove(cid, 'resident-request', { deletionRequest: signed, again: true })).logIndex)
    return { entries }
  }

  #log (): FootageLog {
    const log = this.#init.log
    return typeof log === 'function' ? log() : log
  }

  #book (): RequestBook {
    const book = this.#init.book
    return typeof book === 'function' ? book() : book
  }

  #db (): Sublevel<string, DeliveryRecord> {
    if (this.#deliveries === undefined) throw new Error('AgencyFootage is not started')
    return this.#deliveries
  }
}

export type AgencyFootageComponents = Components & {
  chain: ChainService
  /** The agency log service (a test may give a log of its own); receipts take `witnessedProof` where it has one. */
  log: { readonly log: FootageLog | undefined, witnessedProof?: FootageLog['proof'] }
  requests: Pick<AgencyRequests, 'desk' | 'identities' | 'countDeliveriesWith'>
}

/**
 * The agency's footage desk as a node service factory: deliveries are for the desk's requests, logged in the
 * agency's log, checked in the chain's domain; a share to a registered agency needs no legal basis.
 */
export function agencyFootage (init: Omit<AgencyFootageInit, 'book' | 'log' | 'domain'> = {}): (components: AgencyFootageComponents) => AgencyFootage {
  return (components) => {
    const { chain, log, requests, keys } = components
    let ownAddress: string | undefined
    const footage = new AgencyFootage(components, {
      isActiveAgency: async (address, at) => {
        const registry = chain.registry
        if (registry === undefined) return false
        await registry.sync?.()
        return await registry.isActive(address, at)
      },
      // Only called once started, and the desk does not start without the agency key.
      ownRecord: async () => {
        const agency = ownAddress ??= addressOfPrivateKey(keys.agencyKey!)
        const registry = chain.registry
        if (registry === undefined) throw new AgencyNotActiveError({ agency, status: 'none' })
        return await registry.agencyInfo(agency)
      },
      ...init,
      book: () => requestBookOf(requests.desk, requests.identities),
      log: () => {
        if (log.log === undefined) throw new Error('agencyFootage: the log is not open')
        return log.log
      },
      domain: () => chain.domain,
      ...(log.witnessedProof === undefined ? {} : { receiptProof: async (index: number) => await log.witnessedProof!(index) })
    })
    requests.countDeliveriesWith(async () => await footage.keeper.deliveryCounts())
    return footage
  }
}

// Shares that wait for a supervisor (issue 19): an investigator proposes a share of a delivered clip, a
// supervisor approves it, and only then is it a `share` entry in the log, naming both (`actor` the one who
// proposed, `approvedBy` the one who approved). A proposal is checked when made (the clip is held, a legal
// basis where one is needed) and again when approved, since the clip may be deleted in between. Nothing of a
// proposal is public before its approval: it is not a share yet.
import { randomBytes } from 'node:crypto'
import type { FootageLogged, ShareProposalView } from '../../protocol/index.js'
import { PorchlightError } from '../../protocol/errors.js'
import type { Sublevel } from '../storage/index.js'
import type { FootageKeeper } from './footage-keeper.js'

export class UnknownShareProposalError extends PorchlightError {
  static override readonly code = 'UNKNOWN_SHARE_PROPOSAL'
  static override readonly status = 404
  constructor (id: string) {
    super(UnknownShareProposalError.code, `no pending share proposal ${id} (approved, rejected, or never made)`, { details: { id } })
    this.name = 'UnknownShareProposalError'
  }
}

export class TooManyShareProposalsError extends PorchlightError {
  static override readonly code = 'TOO_MANY_SHARE_PROPOSALS'
  static override readonly status = 409
  constructor (max: number) {
    super(TooManyShareProposalsError.code, `at most ${max} shares may wait for approval: approve or reject some first`, { details: { max } })
    this.name = 'TooManyShareProposalsError'
  }
}

export interface ShareProposalsInit {
  db: Sublevel<string, ShareProposalView>
  keeper: () => Pick<FootageKeeper, 'share' | 'checkShare'>
  /** Unix seconds. */
  now: () => number
  /** @default 256 */
  max?: number
}

export class ShareProposals {
  readonly #init: ShareProposalsInit
  readonly #max: number

  constructor (init: ShareProposalsInit) {
    this.#init = init
    this.#max = init.max ?? 256
  }

  async list (): Promise<ShareProposalView[]> {
    return (await this.#init.db.values().all()).sort((a, b) => a.proposedAt - b.proposedAt || a.id.localeCompare(b.id))
  }

  async propose (clip: string, recipient: string, legalBasis: string, proposedBy: string): Promise<ShareProposalView> {
    await this.#init.keeper().checkShare(clip, recipient, legalBasis)
    if ((await this.#init.db.keys().all()).length >= this.#max) throw new TooManyShareProposalsError(this.#max)
    const proposal: ShareProposalView = { id: randomBytes(8).toString('hex'), clip, recipient, legalBasis, proposedBy, proposedAt: this.#init.now() }
    await this.#init.db.put(proposal.id, proposal)
    return proposal
  }

  /** Logs the share (`actor` the proposer, `approvedBy` the approver) and forgets the proposal. */
  async approve (id: string, approvedBy: string): Promise<FootageLogged> {
    const proposal = await this.#get(id)
    const logged = await this.#init.keeper().share(proposal.clip, proposal.recipient, proposal.legalBasis, { actor: proposal.proposedBy, approvedBy })
    await this.#init.db.del(id)
    return logged
  }

  async reject (id: string): Promise<ShareProposalView> {
    const proposal = await this.#get(id)
    await this.#init.db.del(id)
    return proposal
  }

  async get (id: string): Promise<ShareProposalView> {
    return await this.#get(id)
  }

  async #get (id: string): Promise<ShareProposalView> {
    const proposal = await this.#init.db.get(id)
    if (proposal === undefined) throw new UnknownShareProposalError(id)
    return proposal
  }
}

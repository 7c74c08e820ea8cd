// The resident's shares as its API sends them: POST /api/inbox/:id/consent, GET /api/shares[/:id] and the
// share actions (withdraw, retry, delete-request) all answer a ShareView.
import type { SignedConsent, SignedReceipt, SignedRequest } from '../messages/index.js'

export type ShareState = 'pending' | 'sending' | 'delivered' | 'failed' | 'withdrawn'

/** A delivered share's receipt: verified against a signed checkpoint, or under a root anchored on chain. */
export type ReceiptStatus = 'logged' | 'publicly-anchored'

export interface ShareView {
  /** The consent id. */
  id: string
  request: SignedRequest
  consent: SignedConsent
  state: ShareState
  /** Unix seconds. */
  createdAt: number
  updatedAt: number
  /** Ciphertext bytes: `sent` of `total` (live while sending). */
  progress: { sent: number, total: number }
  receipt?: SignedReceipt
  /** The delivery entry's bytes as logged, 0x hex (the receipt proves its leaf hash). */
  entry?: string
  /** From the verified receipt. */
  logIndex?: number
  checkpointSize?: number
  error?: { code: string, message: string }
  /**
   * Deletion: `requestedAt` when the resident asked (with the log indices the agency answered), `deletedAt`
   * once this node read a `delete` entry for every clip of the share in the agency's log, under a checkpoint
   * the agency signed (the latest such entry's time; also a deletion the agency made on its own, by retention).
   */
  deletion?: { requestedAt?: number, entries: number[], deletedAt?: number }
  /** What the resident can do with the share now (the Shares tab's buttons, `porchlight shares`). */
  actions?: ShareAction[]
  /** Once delivered, on GET /api/shares/:id (the list leaves it out: it takes a chain read per share). */
  status?: ReceiptStatus
}

/** withdraw: pending, sending or failed; retry: failed; delete-request: delivered and not yet deleted. */
export type ShareAction = 'withdraw' | 'retry' | 'delete-request'

/** The actions possible in a share's state (the node refuses the others with SHARE_STATE, naming these). */
export function shareActions (share: Pick<ShareView, 'state' | 'deletion'>): ShareAction[] {
  switch (share.state) {
    case 'pending': case 'sending': return ['withdraw']
    case 'failed': return ['retry', 'withdraw']
    case 'delivered': return share.deletion?.deletedAt === undefined ? ['delete-request'] : []
    case 'withdrawn': return []
  }
}

/**
 * GET /api/shares/:id/history: what the agency's public log says about the share's clips after their
 * delivery — every `access`, `share` and `delete` entry naming one of them, each with its inclusion proof
 * against `checkpoint` (the agency-signed note it read), so a browser checks every one itself.
 */
export interface ShareHistory {
  share: string
  /** The agency's signed checkpoint note the proofs lead to. */
  checkpoint: string
  /** The log indices read: `from` (the entry after the delivery) up to, not including, `to`. */
  from: number
  to: number
  /** False when the log holds more after `to` than one read covers (the newest entries are read first). */
  complete: boolean
  entries: Array<{ index: number, entry: string, proof: string[] }>
}

/** GET /api/shares. */
export interface ShareList {
  shares: ShareView[]
}

/**
 * A receipt as a file a resident keeps or hands to an auditor (the Shares tab's "Export receipt"; issue 19):
 * the signed receipt, the delivery entry's bytes it proves, and the chain and registry its EIP-712 domain names,
 * so a checker needs nothing typed in. An auditor still checks `chainId` and `registry` against its own
 * deployment: a file cannot vouch for itself.
 */
export interface ReceiptFile {
  format: 'porchlight-receipt/1'
  receipt: SignedReceipt
  /** The delivery entry's bytes as logged, 0x hex. */
  entry: string
  chainId: number
  /** The AgencyRegistry address (the EIP-712 verifying contract). */
  registry: string
}

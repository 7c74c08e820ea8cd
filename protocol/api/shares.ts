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
  deletion?: { requestedAt: number, entries: number[] }
  /** Once delivered, on GET /api/shares/:id (the list leaves it out: it takes a chain read per share). */
  status?: ReceiptStatus
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

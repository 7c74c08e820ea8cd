// The agency's receipt for a delivery and what a resident checks before believing it: the agency's EIP-712
// signature, that it names this consent and request, that the log entry says exactly what was delivered,
// and that the entry is included in the tree of a checkpoint the agency signed ("logged"). Whether that
// checkpoint is also anchored on chain is `anchorStatus`.
import {
  consentId as idOfConsent, decodeLogEntry, encodeLogEntry, fromHex, hashLeaf, toHex, requestId as idOfRequest, signTyped,
  verifyCheckpoint, verifyInclusion, verifySigned, verifyConsistency, type Checkpoint, type DeliveryEntry,
  type Domain, type ReceiptStatus, type SignedConsent, type SignedReceipt, type SignedRequest
} from '../../protocol/index.js'
import { InvalidReceiptError } from './errors.js'

/** The one `delivery` entry of a consent: its clips' CIDs and sizes, at `at` (unix seconds). */
export function deliveryEntry (consent: SignedConsent, at: number): DeliveryEntry {
  return {
    kind: 'delivery',
    request: consent.message.request,
    consent: idOfConsent(consent),
    clips: consent.message.clips.map((c) => ({ cid: c.cid, size: c.size })),
    at
  }
}

/** Signs the receipt of the entry at `logIndex` (agency side). */
export function signReceipt (init: { consent: SignedConsent, logIndex: number, checkpoint: string, proof: Uint8Array[], domain: Domain, agencyKey: string | Uint8Array }): SignedReceipt {
  return signTyped('Receipt', {
    consent: idOfConsent(init.consent),
    request: init.consent.message.request,
    logIndex: init.logIndex,
    checkpoint: init.checkpoint,
    proof: init.proof.map(toHex)
  }, init.domain, init.agencyKey)
}

export interface VerifiedReceipt {
  logIndex: number
  /** The signed checkpoint the receipt's proof leads to. */
  checkpoint: Checkpoint
}

function refuse (reason: string, cause?: unknown): never {
  throw new InvalidReceiptError({ reason }, cause)
}

/**
 * Verifies a receipt for `consent` (resident side): signed by the request's agency, naming this consent and
 * request, `entryBytes` the delivery entry of exactly the consented clips, included in the tree of a
 * checkpoint signed by the agency for this chain. Throws InvalidReceiptError (`details.reason`).
 */
export function verifyReceipt (init: { receipt: SignedReceipt, entryBytes: Uint8Array, request: SignedRequest, consent: SignedConsent, domain: Domain }): VerifiedReceipt {
  const { receipt, request, consent, domain } = init
  const agency = request.message.agency
  try { verifySigned('Receipt', receipt, domain, agency) } catch (err) { refuse('signature', err) }
  const r = receipt.message
  if (r.consent !== idOfConsent(consent)) refuse('consent')
  if (r.request !== idOfRequest(request) || consent.message.request !== r.request) refuse('request')
  let entry
  try { entry = decodeLogEntry(init.entryBytes) } catch (err) { refuse('entry', err) }
  if (entry.kind !== 'delivery') refuse('entry kind')
  const expected = deliveryEntry(consent, entry.at)
  // Re-encoding the expected entry compares every field, and proves the bytes are its one canonical form.
  const same = encodeLogEntry(expected)
  if (same.length !== init.entryBytes.length || same.some((b, i) => b !== init.entryBytes[i])) refuse('entry content')
  let checkpoint: Checkpoint
  try { checkpoint = verifyCheckpoint(r.checkpoint, agency, domain.chainId) } catch (err) { refuse('checkpoint', err) }
  try {
    verifyInclusion(hashLeaf(init.entryBytes), r.logIndex, checkpoint.size, r.proof.map(fromHex), checkpoint.root)
  } catch (err) { refuse('inclusion proof', err) }
  return { logIndex: r.logIndex, checkpoint }
}

/** What the chain says about a receipt's checkpoint (the API sends it as a share's `status`). */
export type { ReceiptStatus }

export interface AnchorSource {
  /** The latest anchored (treeSize, root 0x hex) of `agency`, or undefined (ChainClient.latestAnchor). */
  latestAnchor (agency: string): Promise<{ treeSize: number, root: string } | undefined>
}

export interface ConsistencySource {
  /** A consistency proof from size m to n of the agency's log (from its served tiles). */
  consistency (m: number, n: number): Promise<Uint8Array[]>
}

/**
 * "publicly-anchored" once the anchored root is the checkpoint's own, or a later root the checkpoint's tree
 * is consistent with (proof from the agency's log, checked here against the anchored root); else "logged".
 * An anchor that contradicts the checkpoint is a split view: InvalidReceiptError, reason `split view`.
 */
export async function anchorStatus (checkpoint: Checkpoint, agency: string, chain: AnchorSource, log: ConsistencySource): Promise<ReceiptStatus> {
  const anchor = await chain.latestAnchor(agency)
  if (anchor === undefined || anchor.treeSize < checkpoint.size) return 'logged'
  const anchoredRoot = fromHex(anchor.root)
  if (anchor.treeSize === checkpoint.size) {
    if (toHex(anchoredRoot) !== toHex(checkpoint.root)) refuse('split view')
    return 'publicly-anchored'
  }
  const proof = await log.consistency(checkpoint.size, anchor.treeSize)
  try { verifyConsistency(checkpoint.size, anchor.treeSize, proof, checkpoint.root, anchoredRoot) } catch (err) { refuse('split view', err) }
  return 'publicly-anchored'
}

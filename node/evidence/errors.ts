// Every way an evidence package can fail to verify, and every way an export can be refused. Each failure of
// `verifyEvidence` names the item (the archive's file) that failed in `details.item`: a court or a defence
// expert reading the result needs to know what to look at, not only that something is wrong.
import { PorchlightError } from '../../protocol/errors.js'

type Details = Record<string, unknown>

/** The archive is not a zip fflate can read (truncated, not a zip at all). `item` is `archive`. */
export class EvidenceArchiveError extends PorchlightError {
  static override readonly code = 'EVIDENCE_ARCHIVE_INVALID'
  static override readonly status = 400
  constructor (cause?: unknown) {
    super(EvidenceArchiveError.code, 'the evidence package is not a readable zip archive', { details: { item: 'archive' }, cause })
    this.name = 'EvidenceArchiveError'
  }
}

/** An item the manifest lists (or the manifest itself) is not in the archive. */
export class EvidenceItemMissingError extends PorchlightError {
  static override readonly code = 'EVIDENCE_ITEM_MISSING'
  static override readonly status = 422
  constructor (item: string) {
    super(EvidenceItemMissingError.code, `the evidence package has no ${item}`, { details: { item } })
    this.name = 'EvidenceItemMissingError'
  }
}

/** A file in the archive that the manifest does not list: nothing unaccounted for may ride along. */
export class EvidenceItemUnlistedError extends PorchlightError {
  static override readonly code = 'EVIDENCE_ITEM_UNLISTED'
  static override readonly status = 422
  constructor (item: string) {
    super(EvidenceItemUnlistedError.code, `${item} is in the archive but not in its manifest`, { details: { item } })
    this.name = 'EvidenceItemUnlistedError'
  }
}

/** The manifest does not parse, is not in its one canonical form, or lacks a field. */
export class EvidenceManifestError extends PorchlightError {
  static override readonly code = 'EVIDENCE_MANIFEST_INVALID'
  static override readonly status = 422
  constructor (reason: string, cause?: unknown) {
    super(EvidenceManifestError.code, `the manifest is invalid: ${reason}`, { details: { item: 'manifest.json', reason }, cause })
    this.name = 'EvidenceManifestError'
  }
}

/** An item's bytes do not hash to the sha256 the (signed) manifest lists for it. */
export class EvidenceHashMismatchError extends PorchlightError {
  static override readonly code = 'EVIDENCE_HASH_MISMATCH'
  static override readonly status = 422
  constructor (item: string, expected: string, actual: string) {
    super(EvidenceHashMismatchError.code, `${item} does not match its sha256 in the manifest`, { details: { item, expected, actual } })
    this.name = 'EvidenceHashMismatchError'
  }
}

/** A signature in an item does not verify: the manifest's, the request's, the consent's, the receipt's, a checkpoint's. */
export class EvidenceSignatureError extends PorchlightError {
  static override readonly code = 'EVIDENCE_SIGNATURE_INVALID'
  static override readonly status = 422
  constructor (item: string, details: Details = {}, cause?: unknown) {
    super(EvidenceSignatureError.code, `a signature in ${item} does not verify`, { details: { item, ...details }, cause })
    this.name = 'EvidenceSignatureError'
  }
}

/**
 * An item is intact and signed but says something the rest does not bear out: a clip that does not hash to
 * its CID, an inclusion or consistency proof that fails, an anchor transaction whose event is not the root.
 * `check` names which.
 */
export class EvidenceCheckError extends PorchlightError {
  static override readonly code = 'EVIDENCE_CHECK_FAILED'
  static override readonly status = 422
  constructor (item: string, check: string, details: Details = {}, cause?: unknown) {
    super(EvidenceCheckError.code, `${item}: ${check}`, { details: { item, check, ...details }, cause })
    this.name = 'EvidenceCheckError'
  }
}

/** The id given to export is neither one of the agency's requests nor a delivery's consent. */
export class EvidenceSubjectNotFoundError extends PorchlightError {
  static override readonly code = 'EVIDENCE_SUBJECT_NOT_FOUND'
  static override readonly status = 404
  constructor (id: string) {
    super(EvidenceSubjectNotFoundError.code, 'no request or delivery of this agency has this id', { details: { id } })
    this.name = 'EvidenceSubjectNotFoundError'
  }
}

/**
 * Nothing can be exported for it: no delivery, every clip deleted, or deliveries from before issue 19 whose
 * signed consent the node did not keep (`reason`).
 */
export class EvidenceUnavailableError extends PorchlightError {
  static override readonly code = 'EVIDENCE_UNAVAILABLE'
  static override readonly status = 409
  constructor (id: string, reason: 'no-delivery' | 'deleted' | 'consent-not-kept' | 'no-chain') {
    super(EvidenceUnavailableError.code, `no evidence package can be made for this id (${reason})`, { details: { id, reason } })
    this.name = 'EvidenceUnavailableError'
  }
}

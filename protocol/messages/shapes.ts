// The strict shape of every message and log entry, built from the checks in schema.ts and fields.ts
// and the numbers in the limits table.
import { UnknownCategoryError } from '../limits/errors.js'
import { LIMITS, isCategory } from '../limits/table.js'
import { fail, integer, join, list, optional, record, seconds, text, oneOf } from './schema.js'
import type { Check } from './schema.js'
import { address, ageRecipient, areaCell, bytes32, clipCidField, mediaTypeField, messageIdField, multiaddrField, peerIdField, signature } from './fields.js'
import { DELETION_REASONS } from './types.js'
import type {
  Announcement, Category, ClipRef, Consent, DeleteEntry, DeletionRequest, LogEntry, Receipt, Request, Signed, Withdrawal
} from './types.js'

const UINT32_MAX = 2 ** 32 - 1
const R = LIMITS.request

const category: Check<Category> = (value, field) => {
  if (typeof value !== 'string') fail(field, 'must be a string')
  if (!isCategory(value)) throw new UnknownCategoryError({ field, limit: R.categories, value: value.slice(0, 64) })
  return value
}

export const requestShape: Check<Request> = record<Request>({
  agency: address,
  caseCode: text(R.maxCaseCodeChars, { nonEmpty: true }),
  title: text(R.maxTitleChars, { nonEmpty: true }),
  details: text(R.maxDetailsChars),
  category,
  cells: list(areaCell, { min: 1, max: R.maxCells, order: 'ascending' }),
  windowStart: seconds,
  windowEnd: seconds,
  issuedAt: seconds,
  expiresAt: seconds,
  recipient: ageRecipient,
  peerId: peerIdField,
  addrs: list(multiaddrField, { min: 1, max: R.maxAddrs, order: 'unique' }),
  retentionDays: integer(0, UINT32_MAX),
  nonce: bytes32
})

export const withdrawalShape: Check<Withdrawal> = record<Withdrawal>({
  request: messageIdField,
  agency: address,
  issuedAt: seconds
})

const labelText = text(LIMITS.consent.maxCameraLabelChars)
/** A camera label is shown to investigators as a name: no control characters, no padding (one spelling). */
const cameraLabel: Check<string> = (value, field) => {
  const label = labelText(value, field)
  if (/\p{Cc}/u.test(label) || label.trim() !== label) fail(field, 'must be a name without control characters or surrounding spaces')
  return label
}

const clipRef: Check<ClipRef> = record<ClipRef>({
  cid: clipCidField,
  size: integer(1, LIMITS.consent.maxClipBytes),
  start: seconds,
  end: seconds,
  mediaType: mediaTypeField,
  durationMs: integer(0, Number.MAX_SAFE_INTEGER),
  camera: cameraLabel
})

const orderedClipRef: Check<ClipRef> = (value, field) => {
  const clip = clipRef(value, field)
  if (clip.end < clip.start) fail(`${field}.end`, 'must not be before start', clip.end)
  // start and end are whole seconds (rounded outwards by the resident's node): a clip lasts at most one
  // second more than its span says, never longer, or the agency would be shown two different lengths.
  if (clip.durationMs > (clip.end - clip.start + 1) * 1000) fail(`${field}.durationMs`, 'must not be longer than the span', clip.durationMs)
  return clip
}

export const consentShape: Check<Consent> = record<Consent>({
  request: messageIdField,
  clips: list(orderedClipRef, { min: 1, max: LIMITS.consent.maxClips, order: 'unique', key: (c) => c.cid }),
  terms: text(LIMITS.consent.maxTermsChars, { nonEmpty: true }),
  consentKey: address,
  issuedAt: seconds
})

export const receiptShape: Check<Receipt> = record<Receipt>({
  consent: messageIdField,
  request: messageIdField,
  logIndex: seconds,
  checkpoint: text(LIMITS.receipt.maxCheckpointChars, { nonEmpty: true }),
  proof: list(bytes32, { min: 0, max: LIMITS.receipt.maxProofHashes })
})

export const deletionRequestShape: Check<DeletionRequest> = record<DeletionRequest>({
  consent: messageIdField,
  clips: list(clipCidField, { min: 1, max: LIMITS.consent.maxClips, order: 'unique' }),
  issuedAt: seconds
})

/** `{ message, signature }` around a message shape. */
export function signedShape<T> (message: Check<T>): Check<Signed<T>> {
  return record<Signed<T>>({ message, signature })
}

export const signedRequestShape = signedShape(requestShape)
export const signedWithdrawalShape = signedShape(withdrawalShape)
export const signedConsentShape = signedShape(consentShape)
export const signedReceiptShape = signedShape(receiptShape)
export const signedDeletionRequestShape = signedShape(deletionRequestShape)

const E = LIMITS.entry
const entryShapes: { [K in LogEntry['kind']]: Check<Extract<LogEntry, { kind: K }>> } = {
  request: record({ kind: oneOf(['request'] as const), request: signedRequestShape }),
  withdraw: record({ kind: oneOf(['withdraw'] as const), withdrawal: signedWithdrawalShape }),
  delivery: record({
    kind: oneOf(['delivery'] as const),
    request: messageIdField,
    consent: messageIdField,
    clips: list(record({ cid: clipCidField, size: integer(1, LIMITS.consent.maxClipBytes) }),
      { min: 1, max: LIMITS.consent.maxClips, order: 'unique', key: (c) => c.cid }),
    at: seconds
  }),
  access: record({
    kind: oneOf(['access'] as const),
    clip: clipCidField,
    actor: text(E.maxActorChars, { nonEmpty: true }),
    purpose: text(E.maxPurposeChars, { nonEmpty: true }),
    at: seconds
  }),
  share: record({
    kind: oneOf(['share'] as const),
    clip: clipCidField,
    recipient: text(E.maxShareRecipientChars, { nonEmpty: true }),
    legalBasis: text(E.maxLegalBasisChars),
    actor: text(E.maxActorChars, { nonEmpty: true }),
    approvedBy: text(E.maxActorChars, { nonEmpty: true }),
    at: seconds
  }),
  delete: (value, field) => {
    const entry = deleteEntry(value, field)
    if ((entry.reason === 'resident-request') !== (entry.deletionRequest !== undefined)) {
      fail(join(field, 'deletionRequest'), 'must be present exactly when reason is resident-request')
    }
    // The job and the resident act under their own names; an agency user never under theirs.
    const automatic = entry.reason === 'agency' ? undefined : entry.reason
    if (automatic !== undefined ? entry.actor !== automatic : (DELETION_REASONS as readonly string[]).includes(entry.actor)) {
      fail(join(field, 'actor'), automatic !== undefined ? `must be ${automatic} for reason ${automatic}` : 'must name the agency user for reason agency', entry.actor)
    }
    return entry
  }
}

const deleteEntry: Check<DeleteEntry> = record<DeleteEntry>({
  kind: oneOf(['delete'] as const),
  clip: clipCidField,
  reason: oneOf(DELETION_REASONS),
  actor: text(E.maxActorChars, { nonEmpty: true }),
  at: seconds,
  deletionRequest: optional(signedDeletionRequestShape)
})

/** A log entry: the `kind` field picks the shape. */
export const logEntryShape: Check<LogEntry> = (value, field) => {
  const kind = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).kind : undefined
  if (typeof kind !== 'string' || !Object.hasOwn(entryShapes, kind)) {
    fail(join(field, 'kind'), `must be one of ${Object.keys(entryShapes).join(', ')}`, kind)
  }
  return entryShapes[kind as LogEntry['kind']](value, field)
}

const proofFields = {
  logIndex: seconds,
  checkpoint: text(LIMITS.receipt.maxCheckpointChars, { nonEmpty: true }),
  proof: list(bytes32, { min: 0, max: LIMITS.receipt.maxProofHashes })
}
const announcementShapes: { [K in Announcement['kind']]: Check<Extract<Announcement, { kind: K }>> } = {
  request: record({ kind: oneOf(['request'] as const), request: signedRequestShape, ...proofFields }),
  withdraw: record({ kind: oneOf(['withdraw'] as const), withdrawal: signedWithdrawalShape, ...proofFields })
}

/** A gossiped announcement: the `kind` field picks the shape. */
export const announcementShape: Check<Announcement> = (value, field) => {
  const kind = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).kind : undefined
  if (typeof kind !== 'string' || !Object.hasOwn(announcementShapes, kind)) {
    fail(join(field, 'kind'), `must be one of ${Object.keys(announcementShapes).join(', ')}`, kind)
  }
  return announcementShapes[kind as Announcement['kind']](value, field)
}

export type {
  Category, Request, Withdrawal, ClipRef, Consent, Receipt, DeletionRequest, Signed, SignedRequest,
  SignedWithdrawal, SignedConsent, SignedReceipt, SignedDeletionRequest, DeletionReason, RequestEntry,
  WithdrawEntry, DeliveryEntry, AccessEntry, ShareEntry, DeleteEntry, LogEntry, LogEntryKind,
  RequestAnnouncement, WithdrawalAnnouncement, Announcement
} from './types.js'
export { DELETION_REASONS } from './types.js'
export { MalformedMessageError, MessageTooLargeError } from './errors.js'
export type { MessageCodec } from './codecs.js'
export {
  requestCodec, signedRequestCodec, withdrawalCodec, signedWithdrawalCodec, consentCodec, signedConsentCodec,
  receiptCodec, signedReceiptCodec, deletionRequestCodec, signedDeletionRequestCodec, logEntryCodec,
  encodeRequest, decodeRequest, encodeSignedRequest, decodeSignedRequest, encodeWithdrawal, decodeWithdrawal,
  encodeSignedWithdrawal, decodeSignedWithdrawal, encodeConsent, decodeConsent, encodeSignedConsent,
  decodeSignedConsent, encodeReceipt, decodeReceipt, encodeSignedReceipt, decodeSignedReceipt,
  encodeDeletionRequest, decodeDeletionRequest, encodeSignedDeletionRequest, decodeSignedDeletionRequest,
  encodeLogEntry, decodeLogEntry, announcementCodec, encodeAnnouncement, decodeAnnouncement
} from './codecs.js'
export { messageId, requestId, withdrawalId, consentId, receiptId, deletionRequestId, logEntryCid, announcementId } from './ids.js'

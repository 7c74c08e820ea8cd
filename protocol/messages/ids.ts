// Message ids: the CIDv1 (dag-cbor, sha2-256, base32 string) of the encoded *signed* message, so the id
// commits to the signature too and a request's id is also its gossip message id.
import { dagCborCid } from '../codec/cid.js'
import { logEntryCodec, signedConsentCodec, signedDeletionRequestCodec, signedReceiptCodec, signedRequestCodec, signedWithdrawalCodec } from './codecs.js'
import type { Announcement, LogEntry, SignedConsent, SignedDeletionRequest, SignedReceipt, SignedRequest, SignedWithdrawal } from './types.js'

/** The id of already encoded dag-cbor bytes (as received: no re-encoding). */
export function messageId (encoded: Uint8Array): string {
  return dagCborCid(encoded).toString()
}

export const requestId = (signed: SignedRequest): string => messageId(signedRequestCodec.encode(signed))
export const withdrawalId = (signed: SignedWithdrawal): string => messageId(signedWithdrawalCodec.encode(signed))
export const consentId = (signed: SignedConsent): string => messageId(signedConsentCodec.encode(signed))
export const receiptId = (signed: SignedReceipt): string => messageId(signedReceiptCodec.encode(signed))
export const deletionRequestId = (signed: SignedDeletionRequest): string => messageId(signedDeletionRequestCodec.encode(signed))
/** The CID of a log entry (its leaf bytes are `encodeLogEntry(entry)`). */
export const logEntryCid = (entry: LogEntry): string => messageId(logEntryCodec.encode(entry))
/** The gossip message id of an announcement: the id of the request or withdrawal it carries. */
export const announcementId = (a: Announcement): string =>
  a.kind === 'request' ? requestId(a.request) : withdrawalId(a.withdrawal)

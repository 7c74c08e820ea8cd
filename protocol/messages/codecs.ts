// encode/decode for every message kind. Decoding checks the size first (cheap), then canonical
// dag-cbor, then the strict shape; encoding checks the shape and the size, so this node never writes a
// message that another node would reject.
import { decodeCanonical, encode } from '../codec/dag-cbor.js'
import { LIMITS } from '../limits/table.js'
import { MalformedMessageError, MessageTooLargeError } from './errors.js'
import type { Check } from './schema.js'
import {
  announcementShape, consentShape, deletionRequestShape, logEntryShape, receiptShape, requestShape, signedConsentShape,
  signedDeletionRequestShape, signedReceiptShape, signedRequestShape, signedWithdrawalShape, withdrawalShape
} from './shapes.js'
import type {
  Announcement, Consent, DeletionRequest, LogEntry, Receipt, Request, SignedConsent, SignedDeletionRequest, SignedReceipt,
  SignedRequest, SignedWithdrawal, Withdrawal
} from './types.js'

export interface MessageCodec<T> {
  /** The limit-table name of this kind, used in errors. */
  readonly kind: string
  readonly maxBytes: number
  // Function-typed properties, not methods: each is used on its own (`encodeRequest = requestCodec.encode`)
  // and none reads `this`.
  /** Checks a value already in memory (throws the same typed errors as decode). */
  readonly check: (value: unknown) => T
  readonly encode: (value: T) => Uint8Array
  readonly decode: (bytes: Uint8Array) => T
}

function codec<T> (kind: string, maxBytes: number, shape: Check<T>): MessageCodec<T> {
  const sizeCheck = (bytes: Uint8Array): void => {
    if (bytes.length > maxBytes) throw new MessageTooLargeError(kind, bytes.length, maxBytes)
  }
  return {
    kind,
    maxBytes,
    check: (value) => shape(value, ''),
    encode: (value) => {
      const bytes = encode(shape(value, ''))
      sizeCheck(bytes)
      return bytes
    },
    decode: (bytes) => {
      if (!(bytes instanceof Uint8Array)) throw new MalformedMessageError('', 'input must be a Uint8Array')
      sizeCheck(bytes)
      return shape(decodeCanonical(bytes), '')
    }
  }
}

const B = LIMITS.encodedBytes
// The unsigned forms are capped like their signed forms: they are drafts of them.
export const requestCodec = codec<Request>('request', B.request, requestShape)
export const signedRequestCodec = codec<SignedRequest>('request', B.request, signedRequestShape)
export const withdrawalCodec = codec<Withdrawal>('withdrawal', B.withdrawal, withdrawalShape)
export const signedWithdrawalCodec = codec<SignedWithdrawal>('withdrawal', B.withdrawal, signedWithdrawalShape)
export const consentCodec = codec<Consent>('consent', B.consent, consentShape)
export const signedConsentCodec = codec<SignedConsent>('consent', B.consent, signedConsentShape)
export const receiptCodec = codec<Receipt>('receipt', B.receipt, receiptShape)
export const signedReceiptCodec = codec<SignedReceipt>('receipt', B.receipt, signedReceiptShape)
export const deletionRequestCodec = codec<DeletionRequest>('deletionRequest', B.deletionRequest, deletionRequestShape)
export const signedDeletionRequestCodec = codec<SignedDeletionRequest>('deletionRequest', B.deletionRequest, signedDeletionRequestShape)
export const logEntryCodec = codec<LogEntry>('entry', B.entry, logEntryShape)
export const announcementCodec = codec<Announcement>('announcement', B.announcement, announcementShape)

export const encodeRequest = requestCodec.encode
export const decodeRequest = requestCodec.decode
export const encodeSignedRequest = signedRequestCodec.encode
export const decodeSignedRequest = signedRequestCodec.decode
export const encodeWithdrawal = withdrawalCodec.encode
export const decodeWithdrawal = withdrawalCodec.decode
export const encodeSignedWithdrawal = signedWithdrawalCodec.encode
export const decodeSignedWithdrawal = signedWithdrawalCodec.decode
export const encodeConsent = consentCodec.encode
export const decodeConsent = consentCodec.decode
export const encodeSignedConsent = signedConsentCodec.encode
export const decodeSignedConsent = signedConsentCodec.decode
export const encodeReceipt = receiptCodec.encode
export const decodeReceipt = receiptCodec.decode
export const encodeSignedReceipt = signedReceiptCodec.encode
export const decodeSignedReceipt = signedReceiptCodec.decode
export const encodeDeletionRequest = deletionRequestCodec.encode
export const decodeDeletionRequest = deletionRequestCodec.decode
export const encodeSignedDeletionRequest = signedDeletionRequestCodec.encode
export const decodeSignedDeletionRequest = signedDeletionRequestCodec.decode
export const encodeLogEntry = logEntryCodec.encode
export const decodeLogEntry = logEntryCodec.decode
export const encodeAnnouncement = announcementCodec.encode
export const decodeAnnouncement = announcementCodec.decode

// The footage protocol both sides speak (issue 6): the wire frames and flow control, consents and receipts,
// and its errors. The resident side is node/shares, the agency side node/deliveries.
export { FOOTAGE_PROTOCOL, DELETION_PROTOCOL, MAX_DATA_FRAME, CREDIT_WINDOW, type DeclaredClip } from './wire.js'
export { createConsent, DEFAULT_TERMS, type NewConsent } from './consent.js'
export {
  deliveryEntry, signReceipt, verifyReceipt, anchorStatus, type VerifiedReceipt, type ReceiptStatus, type AnchorSource,
  type ConsistencySource
} from './receipt.js'
export { FootageStream, footageStream, type FootageStreamOptions, type ReadOptions } from './footage-stream.js'
export { SendCredit, ReceiveCredit } from './credit.js'
export * from './errors.js'

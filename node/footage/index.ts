// Consent and end-to-end encrypted footage delivery, resident → agency (issue 6).
export { FOOTAGE_PROTOCOL, DELETION_PROTOCOL, MAX_DATA_FRAME, CREDIT_WINDOW, type DeclaredClip } from './wire.js'
export { createConsent, DEFAULT_TERMS, type NewConsent } from './consent.js'
export {
  deliveryEntry, signReceipt, verifyReceipt, anchorStatus, type VerifiedReceipt, type ReceiptStatus, type AnchorSource,
  type ConsistencySource
} from './receipt.js'
export { sendFootage, agencyAddrs, declaredClips, type SendFootageInit, type FootageDelivery } from './sender.js'
export {
  FootageReceiver, type FootageReceiverInit, type FootageReceiverEvents, type RequestBook, type AgencyRequestRecord,
  type FootageLog, type DeliveryRecord, type DeliveryStore, type PendingDelivery
} from './receiver.js'
export { FootageVault } from './vault.js'
export { fileSource, FILE_CHUNK } from './file-source.js'
export { FootageStream, footageStream, type FootageStreamOptions, type ReadOptions } from './footage-stream.js'
export { SendCredit, ReceiveCredit } from './credit.js'
export * from './errors.js'
export {
  ResidentFootage, residentFootage, type ResidentFootageInit, type ResidentFootageEvents, type ShareRecord, type ShareView, type ShareState,
  type ClipSource, type StoredClip, type InboxReader
} from './resident-footage.js'
export { AgencyFootage, agencyFootage, type AgencyFootageInit } from './agency-footage.js'
export { footageRoutes } from './routes.js'
export { auditConsistency, AUDIT_PROTOCOL } from './log-client.js'
export { FootageKeeper, type FootageKeeperInit, type DeliveryRecords, type DeliveryView, type OpenedFootage } from './footage-keeper.js'
export { RetentionJob, DEFAULT_RETENTION_INTERVAL_MS, type RetentionJobInit, type RetentionJobEvents } from './retention.js'
export { agencyFootageRoutes } from './agency-routes.js'
export { sniffMediaType, peekStream } from './media-type.js'
export { DeliveryJournal, type DeliveryMark } from './delivery-journal.js'

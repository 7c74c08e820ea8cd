// The agency side of footage: receiving deliveries, keeping them encrypted, and logging every use.
export {
  FootageReceiver, type FootageReceiverInit, type FootageReceiverEvents, type RequestBook, type AgencyRequestRecord,
  type FootageLog, type DeliveryRecord, type DeliveryStore, type PendingDelivery
} from './receiver.js'
export { FootageVault } from './vault.js'
export { DeliveryLimiter, senderOf, SENDER_TALLIES, type Sender, type Statfs, type TransferSlot, type DeliveryLimiterInit } from './delivery-limits.js'
export { AgencyFootage, agencyFootage, type AgencyFootageInit } from './footage-desk.js'
export { FootageKeeper, type FootageKeeperInit, type DeliveryRecords, type DeliveryView, type OpenedFootage } from './footage-keeper.js'
export { RetentionJob, DEFAULT_RETENTION_INTERVAL_MS, type RetentionJobInit, type RetentionJobEvents } from './retention.js'
export { agencyFootageRoutes } from './routes.js'
export { sniffMediaType, peekStream } from './media-type.js'
export { DeliveryJournal, type DeliveryMark } from './delivery-journal.js'

// The resident side of footage: shares (consent, delivery to the agency, receipts, deletion requests).
export { sendFootage, agencyAddrs, declaredClips, type SendFootageInit, type FootageDelivery } from './sender.js'
export { fileSource, FILE_CHUNK } from './file-source.js'
export {
  ResidentFootage, residentFootage, type ResidentFootageInit, type ResidentFootageEvents, type ShareRecord, type ShareView, type ShareState,
  type ClipSource, type StoredClip, type InboxReader
} from './resident-shares.js'
export { footageRoutes } from './routes.js'
export { auditConsistency, AUDIT_PROTOCOL } from './log-client.js'

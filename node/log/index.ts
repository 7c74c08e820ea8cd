// The agency's public log: persistent tiled storage, checkpoints, serving, anchoring.
export {
  AgencyLog, type AgencyLogInit, type AgencyLogEvents, type IssuedCheckpoint, type EntryProof
} from './agency-log.js'
export { type LogDatabase, syncOptions } from './log-database.js'
export { LevelHashReader, STORED_LEVEL_STEP, isStoredLevel } from './level-hash-reader.js'
export {
  LogClosedError, InvalidEntryError, LogWriteError, LogCorruptedError, TileNotFoundError, UnknownLogPathError,
  InvalidAnchorIntervalError, InvalidAgencyKeyError, WitnessQuorumUnreachedError, WitnessTimeoutError,
  InvalidWitnessAnswerError, WitnessAheadError, type WitnessFailure
} from './errors.js'
export {
  Cosigner, type CosignerInit, type CosignerEvents, type CosignAttempt, type CosignResult, type WitnessedCheckpoint,
  type CosignatureStore, type StoredCosignatures
} from './cosigner.js'
export type {
  AddCheckpoint, AddCheckpointAnswer, WitnessClient, WitnessClientFactory, WitnessSetSource
} from './witness-port.js'
export { readLogResource, type CheckpointNoteSource, type LogResource, MAX_RESOURCE_BYTES, IMMUTABLE, SHORT_LIVED, CHECKPOINT_PATH } from './log-resource.js'
export { logRoutes, type LogSource } from './log-routes.js'
export { AUDIT_PROTOCOL, handleAuditProtocol, fetchAuditResource } from './audit-protocol.js'
export {
  Anchorer, type AnchorerInit, type AnchorerEvents, type AnchorRecord, type AnchorChain,
  DEFAULT_ANCHOR_INTERVAL_MS, MIN_ANCHOR_INTERVAL_MS
} from './anchorer.js'
export { agencyLog, type AgencyLogService, type AgencyLogServiceInit, type AgencyLogComponents, type AgencyWitnessingInit } from './service.js'
export { agencyLogRoutes } from './service-routes.js'
export { anchorHistory, anchorRoutes, type AnchorView, type AnchorHistory, type AnchorHistorySource } from './anchor-history.js'

// The agency's public log: persistent tiled storage, checkpoints, serving, anchoring.
export {
  AgencyLog, type AgencyLogInit, type AgencyLogEvents, type IssuedCheckpoint, type EntryProof
} from './agency-log.js'
export { type LogDatabase, syncOptions } from './log-database.js'
export { LevelHashReader } from './level-hash-reader.js'
export {
  LogClosedError, InvalidEntryError, LogWriteError, LogCorruptedError, TileNotFoundError, UnknownLogPathError,
  InvalidAnchorIntervalError, InvalidAgencyKeyError
} from './errors.js'

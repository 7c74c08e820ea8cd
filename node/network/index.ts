export { AnnouncementValidator } from './announcement-validator.js'
export type {
  AgencyRegistryView, AnnouncementState, Verification, ValidatedAnnouncement, ValidationResult, ValidationOutcome, Arrival,
  AnnouncementValidatorInit
} from './announcement-validator.js'
export { LiveRequests } from './live-requests.js'
export type { LiveAnnouncementSource, LiveRequestsEvents } from './live-requests.js'
export { CATCH_UP_PROTOCOL, MAX_CATCH_UP_CELLS, MAX_CATCH_UP_BYTES, MAX_CATCH_UP_ITEMS, MAX_INVALID_CATCH_UP_ITEMS, handleCatchUp, askForLive, checkCatchUpRequest } from './catch-up.js'
export type { CatchUpRequest, CatchUpResponse } from './catch-up.js'
export { RequestNetwork, requestNetwork } from './request-network.js'
export type { RequestNetworkInit, RequestNetworkEvents, ValidatedEvent, CatchUpRefusal } from './request-network.js'
export { announcementMessageId } from './message-id.js'
export { CellMates, cellMates } from './cell-mates.js'
export type { CellMatesInit, CellMatesEvents, CellMatesComponents, MatesFound, MateConnected } from './cell-mates.js'
export {
  WrongTopicError, AgencyNotActiveError, OutsideJurisdictionError, RequestWithdrawnError, WithdrawalMismatchError,
  DuplicateAnnouncementError, StaleAnnouncementError, RegistryUnavailableError, WitnessSetUnavailableError, InvalidCatchUpRequestError,
  CatchUpTooManyItemsError, CatchUpTooManyInvalidError, CatchUpPeerGraylistedError
} from './errors.js'

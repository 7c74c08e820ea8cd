// The agency's requests: build, check, sign, log, store, announce and withdraw (issue 5, Agency).
export { agencyRequests, type AgencyRequestsInit, type AgencyRequests, type AgencyRequestsComponents } from './requests-service.js'
export { RequestDesk, type RequestDeskInit, type RequestView, type RequestStatus, type StoredRequest } from './request-desk.js'
export { AnnouncementPublisher, type PublisherInit, type PublishReport, type PublisherEvents } from './publisher.js'
export { requestFromDraft, draftArea, requestAddrs, type RequestDraft, type RequestOrigin } from './draft.js'
export { IdentityFolder } from './identity-folder.js'
export { requestBookOf, type BookedRequest } from './request-book.js'
export { requestRoutes, requestDraftSchema } from './routes.js'
export type { RequestLog, RegistryView } from './ports.js'
export {
  AgencyNotActiveError, OutsideJurisdictionError, InvalidAreaError, InvalidTimeError, NoChainError, LogUnavailableError,
  NoKeyFolderError, RequestNotFoundError, RequestNotLiveError, MissingAgencyKeyError
} from './errors.js'

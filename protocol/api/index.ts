// The JSON the node's HTTP API sends (and the bodies it takes), declared once: node/ types its routes with
// these and ui/ reads them, so the two cannot drift apart unnoticed. Plain JSON only: strings, numbers,
// booleans, arrays, objects.
export type { Role, ReachabilityStatus, NodeView, PeerView, ApiErrorBody } from './node.js'
export type {
  InboxStatus, IgnoreReason, AgencyStanding, Verification, WitnessVerification, InclusionEvidence, InboxSummary, InboxList, InboxItemView, InboxPolicy, PolicyView,
  Overlap, RecordingOverlap, ConsentRange, ConsentBody
} from './inbox.js'
export { consentLabel, isUnread } from './inbox.js'
export type { SourceView, SourceBody, RecorderStatusView, CameraView, CameraList, CameraBody, SourceTestBody, SourceTestDetails, SourceTestResult } from './cameras.js'
export type { ClipView } from './clips.js'
export type { ShareState, ReceiptStatus, ShareView, ShareList, ReceiptFile, ShareAction, ShareHistory } from './shares.js'
export { shareActions } from './shares.js'
export type { RequestStatus, RequestDraftBody, AgencyRequestView, DeliveredClipView, DeliveryView, DeliveryList, FootageLogged } from './requests.js'
export type {
  Severity, Finding, DayActivity, RequestRates, AgencyReport, AuditReport, WitnessChange, WitnessReport, ReceiptSubmission, ReceiptAccepted,
  RetentionTally, TransparencyFigures, AuditedEntry, AuditedEntryView, AuditedEntryFilter, AuditedEntryList, ClipRetention, RequestHistory, AuditProgress
} from './audit.js'
export type { AnchorView, AnchorHistory } from './anchors.js'
export type { LiveEventMap, LiveEventType, LiveEvent } from './live.js'
export type { RegisteredWitness, WitnessSet, WitnessView } from './witnesses.js'
export type { DeviceView, PairedDevice } from './devices.js'
export type { MapSourceView, UiSettings } from './ui.js'
export type { UserRole, ApiUserView, UserView, CreatedUser, ShareProposalView } from './users.js'
export type { PendingChange, PendingChangesView, CouncilNotice, CouncilNoticesView } from './council.js'

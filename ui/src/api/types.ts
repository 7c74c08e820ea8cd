// What the node's API answers, as the UI reads it. The wire shapes are declared once, in protocol/api, and
// the node's routes return exactly them; the two types below are the UI's own, derived at the API's edge.
import type { AgencyRequestView, DeliveryEntry, ShareAction, ShareView, SignedReceipt, SignedRequest } from '../../../protocol/index.js'

export type {
  AgencyReport, AgencyRequestView, AgencyStanding, AnchorHistory, ApiErrorBody, AnchorView, AuditReport, CameraBody, CameraList, CameraView, ClipView, ConsentRange, DeliveredClipView, DeliveryList,
  DeliveryView, DeviceView, Finding, InboxItemView, InboxList, InboxPolicy, InboxStatus, InboxSummary, InclusionEvidence, NodeView, PairedDevice, PolicyView,
  RecorderStatusView, RecordingOverlap, RequestDraftBody, Role, ShareAction, ShareHistory, ShareList, ShareView, SourceBody, SourceTestBody, SourceTestResult, SourceView, UiSettings, MapSourceView, Verification, WitnessReport,
  AuditProgress, AuditedEntryFilter, AuditedEntryList, AuditedEntryView, RequestHistory, ClipRetention, TransparencyFigures, DayActivity, ReceiptFile,
  ApiUserView, CreatedUser, FootageLogged, ShareProposalView, UserRole, UserView
} from '../../../protocol/index.js'

/**
 * UI-only: an agency's request with its message and signature joined as a SignedRequest (what the badge
 * checks take); the client builds it from the API's AgencyRequestView.
 */
export type SignedRequestView = Omit<AgencyRequestView, 'request' | 'signature'> & { request: SignedRequest }

/** UI-only: a share as the Shares page lists it, flattened from the API's ShareView (see share-view.ts). */
export interface ShareRow {
  /** The request id. */
  request: string
  /** The consent id. */
  consent: string
  agency: string
  clips: Array<{ cid: string, size: number }>
  /** The share's state ('delivering' while sending), or its receipt's status once delivered. */
  status: string
  /** Bytes sent so far and in all, while delivering. */
  progress?: { sent: number, total: number }
  receipt?: SignedReceipt
  /** The delivery entry the receipt proves (so the browser can check the proof itself). */
  entry?: DeliveryEntry
  anchored: boolean
  error?: { code: string, message: string }
  /** Unix seconds. */
  at: number
  /** The node's state of the share (pending, sending, delivered, failed, withdrawn). */
  state: ShareView['state']
  /** What can be done with it now (the node's word; empty: nothing). */
  actions: ShareAction[]
  deletion?: ShareView['deletion']
  /** The request's promise: the agency keeps the footage at most this many days after its first delivery. */
  retentionDays: number
  caseCode: string
  /** The share as the node sent it (the receipt file is made from it). */
  view: ShareView
}

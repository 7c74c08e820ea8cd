// The council's changes waiting their notice period (issue 21), as the auditor publishes them
// (GET /api/council/pending) and a resident's node tells its household (GET /api/council/notices).

/** One call scheduled on the council's timelock, decoded (cells as H3 strings, numbers as decimal strings). */
export interface PendingChange {
  id: string
  action: { contract: 'AgencyRegistry' | 'WitnessRegistry' | 'unknown', method: string, args: Record<string, unknown> }
  /** Unix seconds: when it may be executed. */
  readyAt: number
  scheduledAt: number
  scheduledBlock: number
  scheduledTx: string
}

export interface PendingChangesView {
  /** The council's timelock, or null when the registry is governed by a plain key (no notice period). */
  timelock: string | null
  noticeSeconds: number | null
  /** Unix seconds of the chain's latest block: what `readyAt` is compared with. */
  chainTime: number
  changes: PendingChange[]
}

export interface CouncilNotice {
  /** The timelock operation id. */
  id: string
  method: 'register' | 'update'
  agency: string
  name: string
  /** Unix seconds from which the council may execute it. */
  readyAt: number
  /** This household's cameras inside the agency's jurisdiction-to-be. */
  cameras: string[]
}

export interface CouncilNoticesView {
  noticeSeconds: number | null
  notices: CouncilNotice[]
}

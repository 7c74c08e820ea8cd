// The auditor role: verifies agencies' public logs against the chain (docs/design.md §2 step 9, §6).
export { Auditor, type AuditorInit, type AuditPassOptions, type AuditorEvents } from './auditor.js'
export { auditAgency, type AuditPolicy, type AgencyAuditInput, type AgencyAuditResult } from './audit-agency.js'
export {
  type AgencyAuditState, type Observation, type AuditStateStore, emptyAgencyState, memoryAuditStateStore,
  levelAuditStateStore, mergeFindings
} from './audit-state.js'
export { loadChainView, ChainFollower, AgencyHistory, relayedAnchorsFrom, type ChainView, type AnchorRecord, type AgencyState, type RelayedAnchorSource, type RejectedRelayedAnchor } from './chain-view.js'
export { EntryRules, entryTime, requestOfEntry, usersOfEntry, emptyRulesState, type RulesState, type DayActivity, type EntryRulesContext } from './entry-rules.js'
export { RULES, finding, findingKey, type Finding, type Rule, type Severity } from './findings.js'
export {
  type LogSource, httpLogSource, p2pLogSource, logSourceFor, LogUnavailableError, AUDIT_PROTOCOL, MAX_LOG_RESOURCE_BYTES
} from './log-source.js'
export { type AuditReport, type AgencyReport, type RequestRates, requestRates, activityByDate, clipRetention, transparencyFigures } from './report.js'
export {
  AuditorService, auditorService, AuditorNoChainError, type AuditorServiceEvents, type AuditorComponents, type AuditorServiceInit
} from './auditor-service.js'
export { SightingBook, type Sighting, type SightingSource, type SightingBookInit } from './sightings.js'
export { gossipCells, topicCellsOfJurisdiction, MAX_AUDIT_TOPICS, type GossipCells } from './gossip-cells.js'
export { type WitnessRegistryView, type WitnessCheckpoints, type WitnessChange } from './witness-ports.js'
export { AgencyNotAuditedError, ReceiptNotVerifiedError, RequestNotInLogError } from './errors.js'
export { type EntryIndex, NO_ENTRIES, memoryEntryIndex, levelEntryIndex, auditedEntry, matchesFilter, MAX_ENTRIES_LISTED } from './entry-index.js'
export { listEntries, requestHistory, LOG_INTEGRITY_RULES } from './drill-down.js'
export { decodeBundle, type DecodedBundle, type DecodedEntry } from './decode-bundle.js'
export { auditorRoutes } from './routes.js'

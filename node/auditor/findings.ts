// What an audit finds: one finding per broken rule, naming the agency, the entry (when there is one), the
// rule by a stable code and the evidence (sizes, roots, hashes, transaction hashes) a reader can re-check.
// Violations break docs/design.md §6; warnings say the auditor could not check something (no endpoint, log down).
import type { Finding as FindingView, Severity } from '../../protocol/index.js'

export type { Severity }

/** Every rule an auditor checks, by its stable code, with its severity. */
export const RULES = {
  // The log itself (docs/design.md §6, first bullet) and its anchors.
  ANCHOR_ROOT_MISMATCH: 'violation',
  ANCHOR_INCONSISTENT: 'violation',
  CHECKPOINT_INVALID: 'violation',
  CHECKPOINT_ROOT_MISMATCH: 'violation',
  CHECKPOINT_INCONSISTENT: 'violation',
  SPLIT_VIEW: 'violation',
  // A witness answered a poll with a line in its name that its registered key did not sign.
  FORGED_COSIGNATURE: 'violation',
  LOG_TRUNCATED: 'violation',
  ENTRY_MISMATCH: 'violation',
  TILE_HASH_MISMATCH: 'violation',
  TILE_INVALID: 'violation',
  // Entries and the rules over them.
  ENTRY_MALFORMED: 'violation',
  ENTRY_BAD_SIGNATURE: 'violation',
  REQUEST_WRONG_AGENCY: 'violation',
  REQUEST_OUTSIDE_LIMITS: 'violation',
  REQUEST_OUTSIDE_JURISDICTION: 'violation',
  REQUEST_AGENCY_INACTIVE: 'violation',
  REQUEST_DUPLICATE: 'violation',
  WITHDRAW_UNKNOWN_REQUEST: 'violation',
  DELIVERY_UNKNOWN_REQUEST: 'violation',
  DELIVERY_BEFORE_REQUEST: 'violation',
  DELIVERY_AFTER_WITHDRAWAL: 'violation',
  DELIVERY_AFTER_EXPIRY: 'violation',
  // A suspended, revoked or lapsed agency receives nothing (its own receiver refuses; a resident does not send).
  DELIVERY_AGENCY_INACTIVE: 'violation',
  CLIP_UNKNOWN: 'violation',
  ACCESS_AFTER_DELETE: 'violation',
  SHARE_AFTER_DELETE: 'violation',
  SHARE_WITHOUT_LEGAL_BASIS: 'violation',
  DELETION_LATE: 'violation',
  RETENTION_EXCEEDED: 'violation',
  // Anchoring cadence.
  ANCHOR_LATE: 'violation',
  LOG_NOT_ANCHORING: 'violation',
  // What the auditor could not check.
  LOG_ENDPOINT_UNKNOWN: 'warning',
  LOG_UNAVAILABLE: 'warning',
  WITNESS_UNAVAILABLE: 'warning',
  GOSSIP_TOPICS_CAPPED: 'warning'
} as const satisfies Record<string, Severity>

export type Rule = keyof typeof RULES

/** A finding as the API sends it, its rule one of RULES. */
export interface Finding extends FindingView {
  rule: Rule
}

// The evidence fields that tell one finding of a rule from another (sizes, positions, clips); roots,
// hashes and times are what the finding shows, not what it is about.
const IDENTIFYING = ['size', 'treeSize', 'anchoredSize', 'verifiedSize', 'level', 'nodeIndex', 'fromSize', 'toSize', 'clip', 'path', 'witness'] as const

/** Two findings with one key are the same finding (found again by a later pass). */
export function findingKey (f: Pick<Finding, 'agency' | 'rule' | 'entryIndex' | 'evidence'>): string {
  // Every identifying field is a number or a string (sizes, indices, a clip's CID, a tile path).
  const about = IDENTIFYING.map((k) => String(f.evidence[k] as number | string | undefined ?? ''))
  return [f.agency.toLowerCase(), f.rule, String(f.entryIndex ?? ''), ...about].join('|')
}

/** A finding of `rule` with its severity filled in. */
export function finding (agency: string, rule: Rule, message: string, evidence: Record<string, unknown>, foundAt: number, entryIndex?: number): Finding {
  return { agency, rule, severity: RULES[rule], ...(entryIndex === undefined ? {} : { entryIndex }), evidence, message, foundAt }
}

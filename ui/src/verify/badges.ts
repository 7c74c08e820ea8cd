// Verification badges computed in the browser with protocol/, rather than taking the node's word:
//  - the EIP-712 signature must recover the agency the request names (in the domain of its chain);
//  - the inclusion proof must lead from the request's log entry to the root of a checkpoint the agency
//    signed;
//  - that checkpoint must carry cosignatures of a quorum of the registered witnesses, made near the request's
//    `issuedAt` (checkWitnessQuorum, the relays' own check). Which witnesses are registered, and k, are read
//    from the chain by the node: the set is the node's word, every cosignature is checked here.
// Registration and jurisdiction need the registry, which only the node reads: those badges say "as reported
// by your node". Registration is the agency's status now (the node follows the registry) where the node sends
// it, so a suspension turns the badge red on requests that arrived before it.
import {
  checkWitnessQuorum, cosignatureWindow, encodeLogEntry, hashLeaf, verifyCheckpoint, verifyInclusion, verifySigned, isInsideJurisdiction,
  fromHex, type Domain, type SignedRequest
} from '../../../protocol/index.js'
import type { AgencyStanding, InclusionEvidence, Verification } from '../api/types.js'

export type BadgeState = 'ok' | 'fail' | 'unknown'

export interface Badge {
  state: BadgeState
  label: string
  /** What was checked and by whom, for the badge's description. */
  detail: string
}

export interface RequestBadges {
  signature: Badge
  registered: Badge
  jurisdiction: Badge
  logged: Badge
  witnessed: Badge
}

function reason (err: unknown): string {
  const e = err as { name?: string, code?: string, message?: string }
  return `${e.code ?? e.name ?? 'error'}: ${e.message ?? String(err)}`
}

export function domainOf (eip712Domain: { chainId: number | string, verifyingContract: string }): Domain {
  return { chainId: BigInt(eip712Domain.chainId), verifyingContract: eip712Domain.verifyingContract }
}

/** Checks that the signature recovers the agency the request names. */
export function signatureBadge (signed: SignedRequest, domain: Domain): Badge {
  try {
    const signer = verifySigned('Request', signed, domain)
    return { state: 'ok', label: 'Signed by the agency', detail: `EIP-712 signature recovers ${signer}, checked in this browser` }
  } catch (err) {
    return { state: 'fail', label: 'Signature does not match', detail: reason(err) }
  }
}

/** Checks, in this browser, that the request's log entry is in the log under a checkpoint the agency signed. */
export function inclusionBadge (signed: SignedRequest, evidence: InclusionEvidence | undefined, chainId: bigint | number): Badge {
  if (evidence === undefined) return { state: 'unknown', label: 'Log proof not available', detail: 'the node did not send the inclusion proof' }
  try {
    const checkpoint = verifyCheckpoint(evidence.checkpoint, signed.message.agency, chainId)
    const leaf = hashLeaf(encodeLogEntry({ kind: 'request', request: signed }))
    verifyInclusion(leaf, evidence.logIndex, checkpoint.size, evidence.proof.map(fromHex), checkpoint.root)
    return {
      state: 'ok',
      label: 'In the agency\'s public log',
      detail: `entry ${evidence.logIndex} of ${checkpoint.size}, proof checked in this browser against the agency-signed checkpoint`
    }
  } catch (err) {
    return { state: 'fail', label: 'Not proven to be in the log', detail: reason(err) }
  }
}

/**
 * Checks, in this browser, that the evidence checkpoint carries cosignatures from a quorum of the witness set
 * the node read from WitnessRegistry, each made within cosignatureWindow(issuedAt).
 */
export function witnessBadge (signed: SignedRequest, evidence: InclusionEvidence | undefined, verification: Verification | undefined): Badge {
  const set = verification?.witnesses
  if (evidence === undefined) return { state: 'unknown', label: 'Witnesses not checked', detail: 'the node did not send the checkpoint' }
  if (set === undefined) return { state: 'unknown', label: 'Witnesses not reported', detail: 'the node did not report the registered witnesses' }
  try {
    const q = checkWitnessQuorum(evidence.checkpoint, { quorum: set.quorum, witnesses: set.set }, cosignatureWindow(signed.message.issuedAt))
    return {
      state: 'ok',
      label: `Witnessed by ${q.cosigned.length} of ${q.total}`,
      detail: `cosigned by ${q.cosigned.map((c) => c.name).join(', ')} (quorum ${q.quorum}), checked in this browser against the witnesses registered on chain (as read by your node)`
    }
  } catch (err) {
    return { state: 'fail', label: 'Not witnessed', detail: reason(err) }
  }
}

export function registeredBadge (verification: Verification | undefined, now: number, current?: AgencyStanding): Badge {
  if (current !== undefined) {
    const name = verification?.agency.name ?? 'the agency'
    return {
      state: current.active ? 'ok' : 'fail',
      label: current.active ? 'Registered agency' : `Agency ${current.status === 'active' ? 'registration expired' : current.status}`,
      detail: `${name}: ${current.status} in the registry now, valid until ${new Date(current.validUntil * 1000).toISOString().slice(0, 10)} (as read by your node)` +
        (current.active || verification?.agency.status !== 'active' ? '' : '; it was active when the request arrived')
    }
  }
  if (verification === undefined) return { state: 'unknown', label: 'Registration not reported', detail: 'the node did not report the registry' }
  const { name, status, validUntil } = verification.agency
  const active = status === 'active' && (validUntil === 0 || validUntil > now)
  return {
    state: active ? 'ok' : 'fail',
    label: active ? 'Registered agency' : `Agency ${status}`,
    detail: `${name}: ${status} in the registry, valid until ${new Date(validUntil * 1000).toISOString().slice(0, 10)} (as read by your node)`
  }
}

export function jurisdictionBadge (verification: Verification | undefined, cells: readonly string[], jurisdiction?: readonly string[]): Badge {
  if (jurisdiction !== undefined) {
    const inside = isInsideJurisdiction(cells, jurisdiction)
    return { state: inside ? 'ok' : 'fail', label: inside ? 'Inside its jurisdiction' : 'Outside its jurisdiction', detail: 'area checked against the registered cells in this browser' }
  }
  if (verification === undefined) return { state: 'unknown', label: 'Jurisdiction not reported', detail: '' }
  return {
    state: verification.insideJurisdiction ? 'ok' : 'fail',
    label: verification.insideJurisdiction ? 'Inside its jurisdiction' : 'Outside its jurisdiction',
    detail: 'the area against the agency\'s registered cells (as read by your node)'
  }
}

export interface BadgeInput {
  request: SignedRequest
  domain: { chainId: number | string, verifyingContract: string }
  verification?: Verification
  /** The agency's status now, as the node reads the registry (InboxItemView.agencyStatus). */
  agencyStatus?: AgencyStanding
  evidence?: InclusionEvidence
  now: number
}

export function requestBadges (input: BadgeInput): RequestBadges {
  const domain = domainOf(input.domain)
  return {
    signature: signatureBadge(input.request, domain),
    registered: registeredBadge(input.verification, input.now, input.agencyStatus),
    jurisdiction: jurisdictionBadge(input.verification, input.request.message.cells),
    logged: inclusionBadge(input.request, input.evidence, domain.chainId),
    witnessed: witnessBadge(input.request, input.evidence, input.verification)
  }
}

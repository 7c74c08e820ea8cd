// Auto-ignore rules. A policy can only ever ignore a request, never share anything (docs/design.md §2 step 5).
import { getAddress } from 'ethers'
import { isCategory, type IgnoreReason, type InboxPolicy, type Request } from '../../protocol/index.js'
import { InvalidInboxPolicyError } from './errors.js'

export type { IgnoreReason, InboxPolicy }

export const emptyPolicy = (): InboxPolicy => ({ ignoreCategories: [], ignoreAgencies: [] })

/** Checks and normalizes a policy (categories from the closed list; addresses checksummed, deduplicated). */
export function toInboxPolicy (value: InboxPolicy): InboxPolicy {
  value.ignoreCategories.forEach((c, i) => { if (!isCategory(c)) throw new InvalidInboxPolicyError(`ignoreCategories[${i}]`, c, 'is not a request category') })
  const agencies = value.ignoreAgencies.map((a, i) => {
    try { return getAddress(a) } catch { throw new InvalidInboxPolicyError(`ignoreAgencies[${i}]`, a, 'is not an address') }
  })
  return { ignoreCategories: [...new Set(value.ignoreCategories)].sort(), ignoreAgencies: [...new Set(agencies)].sort() }
}

/** Both policies' rules together (the config's and the one set through the API). */
export function mergePolicies (a: InboxPolicy, b: InboxPolicy): InboxPolicy {
  return toInboxPolicy({ ignoreCategories: [...a.ignoreCategories, ...b.ignoreCategories], ignoreAgencies: [...a.ignoreAgencies, ...b.ignoreAgencies] })
}

/** Why `policy` ignores `request`, or undefined when it does not. */
export function policyIgnores (policy: InboxPolicy, request: Request): IgnoreReason | undefined {
  if (policy.ignoreCategories.includes(request.category)) return 'category'
  if (policy.ignoreAgencies.includes(getAddress(request.agency))) return 'agency'
  return undefined
}

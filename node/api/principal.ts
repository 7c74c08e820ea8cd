// Who made an API request, in the agency's terms: a user with a role (docs/agency.md, issue 19). A user's id is
// a pseudonym the agency chooses (a badge number), and it is what the agency's log records in `access`,
// `share` and `delete` entries: never a name. The node's own token (the api-token file, the operator at the
// machine) acts as the operator, who holds every role.
import type { UserRole } from '../../protocol/index.js'
import { RoleRequiredError } from './errors.js'

export type { UserRole }
export const USER_ROLES: readonly UserRole[] = ['investigator', 'supervisor', 'admin']

export interface ApiUser {
  /** The pseudonymous id the agency chose, recorded in log entries. */
  id: string
  role: UserRole
}

/** The user the node's own token acts as. */
export const OPERATOR: ApiUser = { id: 'operator', role: 'admin' }

/** The user a request acts as: the one whose credential opened it, or the operator for the node's token. */
export function userOf (request: { user: ApiUser | undefined }): ApiUser {
  return request.user ?? OPERATOR
}

/** Each role holds the ones below it: an admin may do what a supervisor may, a supervisor what an investigator may. */
const RANK: Record<UserRole, number> = { investigator: 0, supervisor: 1, admin: 2 }

/** The request's user, if it holds `role` (or a higher one); else RoleRequiredError (403). */
export function requireRole (request: { user: ApiUser | undefined }, role: UserRole): ApiUser {
  const user = userOf(request)
  if (RANK[user.role] < RANK[role]) throw new RoleRequiredError(role, user.role)
  return user
}

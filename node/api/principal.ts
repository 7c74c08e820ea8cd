// Who made an API request, in the agency's terms: a user with a role (docs/agency.md, issue 19). A user's id is
// a pseudonym the agency chooses (a badge number), and it is what the agency's log records in `access`,
// `share` and `delete` entries: never a name. The node's own token (the api-token file, the operator at the
// machine) acts as the operator, who holds every role.

export type UserRole = 'investigator' | 'supervisor' | 'admin'
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

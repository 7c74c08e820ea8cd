// An agency's users (issue 19): each with a role and a credential of their own. The id is a pseudonym the
// agency chooses (a badge number); it is what the agency's log records as the actor of an access, share or
// delete, never a name. The credential is answered once, when the user is added; the node keeps its hash.

export type UserRole = 'investigator' | 'supervisor' | 'admin'

/** Who a request acts as (`GET /api/me`): a user, or the operator for the node's own token. */
export interface ApiUserView {
  id: string
  role: UserRole
}

/** A user as `GET /api/users` lists it. */
export interface UserView {
  id: string
  role: UserRole
  /** ISO 8601. */
  createdAt: string
  /** ISO 8601: since when their credential is refused (absent: active). A disabled id is never given again. */
  disabledAt?: string
}

/** `POST /api/users`'s answer: the only time the user's credential is ever sent. */
export interface CreatedUser {
  user: UserView
  token: string
}

/**
 * A share an investigator proposed, waiting for a supervisor (`GET /api/share-proposals`). Approved, it is
 * logged as a `share` entry with `actor: proposedBy` and `approvedBy: <the supervisor>`; nothing of it is
 * in the log before.
 */
export interface ShareProposalView {
  id: string
  clip: string
  recipient: string
  legalBasis: string
  proposedBy: string
  /** Unix seconds. */
  proposedAt: number
}

// An agency's users (issue 19): investigators, supervisors and admins, each with a credential of their own,
// so the log names who opened, shared or deleted footage (node/api/principal.ts). Kept as paired devices
// are (node/api/devices.ts, whose hashing this reuses): only each credential's SHA-256, compared in constant
// time against every active user. A user is disabled, never deleted: their id stays in the log, so it must
// keep naming one person, and is never given to anyone else.
import { EventEmitter } from 'node:events'
import { PorchlightError } from '../../protocol/errors.js'
import type { CreatedUser, UserRole, UserView } from '../../protocol/index.js'
import { hashToken, matchToken, newToken } from '../api/devices.js'
import type { ApiUser } from '../api/principal.js'
import type { UserTokens } from '../api/auth.js'
import type { Logger } from '../logging/index.js'
import type { Sublevel } from '../storage/index.js'

export class UnknownUserError extends PorchlightError {
  static override readonly code = 'UNKNOWN_USER'
  static override readonly status = 404
  constructor (id: string) {
    super(UnknownUserError.code, `no user ${id}`, { details: { id } })
    this.name = 'UnknownUserError'
  }
}

export class UserExistsError extends PorchlightError {
  static override readonly code = 'USER_EXISTS'
  static override readonly status = 409
  constructor (id: string) {
    super(UserExistsError.code, `the id ${id} is taken (a disabled user's id is never given again: the log names them by it)`, { details: { id } })
    this.name = 'UserExistsError'
  }
}

/** An id the log uses for someone else: the operator, the retention job, a resident's request. */
export class ReservedUserIdError extends PorchlightError {
  static override readonly code = 'RESERVED_USER_ID'
  static override readonly status = 422
  constructor (id: string) {
    super(ReservedUserIdError.code, `${id} is what the log calls someone else: choose another id`, { details: { id, reserved: [...RESERVED_IDS] } })
    this.name = 'ReservedUserIdError'
  }
}

export class TooManyUsersError extends PorchlightError {
  static override readonly code = 'TOO_MANY_USERS'
  static override readonly status = 409
  constructor (max: number) {
    super(TooManyUsersError.code, `at most ${max} users (disabled ones count: their ids stay taken)`, { details: { max } })
    this.name = 'TooManyUsersError'
  }
}

export class UserDisabledError extends PorchlightError {
  static override readonly code = 'USER_DISABLED'
  static override readonly status = 409
  constructor (id: string) {
    super(UserDisabledError.code, `${id} is already disabled`, { details: { id } })
    this.name = 'UserDisabledError'
  }
}

/** A badge number or another pseudonym: letters, digits, `.`, `_`, `-`; what log entries carry. */
export const USER_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'
/** The actors the log already names: the node's own token, the retention job, a resident's request, the agency. */
const RESERVED_IDS = new Set(['operator', 'retention', 'resident-request', 'agency'])

interface UserRecord extends UserView {
  /** SHA-256 of the credential, hex. */
  tokenHash: string
}

export interface UserBookInit {
  /** Where the records live (a sublevel of the node's store, utf8 JSON values). */
  db: Sublevel<string, string>
  logger?: Logger
  /** @default 1024: each active one costs every request one hash compare. */
  maxUsers?: number
  /** @default Date.now */
  clock?: () => number
}

export interface UserBookEvents {
  /** After a user is disabled: whatever their requests still hold open (an event stream) ends on it. */
  'user:disabled': [UserView]
}

export class UserBook extends EventEmitter<UserBookEvents> implements UserTokens {
  readonly #db: Sublevel<string, string>
  readonly #logger: Logger | undefined
  readonly #max: number
  readonly #clock: () => number
  readonly #users = new Map<string, UserRecord>()
  /** The active users' hashes: what a credential is checked against. */
  readonly #active = new Map<string, { user: ApiUser, hash: Buffer }>()

  constructor (init: UserBookInit) {
    super()
    this.#db = init.db
    this.#logger = init.logger
    this.#max = init.maxUsers ?? 1024
    this.#clock = init.clock ?? Date.now
  }

  /** Reads the users; call before the API accepts requests. */
  async load (): Promise<void> {
    for await (const [id, value] of this.#db.iterator()) this.#remember(id, JSON.parse(value) as UserRecord)
  }

  list (): UserView[] {
    return [...this.#users.values()].map(toView).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  }

  /** A new user and their credential, answered this once. */
  async add (id: string, role: UserRole): Promise<CreatedUser> {
    if (!new RegExp(USER_ID_PATTERN).test(id)) throw new TypeError(`not a user id: ${id}`)
    if (RESERVED_IDS.has(id.toLowerCase())) throw new ReservedUserIdError(id)
    // Ids are compared as the log's readers would read them: OFC-12 and ofc-12 are one person.
    if ([...this.#users.keys()].some((taken) => taken.toLowerCase() === id.toLowerCase())) throw new UserExistsError(id)
    if (this.#users.size >= this.#max) throw new TooManyUsersError(this.#max)
    const token = newToken()
    const record: UserRecord = { id, role, createdAt: new Date(this.#clock()).toISOString(), tokenHash: hashToken(token).toString('hex') }
    await this.#db.put(id, JSON.stringify(record))
    this.#remember(id, record)
    this.#logger?.info({ user: id, role }, 'users: added')
    return { user: toView(record), token }
  }

  /** Disables a user: their next request is refused, and those in flight end. */
  async disable (id: string): Promise<UserView> {
    const record = this.#users.get(id)
    if (record === undefined) throw new UnknownUserError(id)
    if (record.disabledAt !== undefined) throw new UserDisabledError(id)
    const disabled: UserRecord = { ...record, disabledAt: new Date(this.#clock()).toISOString() }
    // Refused from now on, before the store is written: a request arriving meanwhile is already refused.
    this.#active.delete(id)
    try {
      await this.#db.put(id, JSON.stringify(disabled))
    } catch (err) {
      this.#remember(id, record)
      throw err
    }
    this.#users.set(id, disabled)
    this.#logger?.info({ user: id }, 'users: disabled')
    const view = toView(disabled)
    this.emit('user:disabled', view)
    return view
  }

  userFor (token: string): ApiUser | undefined {
    return matchToken(token, this.#active.values())?.user
  }

  #remember (id: string, record: UserRecord): void {
    this.#users.set(id, record)
    if (record.disabledAt === undefined) this.#active.set(id, { user: { id, role: record.role }, hash: Buffer.from(record.tokenHash, 'hex') })
  }
}

function toView (record: UserView): UserView {
  return { id: record.id, role: record.role, createdAt: record.createdAt, ...(record.disabledAt === undefined ? {} : { disabledAt: record.disabledAt }) }
}

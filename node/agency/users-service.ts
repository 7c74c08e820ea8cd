// The agency's users as a node service: the book in the `users` sublevel, read at start (before the API
// listens) and handed to the API, which then accepts each active user's credential as theirs.
import type { NodeComponents, NodeService } from '../service.js'
import { UserBook } from './users.js'

export interface AgencyUsers extends NodeService {
  readonly book: UserBook
}

export function agencyUsers (): (components: Pick<NodeComponents, 'store' | 'logger' | 'api'>) => AgencyUsers {
  return ({ store, logger, api }) => {
    const book = new UserBook({ db: store.sublevel<string, string>('users', { valueEncoding: 'utf8' }), logger: logger.child({ component: 'users' }) })
    api.acceptUsers(book)
    return { book, async start () { await book.load() } }
  }
}

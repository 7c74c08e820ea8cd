// The request desk as the footage receiver's RequestBook: what it needs to accept a delivery (the signed
// request, whether it is logged, its status now) and, only when a clip is to be checked or opened, the
// request's age identity from its file.
import type { AgencyRequestRecord, RequestBook } from '../deliveries/receiver.js'
import { NoKeyFolderError } from './errors.js'
import type { IdentityFolder } from './identity-folder.js'
import type { RequestDesk } from './request-desk.js'

export interface BookedRequest extends AgencyRequestRecord {
  /** Where the `request` entry sits in the log. */
  logIndex: number
}

export function requestBookOf (desk: RequestDesk, identities: IdentityFolder | undefined): RequestBook & { get: (id: string) => Promise<BookedRequest | undefined> } {
  return {
    async get (id) {
      const found = await desk.lookup(id)
      if (found === undefined) return undefined
      return {
        signed: found.stored.request,
        status: found.status,
        // The desk stores a request only after its entry is in the log.
        logged: true,
        logIndex: found.stored.logIndex,
        identities: async () => {
          if (identities === undefined) throw new NoKeyFolderError()
          return await identities.read(id)
        }
      }
    }
  }
}

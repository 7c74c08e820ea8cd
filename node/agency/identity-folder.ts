// Each request's age identity lives in `<dir>/keys/requests/<request id>.age`, in age's identity-file
// format and readable by the node's user only: with it, any age tool opens that request's footage.
import { mkdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { formatIdentityFile, parseIdentityFile } from '../../protocol/index.js'
import { writeFileAtomic } from '../config/index.js'

export class IdentityFolder {
  readonly path: string

  constructor (path: string) {
    this.path = path
  }

  fileOf (requestId: string): string {
    return join(this.path, `${requestId}.age`)
  }

  async write (requestId: string, identity: string): Promise<string> {
    await mkdir(this.path, { recursive: true, mode: 0o700 })
    const file = this.fileOf(requestId)
    await writeFileAtomic(file, await formatIdentityFile(identity), 0o600)
    return file
  }

  /** The identities in a request's file (`AGE-SECRET-KEY-1…`): what opens that request's footage. */
  async read (requestId: string): Promise<string[]> {
    return parseIdentityFile(await readFile(this.fileOf(requestId), 'utf8'))
  }

  /** Takes back an identity whose request never made it into the log. */
  async remove (requestId: string): Promise<void> {
    await unlink(this.fileOf(requestId)).catch(() => {})
  }
}

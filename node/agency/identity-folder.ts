// Each request's age identity lives in `<dir>/keys/requests/`, readable by the node's user only. Unsealed
// (a node never given the operator's secret) it is `<request id>.age`, age's identity-file format, which any
// age tool opens. Sealed (docs/agency.md, "Keys at rest") it is `<request id>.sealed`, the same text under
// a key from the operator's secret (identity-seal.ts), with `seal.json` beside it: then a copy of the disk,
// or a backup, opens no footage without that secret. The folder is in one of three states, fixed at start:
//  - plain: no secret given and nothing sealed yet (as before issue 19; the node warns at start);
//  - sealed: the secret given: every `.age` left is sealed (and removed) before anything else;
//  - locked: things are sealed and no secret was given: no identity is read or written (KeysLockedError),
//    never one written unsealed beside sealed ones.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { formatIdentityFile, parseIdentityFile } from '../../protocol/index.js'
import { writeFileAtomic } from '../config/index.js'
import { KeysLockedError } from './errors.js'
import { IdentitySeal, type OperatorSecret, type SealFile } from './identity-seal.js'

export type IdentityFolderState = 'plain' | 'sealed' | 'locked'

export interface UnlockResult {
  state: IdentityFolderState
  /** The plain identity files sealed (and removed) by this start. */
  migrated: number
}

export class IdentityFolder {
  readonly path: string
  #state: IdentityFolderState = 'plain'
  #seal: IdentitySeal | undefined

  constructor (path: string) {
    this.path = path
  }

  get state (): IdentityFolderState {
    return this.#state
  }

  /** The file a request's identity is in, in the folder's current state. */
  fileOf (requestId: string): string {
    return join(this.path, `${requestId}${this.#state === 'plain' ? '.age' : '.sealed'}`)
  }

  /**
   * Called once at start, before any identity is read or written: opens (or, the first time, makes) the seal
   * with the operator's secret and seals the plain files left; without a secret, locks a sealed folder.
   * A wrong secret is WrongSecretError, and changes nothing.
   */
  async unlock (secret: OperatorSecret | undefined, cost?: { N: number, r: number, p: number }): Promise<UnlockResult> {
    const sealPath = join(this.path, 'seal.json')
    const existing = await readFile(sealPath, 'utf8').then((t) => JSON.parse(t) as SealFile, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined
      throw err
    })
    const names = await readdir(this.path).catch(() => [] as string[])
    if (secret === undefined) {
      this.#state = existing !== undefined || names.some((n) => n.endsWith('.sealed')) ? 'locked' : 'plain'
      return { state: this.#state, migrated: 0 }
    }
    let seal: IdentitySeal
    if (existing !== undefined) {
      seal = await IdentitySeal.open(secret.secret, existing, secret.source)
    } else {
      const made = await IdentitySeal.create(secret.secret, cost)
      await mkdir(this.path, { recursive: true, mode: 0o700 })
      await writeFileAtomic(sealPath, JSON.stringify(made.file, null, 2) + '\n', 0o600)
      seal = made.seal
    }
    this.#seal = seal
    this.#state = 'sealed'
    // Sealed file first, then the plain one removed: a crash between leaves both, and the next start seals
    // the plain one again (the same identity) and removes it.
    let migrated = 0
    for (const name of names) {
      if (!name.endsWith('.age')) continue
      const requestId = name.slice(0, -'.age'.length)
      const text = await readFile(join(this.path, name), 'utf8')
      await writeFileAtomic(this.fileOf(requestId), seal.sealIdentity(requestId, text), 0o600)
      await unlink(join(this.path, name))
      migrated++
    }
    return { state: this.#state, migrated }
  }

  async write (requestId: string, identity: string): Promise<string> {
    if (this.#state === 'locked') throw new KeysLockedError()
    await mkdir(this.path, { recursive: true, mode: 0o700 })
    const file = this.fileOf(requestId)
    const text = await formatIdentityFile(identity)
    await writeFileAtomic(file, this.#seal === undefined ? text : this.#seal.sealIdentity(requestId, text), 0o600)
    return file
  }

  /** The identities in a request's file (`AGE-SECRET-KEY-1…`): what opens that request's footage. */
  async read (requestId: string): Promise<string[]> {
    if (this.#state === 'locked') throw new KeysLockedError()
    const text = await readFile(this.fileOf(requestId), 'utf8')
    return parseIdentityFile(this.#seal === undefined ? text : this.#seal.openIdentity(requestId, text))
  }

  /** Takes back an identity whose request never made it into the log. */
  async remove (requestId: string): Promise<void> {
    for (const ext of ['.age', '.sealed']) await unlink(join(this.path, `${requestId}${ext}`)).catch(() => {})
  }
}

// The agency's footage at rest: age files exactly as received (still encrypted to the request's key), one
// folder per consent: `<root>/<consent id>/<clip cid>.age`. A transfer writes under `<root>/.incoming/` and
// is moved into place only once every clip of the consent verified; a crash leaves only `.incoming` files,
// which `open` removes (nothing there was ever delivered).
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'

const INCOMING = '.incoming'

export class FootageVault {
  readonly root: string

  private constructor (root: string) {
    this.root = root
  }

  static async open (root: string): Promise<FootageVault> {
    await rm(join(root, INCOMING), { recursive: true, force: true })
    await mkdir(join(root, INCOMING), { recursive: true })
    return new FootageVault(root)
  }

  /** Where a delivered clip's age file lives. */
  path (consent: string, cid: string): string {
    return join(this.root, consent, `${cid}.age`)
  }

  /** A fresh temporary file for one incoming clip. */
  async incoming (): Promise<{ path: string, file: FileHandle }> {
    const path = join(this.root, INCOMING, randomBytes(12).toString('hex') + '.part')
    return { path, file: await open(path, 'wx', 0o600) }
  }

  /** Moves a consent's verified files into place (each file already fsynced), then syncs the folders. */
  async commit (consent: string, files: ReadonlyArray<{ cid: string, path: string }>): Promise<void> {
    const dir = join(this.root, consent)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    for (const f of files) await rename(f.path, this.path(consent, f.cid))
    await syncDir(dir)
    await syncDir(this.root)
  }

  async discard (paths: readonly string[]): Promise<void> {
    await Promise.all(paths.map(async (p) => { await rm(p, { force: true }) }))
  }

  /** Deletes a delivered clip's file (a deletion is logged by the caller first). */
  async remove (consent: string, cid: string): Promise<void> {
    await rm(this.path(consent, cid), { force: true })
    const dir = join(this.root, consent)
    if ((await readdir(dir).catch(() => ['x'])).length === 0) await rm(dir, { recursive: true, force: true })
  }
}

async function syncDir (dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try { await handle.sync() } finally { await handle.close() }
}

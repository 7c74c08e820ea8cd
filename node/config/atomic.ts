import { open, rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { randomBytes } from 'node:crypto'

/**
 * Writes `data` to `path` so that a reader (or a crash) sees the old file or the new one, never a part:
 * a temporary file beside it, flushed, then renamed over it. `mode` applies from the first byte.
 */
export async function writeFileAtomic (path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  const file = await open(tmp, 'wx', mode)
  try {
    await file.writeFile(data)
    await file.sync()
  } catch (err) {
    await file.close()
    await unlink(tmp).catch(() => {})
    throw err
  }
  await file.close()
  try {
    await rename(tmp, path)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw err
  }
  // The rename itself is durable only once the directory is flushed (not possible on every platform).
  const dir = await open(dirname(path), 'r').catch(() => undefined)
  if (dir !== undefined) {
    await dir.sync().catch(() => {})
    await dir.close()
  }
}

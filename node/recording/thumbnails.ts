// Thumbnails of recorded segments, made on the node with ffmpeg (one decoded frame, scaled down, JPEG) and
// kept in a cache directory beside the recordings, so the inbox's images cost one ffmpeg run each, once.
// A cached image is named after the segment file and the offset, so a segment retention deleted is never
// shown again; `pruneThumbnails` removes images older than the recordings are kept.
import { createHash } from 'node:crypto'
import { execFile } from 'node:child_process'
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { CutFailedError } from './range-errors.js'

const run = promisify(execFile)

/** Pixels wide: enough to recognise a scene on a phone, small enough to list a dozen. */
export const THUMBNAIL_WIDTH = 320

export interface ThumbnailInit {
  ffmpeg: string
  /** The cache directory. */
  cache: string
}

/** A Buffer as the plain Uint8Array the RangeSource interface promises. */
function bytes (b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

/** A JPEG of the frame `offsetMs` into `file` (absolute), from the cache or made now. */
export async function segmentThumbnail (init: ThumbnailInit, file: string, offsetMs: number, signal?: AbortSignal): Promise<Uint8Array> {
  // Whole tenths of a second: requests for nearly the same instant share one image.
  const tenths = Math.max(0, Math.round(offsetMs / 100))
  const key = createHash('sha256').update(`${file}\0${tenths}`).digest('hex').slice(0, 32)
  const path = join(init.cache, `${key}.jpg`)
  try { return bytes(await readFile(path)) } catch { /* not cached yet */ }
  try {
    const { stdout } = await run(init.ffmpeg, [
      '-hide_banner', '-v', 'error', '-ss', (tenths / 10).toFixed(1), '-i', file, '-frames:v', '1',
      '-vf', `scale=${THUMBNAIL_WIDTH}:-2`, '-q:v', '5', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'
    ], { encoding: 'buffer', maxBuffer: 4 * 1024 * 1024, ...(signal === undefined ? {} : { signal }) })
    if (stdout.length === 0) throw new Error('ffmpeg wrote no frame')
    await mkdir(init.cache, { recursive: true })
    // Written then renamed: a reader never sees half an image.
    const temp = `${path}.${process.pid}.tmp`
    await writeFile(temp, stdout)
    await rename(temp, path)
    return bytes(stdout)
  } catch (err) {
    throw new CutFailedError({ thumbnail: true, offsetMs }, err)
  }
}

/** Removes cached thumbnails older than `maxAgeMs` (they may show footage retention has deleted). */
export async function pruneThumbnails (cache: string, maxAgeMs: number, now = Date.now()): Promise<number> {
  let removed = 0
  let names: string[]
  try { names = await readdir(cache) } catch { return 0 }
  for (const name of names) {
    const path = join(cache, name)
    try {
      if (now - (await stat(path)).mtimeMs > maxAgeMs) { await rm(path, { force: true }); removed++ }
    } catch { /* removed meanwhile */ }
  }
  return removed
}

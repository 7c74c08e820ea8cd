// Sample footage for the demo, made on this machine at demo start: a few seconds of one of ffmpeg's lavfi
// test sources, tinted per clip so that no two clips have the same bytes (a clip's id is its hash), as
// H.264 in MP4 with the index up front (faststart) so that a browser's <video> plays it while loading.
// The ffmpeg binary comes inside an npm package (@ffmpeg-installer/<platform>): no download at run time.
import { execFile } from 'node:child_process'
import { access, mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import ffmpeg from '@ffmpeg-installer/ffmpeg'
import { PorchlightError } from '../../protocol/errors.js'

const run = promisify(execFile)

export const sampleClipSeconds = 4
const sources = [
  'testsrc2=size=320x240:rate=15',
  'mandelbrot=size=320x240:rate=15',
  'smptebars=size=320x240:rate=15',
  'testsrc=size=320x240:rate=15'
]

export class SampleClipError extends PorchlightError {
  static override readonly code = 'DEMO_SAMPLE_CLIP_FAILED'
  static override readonly status = 500
  constructor (path: string, cause: unknown) {
    super(SampleClipError.code, `ffmpeg could not make ${path}`, { details: { path, ffmpeg: ffmpeg.path }, cause })
    this.name = 'SampleClipError'
  }
}

/** The lavfi filter graph of clip number `n`: the source cycles, the hue turns. */
export function sampleClipFilter (n: number): string {
  const hue = (n * 47) % 360
  return `${sources[n % sources.length]!},trim=duration=${sampleClipSeconds},hue=h=${hue}`
}

/** Makes `<dir>/sample-<n>.mp4` unless it exists (written to a temporary name, then renamed); returns its path. */
export async function makeSampleClip (dir: string, n: number): Promise<string> {
  const path = join(dir, `sample-${n}.mp4`)
  if (await access(path).then(() => true, () => false)) return path
  await mkdir(dir, { recursive: true })
  const partial = `${path}.partial.mp4`
  try {
    await run(ffmpeg.path, [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'lavfi', '-i', sampleClipFilter(n),
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart',
      '-y', partial
    ])
    await rename(partial, path)
  } catch (err) {
    await rm(partial, { force: true })
    throw new SampleClipError(path, err)
  }
  return path
}

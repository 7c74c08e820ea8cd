// Which ffmpeg and ffprobe the node runs (docs/cameras.md, "Which ffmpeg"): the config's paths when set;
// otherwise the system's (found on PATH: the operating system keeps it patched, and it parses what cameras
// send over the network); otherwise, for ffmpeg, the one inside the npm package. No ffprobe comes from npm:
// @ffprobe-installer's static build segfaults (exit 139) on probing any file here, so without a system
// ffprobe the name is returned as it is and the first use fails with a typed "not found" error.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import ffmpeg from '@ffmpeg-installer/ffmpeg'
import type { NodeConfig } from '../config/index.js'

const found = new Map<string, string | undefined>()

/** The first executable `name` on PATH, or undefined (looked up once per process). */
function onPath (name: string): string | undefined {
  if (!found.has(name)) {
    found.set(name, (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, name)).find((file) => {
      try { accessSync(file, constants.X_OK); return true } catch { return false }
    }))
  }
  return found.get(name)
}

export function ffmpegPath (config: Pick<NodeConfig, 'recording'>): string {
  return config.recording?.ffmpeg ?? onPath('ffmpeg') ?? ffmpeg.path
}

export function ffprobePath (config: Pick<NodeConfig, 'recording'>): string {
  return config.recording?.ffprobe ?? onPath('ffprobe') ?? 'ffprobe'
}

/**
 * util-linux's setpriv (Linux), to start ffmpeg with a parent-death signal: a node killed with SIGKILL takes its
 * recorders with it, instead of leaving them filling the folder with segments no index will name.
 */
export function setprivPath (): string | undefined {
  return process.platform === 'linux' ? onPath('setpriv') : undefined
}

// Which ffmpeg and ffprobe the node runs (docs/cameras.md, "Which ffmpeg"): the config's paths when set,
// otherwise the ones inside the npm packages, so a node needs nothing installed beside itself.
import ffmpeg from '@ffmpeg-installer/ffmpeg'
import ffprobe from '@ffprobe-installer/ffprobe'
import type { NodeConfig } from '../config/index.js'

export function ffmpegPath (config: Pick<NodeConfig, 'recording'>): string {
  return config.recording?.ffmpeg ?? ffmpeg.path
}

export function ffprobePath (config: Pick<NodeConfig, 'recording'>): string {
  return config.recording?.ffprobe ?? ffprobe.path
}

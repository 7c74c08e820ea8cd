// A resident's continuous recording (node/recording): segments and bytes written, ffmpeg restarts, segments
// deleted by retention (by reason), stops at the disk floor, and what is kept. Totals over all cameras: a
// camera's name says where it looks, and its URL may carry a password, so neither is ever a label. Private,
// like the inbox's figures (served only to the token's holder).
import { Counter, Gauge, type Registry } from 'prom-client'
import type { RecordingEvents, RecordingService } from '../recording/index.js'

export function recordingMetrics (registry: Registry, recordings: RecordingService): () => void {
  const segments = new Counter({ name: 'porchlight_recording_segments_total', help: 'Recorded segments closed and indexed', registers: [registry] })
  const bytes = new Counter({ name: 'porchlight_recording_bytes_written_total', help: 'Bytes of the recorded segments indexed', registers: [registry] })
  const restarts = new Counter({ name: 'porchlight_recording_restarts_total', help: 'ffmpeg runs started again after one ended (a camera dropped out or stalled)', registers: [registry] })
  const deleted = new Counter({ name: 'porchlight_recording_segments_deleted_total', help: 'Segments deleted by retention, by reason (age: older than retentionDays; budget: over maxBytes)', labelNames: ['reason'] as const, registers: [registry] })
  const diskFull = new Counter({ name: 'porchlight_recording_disk_full_total', help: 'Times recording stopped because the disk had less free space than minFreeBytes', registers: [registry] })
  new Gauge({ name: 'porchlight_recording_bytes', help: 'Bytes of recorded segments kept, all cameras together', registers: [registry], collect () { this.set(recordings.bytes) } }) // registered in `registry`, read through it
  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_recording_cameras',
    help: 'Recorded cameras by recorder state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect () {
      this.reset()
      for (const state of ['recording', 'connecting', 'unreachable', 'disk-full', 'stopped'] as const) this.set({ state }, 0)
      for (const status of Object.values(recordings.status())) this.inc({ state: status.state })
    }
  })
  deleted.inc({ reason: 'age' }, 0)
  deleted.inc({ reason: 'budget' }, 0)
  const onSegment = (record: RecordingEvents['segment'][0]): void => { segments.inc(); bytes.inc(record.bytes) }
  const onRestart = (): void => { restarts.inc() }
  const onDeleted = ({ reason }: RecordingEvents['deleted'][0]): void => { deleted.inc({ reason }) }
  const onDiskFull = (): void => { diskFull.inc() }
  recordings.on('segment', onSegment)
  recordings.on('restarted', onRestart)
  recordings.on('deleted', onDeleted)
  recordings.on('disk-full', onDiskFull)
  return () => {
    recordings.off('segment', onSegment)
    recordings.off('restarted', onRestart)
    recordings.off('deleted', onDeleted)
    recordings.off('disk-full', onDiskFull)
  }
}

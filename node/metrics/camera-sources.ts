// Camera sources that failed when the node asked them (a Frigate that refused the token, timed out or
// answered nonsense), by source kind and error code: closed lists, so labels stay small. Never a URL, a
// camera's name or a token: a name can say where a camera is. Private, like the inbox's figures. A node
// counts its ranges service's 'source:failed' events (rangeSourceMetrics).
import { Counter, type Registry } from 'prom-client'
import type { CameraSource } from '../config/index.js'
import type { FootageRanges } from '../recording/range-sources.js'

export interface CameraSourceMetrics {
  failed: (kind: CameraSource['kind'], code: string) => void
}

export function cameraSourceMetrics (registry: Registry): CameraSourceMetrics {
  const failures = new Counter({
    name: 'porchlight_camera_source_failures_total',
    help: 'Requests to camera sources (Frigate exports and listings) that failed, by source kind and error code',
    labelNames: ['kind', 'code'] as const,
    registers: [registry]
  })
  return { failed: (kind, code) => { failures.inc({ kind, code }) } }
}

/** Counts the failures the ranges service reports; returns what stops following it. */
export function rangeSourceMetrics (registry: Registry, ranges: Pick<FootageRanges, 'on' | 'off'>): () => void {
  const metrics = cameraSourceMetrics(registry)
  const onFailed = ({ kind, error }: { kind: CameraSource['kind'], error: { code: string } }): void => { metrics.failed(kind, error.code) }
  ranges.on('source:failed', onFailed)
  return () => { ranges.off('source:failed', onFailed) }
}

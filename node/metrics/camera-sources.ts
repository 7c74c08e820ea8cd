// Camera sources that failed when the node asked them (a Frigate that refused the token, timed out or
// answered nonsense), by source kind and error code: closed lists, so labels stay small. Never a URL, a
// camera's name or a token: a name can say where a camera is. Private, like the inbox's figures.
// Wiring (TODO lead): `frigateRangeSource({ onFailure: (_camera, err) => failures.failed('frigate', err.code) })`.
import { Counter, type Registry } from 'prom-client'
import type { CameraSource } from '../config/index.js'

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

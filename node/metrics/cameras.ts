// A resident's cameras: how many, by source kind, and the changes to them refused (by error code, a closed
// list). Private, like the inbox's figures: what cameras a household has says something about it.
import { Counter, Gauge, type Registry } from 'prom-client'
import type { CameraBook, CameraBookEvents } from '../cameras/camera-book.js'

export function camerasMetrics (registry: Registry, book: CameraBook): () => void {
  new Gauge({
    name: 'porchlight_cameras',
    help: 'The resident\'s cameras, by source kind (none: imports and uploads only)',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect () {
      this.reset()
      for (const c of book.list()) this.inc({ kind: c.source?.kind ?? 'none' })
    }
  })
  const refused = new Counter({
    name: 'porchlight_cameras_refused_total',
    help: 'Changes to the cameras refused (nothing changed), by error code',
    labelNames: ['code'] as const,
    registers: [registry]
  })
  const onRefused = ({ error }: CameraBookEvents['cameras:refused'][0]): void => { refused.inc({ code: error.code }) }
  book.on('cameras:refused', onRefused)
  return () => { book.off('cameras:refused', onRefused) }
}

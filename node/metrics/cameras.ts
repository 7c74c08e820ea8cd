// A resident's cameras: how many, by source kind, and the changes to them and source tests refused (by
// error code, a closed list). Private, like the inbox's figures: what cameras a household has says
// something about it.
import { Counter, Gauge, type Registry } from 'prom-client'
import type { CameraBook, CameraBookEvents } from '../cameras/camera-book.js'
import type { CameraApi } from '../cameras/camera-api.js'

export function camerasMetrics (registry: Registry, book: CameraBook, api?: CameraApi): () => void {
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
    help: 'Changes to the cameras (nothing changed) and source tests refused, by what was refused and the error code',
    labelNames: ['what', 'code'] as const,
    registers: [registry]
  })
  const onChange = ({ error }: CameraBookEvents['cameras:refused'][0]): void => { refused.inc({ what: 'change', code: error.code }) }
  const onTest = ({ error }: CameraBookEvents['cameras:refused'][0]): void => { refused.inc({ what: 'test', code: error.code }) }
  book.on('cameras:refused', onChange)
  api?.on('source-test:refused', onTest)
  return () => { book.off('cameras:refused', onChange); api?.off('source-test:refused', onTest) }
}

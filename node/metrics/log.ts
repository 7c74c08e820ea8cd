// An agency's log: its tree size, what is anchored, and how long the newest entries have waited for an anchor.
import { Gauge, type Registry } from 'prom-client'
import type { AgencyLogService } from '../log/index.js'
import type { AnchorRecord, Anchorer } from '../log/anchorer.js'

export interface LogMetrics {
  /** Follows the anchorer, which exists once the service started (and only with a chain). */
  start (): Promise<void>
  stop (): void
}

export function logMetrics (registry: Registry, service: AgencyLogService, now: () => number = Date.now): LogMetrics {
  let anchorer: Anchorer | undefined
  /** Unix ms of the last anchor recorded, or of the start when there is none yet (the wait began then at the latest). */
  let lastAnchorAt = now()
  const onRecorded = (record: AnchorRecord): void => { lastAnchorAt = record.recordedAt }

  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_log_tree_size',
    help: 'Entries in the agency log',
    registers: [registry],
    collect () { if (service.log !== undefined) this.set(service.log.size) }
  })
  new Gauge({
    name: 'porchlight_log_anchored_tree_size',
    help: 'The largest tree size known to be anchored on chain',
    registers: [registry],
    collect () { if (anchorer !== undefined) this.set(anchorer.anchoredSize) }
  })
  new Gauge({
    name: 'porchlight_log_anchor_lag_seconds',
    help: 'Seconds since the last anchor while the log holds entries not anchored yet; 0 when all are anchored',
    registers: [registry],
    collect () {
      const size = service.log?.size
      if (anchorer === undefined || size === undefined) return
      // An idle log anchored up to its end is not late, however long ago that anchor was.
      this.set(anchorer.anchoredSize >= size ? 0 : Math.max(0, (now() - lastAnchorAt) / 1000))
    }
  })

  return {
    async start () {
      anchorer = service.anchorer
      if (anchorer === undefined) return
      anchorer.on('anchor:recorded', onRecorded)
      const records = await anchorer.anchors()
      const latest = records.reduce<AnchorRecord | undefined>((a, r) => a === undefined || r.recordedAt > a.recordedAt ? r : a, undefined)
      if (latest !== undefined) lastAnchorAt = latest.recordedAt
    },
    stop () {
      anchorer?.off('anchor:recorded', onRecorded)
      anchorer = undefined
    }
  }
}

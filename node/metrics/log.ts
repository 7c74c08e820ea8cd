// An agency's log: its tree size, what is anchored, how long the newest entries have waited for an anchor,
// and its witnessing: every add-checkpoint attempt by witness and result, every cosignature line refused, and
// the time from a checkpoint's issue to its quorum.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import type { AgencyLogService } from '../log/index.js'
import type { AnchorRecord, Anchorer } from '../log/anchorer.js'
import type { CosignAttempt, Cosigner, WitnessedCheckpoint } from '../log/cosigner.js'

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
  let cosigner: Cosigner | undefined
  // Witness names are the council's (at most 16 registered): a bounded label.
  const attempts = new Counter({
    name: 'porchlight_log_cosign_attempts_total',
    help: 'add-checkpoint attempts sent to witnesses, by witness and result (cosigned, conflict, invalid, refused, unreachable, timeout, ahead, error)',
    labelNames: ['witness', 'result'] as const,
    registers: [registry]
  })
  const rejected = new Counter({
    name: 'porchlight_log_cosignatures_rejected_total',
    help: 'Cosignature lines a witness returned that do not verify under its registered key (not counted)',
    labelNames: ['witness'] as const,
    registers: [registry]
  })
  const toQuorum = new Histogram({
    name: 'porchlight_log_witness_quorum_seconds',
    help: 'Seconds from the log issuing a checkpoint to a quorum of witnesses cosigning it',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })
  const onAttempt = (a: CosignAttempt): void => { attempts.inc({ witness: a.witness, result: a.result }) }
  const onRejected = (r: { witness: string }): void => { rejected.inc({ witness: r.witness }) }
  const onWitnessed = (w: WitnessedCheckpoint): void => { toQuorum.observe(w.elapsedMs / 1000) }

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
      cosigner = service.cosigner
      cosigner?.on('cosign:attempt', onAttempt)
      cosigner?.on('cosignature:rejected', onRejected)
      cosigner?.on('checkpoint:witnessed', onWitnessed)
      anchorer = service.anchorer
      if (anchorer === undefined) return
      anchorer.on('anchor:recorded', onRecorded)
      const records = await anchorer.anchors()
      const latest = records.reduce<AnchorRecord | undefined>((a, r) => a === undefined || r.recordedAt > a.recordedAt ? r : a, undefined)
      if (latest !== undefined) lastAnchorAt = latest.recordedAt
    },
    stop () {
      cosigner?.off('cosign:attempt', onAttempt)
      cosigner?.off('cosignature:rejected', onRejected)
      cosigner?.off('checkpoint:witnessed', onWitnessed)
      cosigner = undefined
      anchorer?.off('anchor:recorded', onRecorded)
      anchorer = undefined
    }
  }
}

// A witness's answers: add-checkpoint by result (cosigned, conflict, inconsistent, unknown-origin,
// bad-signature, malformed, failed), and how many logs it keeps state for (bounded by `witness.maxOrigins`).
import { Counter, Gauge, type Registry } from 'prom-client'
import type { AddCheckpointAnswered, WitnessService } from '../witness/index.js'

export interface WitnessMetrics {
  /** Follows the witness, which exists once its service started. */
  start (): void
  stop (): void
}

export function witnessMetrics (registry: Registry, service: WitnessService): WitnessMetrics {
  const answers = new Counter({
    name: 'porchlight_witness_add_checkpoint_total',
    help: 'add-checkpoint requests answered, by result',
    labelNames: ['result'] as const,
    registers: [registry]
  })
  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_witness_origins',
    help: 'Logs (origins) the witness keeps a cosigned checkpoint for',
    registers: [registry],
    collect () { if (service.witness !== undefined) this.set(service.witness.origins) }
  })
  const onAnswered = (a: AddCheckpointAnswered): void => { answers.inc({ result: a.result }) }
  let followed: WitnessService['witness']
  return {
    start () {
      followed = service.witness
      followed?.on('checkpoint:answered', onAnswered)
    },
    stop () {
      followed?.off('checkpoint:answered', onAnswered)
      followed = undefined
    }
  }
}

// An agency's footage deliveries: counted as the receiver reports them, and the total it holds.
import { Counter, Gauge, type Registry } from 'prom-client'
import type { AgencyFootage } from '../deliveries/footage-desk.js'
import { isPorchlightError } from '../../protocol/index.js'

export interface FootageMetrics {
  stored: Gauge
  /** Follows the receiver, which exists once the service started (and only with a chain). */
  start (): void
  stop (): void
}

export function footageMetrics (registry: Registry, footage: AgencyFootage): FootageMetrics {
  const transfers = new Counter({
    name: 'porchlight_footage_deliveries_total',
    help: 'Footage deliveries received since start, by result (delivered, refused)',
    labelNames: ['result'] as const,
    registers: [registry]
  })
  transfers.inc({ result: 'delivered' }, 0)
  transfers.inc({ result: 'refused' }, 0)
  const stored = new Gauge({
    name: 'porchlight_footage_deliveries_stored',
    help: 'Deliveries the agency holds records of',
    registers: [registry],
    async collect () {
      let counts: Map<string, number>
      try { counts = await footage.keeper.deliveryCounts() } catch { return }
      this.set([...counts.values()].reduce((a, b) => a + b, 0))
    }
  })
  // By code, so an operator tells a flood (quotas, deadlines, a full disk) from residents' own mistakes.
  const refusals = new Counter({
    name: 'porchlight_footage_refusals_total',
    help: 'Footage transfers refused since start, by error code',
    labelNames: ['code'] as const,
    registers: [registry]
  })
  const onDelivered = (): void => { transfers.inc({ result: 'delivered' }) }
  const onRefused = ({ error }: { error: Error }): void => {
    transfers.inc({ result: 'refused' })
    refusals.inc({ code: isPorchlightError(error) ? error.code : 'INTERNAL' })
  }
  let followed: AgencyFootage['receiver'] | undefined
  return {
    stored,
    start () {
      try { followed = footage.receiver } catch { return } // no chain: no receiver, nothing to count
      followed.on('footage:delivered', onDelivered)
      followed.on('footage:refused', onRefused)
    },
    stop () {
      followed?.off('footage:delivered', onDelivered)
      followed?.off('footage:refused', onRefused)
      followed = undefined
    }
  }
}

// A resident's shares refused before anything was sent (the agency not active now, its status unreadable),
// by the error code that decided it: a closed list, so the label stays small. Private, like the inbox's
// figures: how often a household tried to share says something about it.
import { Counter, type Registry } from 'prom-client'
import type { ResidentFootage, ResidentFootageEvents } from '../shares/resident-shares.js'

export function sharesMetrics (registry: Registry, shares: ResidentFootage): () => void {
  const refused = new Counter({
    name: 'porchlight_shares_refused_total',
    help: 'Consents, retries and delivery attempts refused before any footage was sent, by error code',
    labelNames: ['code'] as const,
    registers: [registry]
  })
  const onRefused = ({ error }: ResidentFootageEvents['share:refused'][0]): void => { refused.inc({ code: error.code }) }
  shares.on('share:refused', onRefused)
  return () => { shares.off('share:refused', onRefused) }
}

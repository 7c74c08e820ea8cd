// Announcements validated by the request network (gossip and catch-up answers), by result and, for those
// ignored or rejected, by the error code that decided it: the codes are a closed list, so the label stays small.
import { Counter, type Registry } from 'prom-client'
import type { RequestNetwork, ValidatedEvent } from '../network/index.js'

export function gossipMetrics (registry: Registry, network: RequestNetwork): () => void {
  const messages = new Counter({
    name: 'porchlight_gossip_messages_total',
    help: 'Announcements validated, by result (accept, ignore, reject), reason (error code; empty when accepted) and how they came (gossip, catch-up)',
    labelNames: ['result', 'reason', 'via'] as const,
    registers: [registry]
  })
  const onValidated = ({ outcome, topic }: ValidatedEvent): void => {
    messages.inc({
      result: outcome.result,
      reason: outcome.result === 'accept' ? '' : outcome.error.code,
      via: topic === undefined ? 'catch-up' : 'gossip'
    })
  }
  network.on('announcement:validated', onValidated)
  return () => { network.off('announcement:validated', onValidated) }
}

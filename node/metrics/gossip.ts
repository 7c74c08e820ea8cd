// Announcements validated by the request network (gossip and catch-up answers), by result and, for those
// ignored or rejected, by the error code that decided it: the codes are a closed list, so the label stays small.
import { Counter, type Registry } from 'prom-client'
import type { CatchUpRefusal, RequestNetwork, ValidatedEvent } from '../network/index.js'

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
  // Catch-up answers cut short (too many items, too many refused ones) and graylisted peers not asked.
  const catchUp = new Counter({
    name: 'porchlight_network_catch_up_refused_total',
    help: 'Catch-up answers this node stopped reading, or peers it did not ask, by reason (CATCH_UP_TOO_MANY_ITEMS, CATCH_UP_TOO_MANY_INVALID, CATCH_UP_PEER_GRAYLISTED)',
    labelNames: ['reason'] as const,
    registers: [registry]
  })
  const unread = new Counter({
    name: 'porchlight_network_catch_up_unread_items_total',
    help: 'Items of refused catch-up answers left unread (never validated, never a chain read)',
    registers: [registry]
  })
  const onRefused = ({ error, unread: n }: CatchUpRefusal): void => {
    catchUp.inc({ reason: error.code })
    unread.inc(n)
  }
  network.on('announcement:validated', onValidated)
  network.on('catch-up:refused', onRefused)
  return () => { network.off('announcement:validated', onValidated); network.off('catch-up:refused', onRefused) }
}

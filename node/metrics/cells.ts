// Finding cell-mates (node/p2p/cell-peers.ts, node/network/cell-mates.ts). The server's side: questions
// answered and refused, by code. The household's side: questions asked, cell-mates found and dialled, and its
// topics still short of gossipsub's D_lo peers. No peer or topic labels: a topic names the household's cell.
import { Counter, Gauge, type Registry } from 'prom-client'
import type { CellPeersServer } from '../p2p/index.js'
import type { CellMates } from '../network/index.js'

export function cellPeersMetrics (registry: Registry, server: CellPeersServer): () => void {
  const answered = new Counter({
    name: 'porchlight_cell_peers_answered_total',
    help: 'Cell-peers questions answered (who else is on a request topic)',
    registers: [registry]
  })
  const named = new Counter({
    name: 'porchlight_cell_peers_named_total',
    help: 'Cell-mates named in cell-peers answers',
    registers: [registry]
  })
  const refused = new Counter({
    name: 'porchlight_cell_peers_refused_total',
    help: 'Cell-peers questions refused, by error code (unreadable, not a request topic, asker not subscribed, rate limit)',
    labelNames: ['code'] as const,
    registers: [registry]
  })
  const onAnswered = ({ peers }: { peers: number }): void => { answered.inc(); named.inc(peers) }
  const onRefused = ({ error }: { error: { code: string } }): void => { refused.inc({ code: error.code }) }
  server.on('request:answered', onAnswered)
  server.on('request:refused', onRefused)
  return () => { server.off('request:answered', onAnswered); server.off('request:refused', onRefused) }
}

export function cellMatesMetrics (registry: Registry, mates: CellMates): () => void {
  const asked = new Counter({
    name: 'porchlight_cell_mates_questions_total',
    help: 'Questions to relays for cell-mates, by result (answered, failed)',
    labelNames: ['result'] as const,
    registers: [registry]
  })
  const found = new Counter({
    name: 'porchlight_cell_mates_found_total',
    help: 'Cell-mates named by relays that this node was not connected to',
    registers: [registry]
  })
  const dials = new Counter({
    name: 'porchlight_cell_mates_dials_total',
    help: 'Dials to cell-mates, by result (direct, relayed, failed)',
    labelNames: ['result'] as const,
    registers: [registry]
  })
  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_cell_mates_lonely_topics',
    help: 'Request topics with fewer connected subscribers than gossipsub\'s D_lo',
    registers: [registry],
    collect () { this.set(mates.lonelyTopics().length) }
  })
  const onAnswered = (): void => { asked.inc({ result: 'answered' }) }
  const onAskFailed = (): void => { asked.inc({ result: 'failed' }) }
  const onFound = ({ peers }: { peers: string[] }): void => { found.inc(peers.length) }
  const onConnected = ({ relayed }: { relayed: boolean }): void => { dials.inc({ result: relayed ? 'relayed' : 'direct' }) }
  const onDialFailed = (): void => { dials.inc({ result: 'failed' }) }
  mates.on('ask:answered', onAnswered)
  mates.on('ask:failed', onAskFailed)
  mates.on('mates:found', onFound)
  mates.on('mate:connected', onConnected)
  mates.on('mate:dial-failed', onDialFailed)
  return () => {
    mates.off('ask:answered', onAnswered)
    mates.off('ask:failed', onAskFailed)
    mates.off('mates:found', onFound)
    mates.off('mate:connected', onConnected)
    mates.off('mate:dial-failed', onDialFailed)
  }
}

// Relayed footage (issue 16). On a relay: agencies' proofs accepted and refused (by code: a forged proof, a
// flood and a relay without a chain look different), the agencies whose reservations carry footage limits
// now, and limits revoked. On an agency: the relays that granted it footage limits, and those that refused.
// No peer or relay labels: peer ids are free to mint, and a label per peer would grow without bound.
import { Counter, Gauge, type Registry } from 'prom-client'
import { isPorchlightError } from '../../protocol/index.js'
import type { RelayFootageLimits, RelayFootageLimitsEvents } from '../p2p/relay-limits.js'
import type { AgencyRelayProofs } from '../deliveries/relay-proofs.js'

export function relayLimitsMetrics (registry: Registry, limits: RelayFootageLimits): () => void {
  const proofs = new Counter({
    name: 'porchlight_relay_agency_proofs_total',
    help: 'Agency proofs this relay checked, by result (accepted, refused)',
    labelNames: ['result'] as const,
    registers: [registry]
  })
  proofs.inc({ result: 'accepted' }, 0)
  proofs.inc({ result: 'refused' }, 0)
  const refusals = new Counter({
    name: 'porchlight_relay_agency_proof_refusals_total',
    help: 'Agency proofs this relay refused, by error code',
    labelNames: ['code'] as const,
    registers: [registry]
  })
  const revoked = new Counter({
    name: 'porchlight_relay_footage_limits_revoked_total',
    help: 'Agencies\' footage limits taken back, by reason (expired, not-active)',
    labelNames: ['reason'] as const,
    registers: [registry]
  })
  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_relay_agencies_proven',
    help: 'Agencies whose reservations on this relay carry footage limits now',
    registers: [registry],
    collect () { this.set(limits.proven) }
  })
  const onAccepted = (): void => { proofs.inc({ result: 'accepted' }) }
  const onRefused = ({ error }: RelayFootageLimitsEvents['proof:refused'][0]): void => {
    proofs.inc({ result: 'refused' })
    refusals.inc({ code: isPorchlightError(error) ? error.code : 'INTERNAL' })
  }
  const onRevoked = ({ reason }: RelayFootageLimitsEvents['limit:revoked'][0]): void => { revoked.inc({ reason }) }
  limits.on('proof:accepted', onAccepted)
  limits.on('proof:refused', onRefused)
  limits.on('limit:revoked', onRevoked)
  return () => { limits.off('proof:accepted', onAccepted); limits.off('proof:refused', onRefused); limits.off('limit:revoked', onRevoked) }
}

export function relayProofsMetrics (registry: Registry, proofs: AgencyRelayProofs): () => void {
  const sent = new Counter({
    name: 'porchlight_relay_proofs_sent_total',
    help: 'This agency\'s proofs to the relays it holds reservations on, by result (granted, refused: refused or unreachable)',
    labelNames: ['result'] as const,
    registers: [registry]
  })
  sent.inc({ result: 'granted' }, 0)
  sent.inc({ result: 'refused' }, 0)
  const onProven = (): void => { sent.inc({ result: 'granted' }) }
  const onRefused = (): void => { sent.inc({ result: 'refused' }) }
  proofs.on('relay:proven', onProven)
  proofs.on('relay:refused', onRefused)
  return () => { proofs.off('relay:proven', onProven); proofs.off('relay:refused', onRefused) }
}

// An auditor's evidence: agency-signed checkpoints kept for the next pass, by how they came (gossip,
// catch-up, receipt, witness), those refused by the error code that decided it (a closed list), and how
// many are held now (bounded: node/auditor/sightings.ts).
import { Counter, Gauge, type Registry } from 'prom-client'
import type { AuditorService } from '../auditor/auditor-service.js'
import type { Sighting, SightingSource } from '../auditor/sightings.js'

export function auditorMetrics (registry: Registry, auditor: AuditorService): () => void {
  const sighted = new Counter({
    name: 'porchlight_audit_checkpoints_sighted_total',
    help: 'Agency-signed checkpoints not held before, kept to compare with the public log, by source',
    labelNames: ['source'] as const,
    registers: [registry]
  })
  const refused = new Counter({
    name: 'porchlight_audit_checkpoints_refused_total',
    help: 'Checkpoints handed to the auditor that it could not use, by source and error code',
    labelNames: ['source', 'code'] as const,
    registers: [registry]
  })
  new Gauge({ // registered in `registry`, read through it
    name: 'porchlight_audit_checkpoints_pending',
    help: 'Checkpoints held until a pass compares them with the public log',
    registers: [registry],
    collect () { this.set(auditor.auditor?.pendingCheckpoints ?? 0) }
  })
  const onSighted = (s: Sighting): void => { sighted.inc({ source: s.source }) }
  const onRefused = (r: { source: SightingSource, code: string }): void => { refused.inc(r) }
  auditor.on('checkpoint:sighted', onSighted)
  auditor.on('checkpoint:refused', onRefused)
  return () => { auditor.off('checkpoint:sighted', onSighted); auditor.off('checkpoint:refused', onRefused) }
}

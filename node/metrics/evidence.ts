// An agency's evidence exports (node/evidence): how many packages were made, and how many refused, by code.
import { Counter, type Registry } from 'prom-client'
import type { EvidenceExporter, EvidenceExporterEvents } from '../evidence/exporter.js'

export function evidenceMetrics (registry: Registry, exporter: EvidenceExporter): () => void {
  const exported = new Counter({ name: 'porchlight_evidence_exports_total', help: 'Evidence packages exported', registers: [registry] })
  const refused = new Counter({ name: 'porchlight_evidence_exports_refused_total', help: 'Evidence exports refused, by error code', labelNames: ['code'] as const, registers: [registry] })
  const onExported = (): void => { exported.inc() }
  const onRefused = ({ code }: EvidenceExporterEvents['evidence:refused'][0]): void => { refused.inc({ code }) }
  exporter.on('evidence:exported', onExported)
  exporter.on('evidence:refused', onRefused)
  return () => {
    exporter.off('evidence:exported', onExported)
    exporter.off('evidence:refused', onRefused)
  }
}

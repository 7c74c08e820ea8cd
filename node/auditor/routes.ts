// The auditor's HTTP routes: its report (public: an auditor publishes) and a pass on demand (token).
import type { AuditReport as AuditReportView } from '../../protocol/index.js'
import type { ServiceRoutes } from '../service.js'
import type { AuditorService } from './auditor-service.js'

export function auditorRoutes (auditor: AuditorService): ServiceRoutes {
  return async (app) => {
    app.get('/api/report', {
      config: { public: true },
      schema: { summary: "The auditor's report: per agency, verified size, request rates and every finding" }
    }, async (): Promise<AuditReportView> => await auditor.report())
    app.post('/api/audit', {
      schema: {
        summary: 'Runs one audit pass now (of one agency, or all) and returns the report',
        body: { type: 'object', additionalProperties: false, required: [], properties: { agency: { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } } }
      }
    }, async (request): Promise<AuditReportView> => {
      const { agency } = (request.body ?? {}) as { agency?: string }
      return await auditor.audit(agency === undefined ? {} : { agency })
    })
  }
}

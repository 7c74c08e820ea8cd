// The auditor's HTTP routes: its report (public: an auditor publishes), a pass on demand (token), and the
// receipts residents hand it (open to anyone, like the report: a resident has no token of this node).
import { MAX_NOTE_LENGTH, type AuditReport as AuditReportView, type ReceiptAccepted, type ReceiptSubmission } from '../../protocol/index.js'
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
    app.post('/api/receipts', {
      config: { openSubmission: true },
      // A note of at most MAX_NOTE_LENGTH characters (UTF-8: up to 3 bytes each) and a proof of 64 hashes.
      bodyLimit: 3 * MAX_NOTE_LENGTH + 16 * 1024,
      schema: {
        summary: "Hands the auditor a receipt an agency signed: its checkpoint is compared with the agency's public log at the next pass",
        body: receiptSubmissionSchema
      }
    }, async (request): Promise<ReceiptAccepted> => auditor.submitReceipt(request.body as ReceiptSubmission))
  }
}

const hex32 = { type: 'string', pattern: '^0x[0-9a-f]{64}$' }
const receiptSubmissionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['receipt'],
  properties: {
    receipt: {
      type: 'object',
      additionalProperties: false,
      required: ['message', 'signature'],
      properties: {
        message: {
          type: 'object',
          additionalProperties: false,
          required: ['consent', 'request', 'logIndex', 'checkpoint', 'proof'],
          properties: {
            consent: { type: 'string', maxLength: 128 },
            request: { type: 'string', maxLength: 128 },
            logIndex: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
            checkpoint: { type: 'string', maxLength: MAX_NOTE_LENGTH },
            proof: { type: 'array', maxItems: 64, items: hex32 }
          }
        },
        signature: { type: 'string', pattern: '^0x[0-9a-f]{130}$' }
      }
    }
  }
} as const

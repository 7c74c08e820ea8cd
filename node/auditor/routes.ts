// The auditor's HTTP routes: its report and drill-down (public: an auditor publishes), a pass on demand (token) and its progress, and the
// receipts residents hand it (open to anyone, like the report: a resident has no token of this node).
import {
  MAX_NOTE_LENGTH, type AuditedEntryFilter, type AuditedEntryList, type AuditProgress, type AuditReport as AuditReportView, type ReceiptAccepted,
  type ReceiptSubmission, type RequestHistory
} from '../../protocol/index.js'
import { MAX_ENTRIES_LISTED } from './entry-index.js'
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
    app.get('/api/audit/progress', {
      config: { public: true },
      schema: { summary: 'The audit pass under way (agencies and entries done), or the last one with how many findings it added' }
    }, async (): Promise<AuditProgress> => auditor.progress())
    app.get('/api/agencies/:agency/entries', {
      config: { public: true },
      schema: {
        summary: "An agency's verified log entries, decoded, filtered by kind, time, request (id or case code) and user, each with the auditor's findings",
        params: agencyParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: ['request', 'withdraw', 'delivery', 'access', 'share', 'delete', 'malformed'] },
            from: { type: 'integer', minimum: 0 },
            to: { type: 'integer', minimum: 0 },
            request: { type: 'string', minLength: 1, maxLength: 128 },
            user: { type: 'string', minLength: 1, maxLength: 128 },
            offset: { type: 'integer', minimum: 0, default: 0 },
            limit: { type: 'integer', minimum: 1, maximum: MAX_ENTRIES_LISTED, default: 100 }
          }
        }
      }
    }, async (request): Promise<AuditedEntryList> => {
      const { agency } = request.params as { agency: string }
      return await auditor.entries(agency, request.query as AuditedEntryFilter)
    })
    app.get('/api/agencies/:agency/requests/:request', {
      config: { public: true },
      schema: {
        summary: "One request's history in an agency's log: its deliveries, accesses, shares, deletions, and each clip's retention deadline, met or missed",
        params: { ...agencyParams, required: ['agency', 'request'], properties: { ...agencyParams.properties, request: { type: 'string', minLength: 1, maxLength: 128 } } }
      }
    }, async (request): Promise<RequestHistory> => {
      const { agency, request: id } = request.params as { agency: string, request: string }
      return await auditor.requestHistory(agency, id)
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

const agencyParams = {
  type: 'object',
  additionalProperties: false,
  required: ['agency'],
  properties: { agency: { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } }
} as const

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

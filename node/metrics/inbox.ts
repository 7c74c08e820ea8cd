// A resident's inbox, by item status, read from the inbox when scraped.
import { Gauge, type Registry } from 'prom-client'
import type { ResidentInbox } from '../resident/index.js'

export function inboxMetrics (registry: Registry, inbox: ResidentInbox): Gauge<'status'> {
  return new Gauge({
    name: 'porchlight_inbox_items',
    help: 'Requests in the resident inbox, by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect () {
      this.reset()
      let counts: Map<string, number>
      try { counts = await inbox.counts() } catch { return } // not started (or stopping): no figure rather than a wrong one
      for (const [status, n] of counts) this.set({ status }, n)
    }
  })
}

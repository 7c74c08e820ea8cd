// Requests the HTTP API refused before any route ran, by code: HTTPS_REQUIRED (plain HTTP to an HTTPS-only
// API), NODE_TOKEN_REQUIRED (a paired device managing devices), MISDIRECTED_REQUEST (a Host that names
// another site: a DNS-rebinding page, docs/node.md) and UNAUTHORIZED (no or a wrong token); and by a route,
// ROLE_REQUIRED (an agency user without the role the route needs).
import { Counter, type Registry } from 'prom-client'
import type { ApiServer, RefusedRequest } from '../api/index.js'

export function apiMetrics (registry: Registry, api: Pick<ApiServer, 'on' | 'off'>): () => void {
  const refused = new Counter({
    name: 'porchlight_api_requests_refused_total',
    help: 'HTTP requests refused before any route ran, by code (HTTPS_REQUIRED, MISDIRECTED_REQUEST, UNAUTHORIZED, NODE_TOKEN_REQUIRED), or by a route for a user without its role (ROLE_REQUIRED)',
    labelNames: ['code'] as const,
    registers: [registry]
  })
  const onRefused = ({ code }: RefusedRequest): void => { refused.inc({ code }) }
  api.on('request:refused', onRefused)
  return () => { api.off('request:refused', onRefused) }
}

// The figures of one request under one design (geo topics or the flood baseline), and their summary over
// all requests. Definitions are in docs/simulations.md (What is measured).
import { percentile } from '../bench/lib.js'

export interface RequestMeasure {
  id: string
  /** Online residents whose camera is in the area (they must get it). */
  inArea: number
  delivered: number
  recall: number
  /** publish (the agency's first gossip send of it) → inbox, ms, one per delivery. */
  latenciesMs: number[]
  /** The agency's desk called → that first send, ms: signing, the registry check, the log append and its checkpoint. */
  issueMs: number | undefined
  /** publish → the last in-area inbox, ms (undefined when none was expected). */
  lastMs: number | undefined
  /** Residents outside the area's res-7 cells that received a gossip message carrying it, / all residents. */
  exposure: number
  /** Residents (anywhere) that received it by gossip, / all residents. */
  reach: number
  /** Per node (residents and agencies): bytes of messages and control ids naming this request. */
  bytesSentPerNode: number
  bytesReceivedPerNode: number
  /** The most any one node sent + received for it. */
  maxBytesPerNode: number
  /** Copies received beyond the first, per node and topic that received it. */
  duplicatesPerMessage: number
}

export interface Summary {
  requests: number
  recall: number
  latencyMs: { p50: number, p95: number, p99: number }
  /** Over requests: desk called → published (see RequestMeasure.issueMs). */
  issueMs: { p50: number, p99: number }
  /** Over requests: the time to the last in-area inbox. */
  lastInboxMs: { p50: number, p95: number, p99: number, max: number }
  exposure: { mean: number, max: number }
  reach: number
  bytesPerNodePerRequest: { sent: number, received: number }
  duplicatesPerMessage: number
}

const mean = (xs: number[]): number => xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length
const quantiles = (xs: number[]): { p50: number, p95: number, p99: number } => ({ p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99) })

export function summarize (measures: readonly RequestMeasure[]): Summary {
  const expected = measures.reduce((a, m) => a + m.inArea, 0)
  const got = measures.reduce((a, m) => a + m.delivered, 0)
  const lasts = measures.flatMap((m) => m.lastMs === undefined ? [] : [m.lastMs])
  const issues = measures.flatMap((m) => m.issueMs === undefined ? [] : [m.issueMs])
  return {
    requests: measures.length,
    recall: expected === 0 ? 1 : got / expected,
    latencyMs: quantiles(measures.flatMap((m) => m.latenciesMs)),
    issueMs: { p50: percentile(issues, 50), p99: percentile(issues, 99) },
    lastInboxMs: { ...quantiles(lasts), max: lasts.length === 0 ? Number.NaN : Math.max(...lasts) },
    exposure: { mean: mean(measures.map((m) => m.exposure)), max: Math.max(0, ...measures.map((m) => m.exposure)) },
    reach: mean(measures.map((m) => m.reach)),
    bytesPerNodePerRequest: { sent: mean(measures.map((m) => m.bytesSentPerNode)), received: mean(measures.map((m) => m.bytesReceivedPerNode)) },
    duplicatesPerMessage: mean(measures.map((m) => m.duplicatesPerMessage))
  }
}

export { mean }

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { latencyCdf, writeReport } from '../../../simulations/report.js'
import { summarize, type RequestMeasure } from '../../../simulations/measures.js'
import type { SimResults } from '../../../simulations/scenario.js'

const measure = (id: string, latenciesMs: number[], exposure: number, bytes: number): RequestMeasure => ({
  id, inArea: latenciesMs.length, delivered: latenciesMs.length, recall: 1, latenciesMs, issueMs: 900, lastMs: Math.max(...latenciesMs),
  exposure, reach: exposure + 0.01, bytesSentPerNode: bytes, bytesReceivedPerNode: bytes, maxBytesPerNode: 4 * bytes, duplicatesPerMessage: 0.5
})

const load = { eventLoopUtilization: 0.5, loopDelayMs: { p50: 10, p99: 40, max: 80 } }

function results (): SimResults {
  const geo = [measure('a', [120, 80], 0, 150), measure('b', [200], 0, 90)]
  const flood = [measure('a2', [400, 300], 0.97, 4000), measure('b2', [500], 0.98, 4100)]
  return {
    options: { nodes: 10, agencies: 1, requests: 2, offline: 0, transport: 'memory', seed: 1, latencyMs: 25 },
    machine: { cpus: 2, node: process.version },
    city: { residents: 10, agencies: 1, topicCells: 4, residentsPerCell: { mean: 2.5, max: 4 } },
    incidents: [],
    wallSeconds: { startup: 1, total: 2 },
    failedDials: 0,
    rssMiB: 100,
    geo: { summary: summarize(geo), perRequest: geo, process: load },
    flood: { summary: summarize(flood), perRequest: flood, process: load }
  }
}

test('summaries: recall over all expected deliveries, latency percentiles over all deliveries', () => {
  const s = results().geo.summary
  assert.equal(s.recall, 1)
  assert.equal(s.latencyMs.p50, 120)
  assert.equal(s.latencyMs.p99, 200)
  assert.equal(s.lastInboxMs.max, 200)
  assert.equal(s.bytesPerNodePerRequest.sent, 120)
})

test('the latency CDF rises to 1 per design', () => {
  const cdf = latencyCdf(results())
  assert.deepEqual(cdf.filter((p) => p.design === 'geo').map((p) => [p.ms, p.share]), [[80, 1 / 3], [120, 2 / 3], [200, 1]])
  assert.equal(cdf.filter((p) => p.design === 'flood').at(-1)!.share, 1)
})

test('the report writes results.json and each plot as SVG and PNG', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-report-'))
  try {
    const files = await writeReport(dir, results())
    assert.deepEqual(files.map((f) => f.slice(dir.length + 1)), ['results.json', 'latency-cdf.svg', 'latency-cdf.png', 'exposure.svg', 'exposure.png', 'bytes.svg', 'bytes.png'])
    assert.equal(JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')).geo.summary.recall, 1)
    assert.match(await readFile(join(dir, 'latency-cdf.svg'), 'utf8'), /^<svg xmlns/)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

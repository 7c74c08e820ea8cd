// A real node of each role against the embedded chain: /metrics is valid Prometheus text (promtool, from
// Debian's `prometheus` package) and its figures move; the token switch; health endpoints; unknown
// operator and API paths answer 404 JSON even with the UI served.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode, roleSetup, type PorchlightNode } from '../../../node/index.js'
import { parseConfig, type ChainEndpoint, type Role } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import type { RequestNetwork } from '../../../node/network/index.js'
import { startChainFixture, type ChainFixture } from '../../helpers/chain.js'
import { hasPromtool as promtool, promtoolCheck } from '../../helpers/promtool.js'


/** The value of the sample `name{labels}` in Prometheus text, or undefined. */
function sample (text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels)
  for (const line of text.split('\n')) {
    const m = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (m === null || m[1] !== name) continue
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]))
    if (want.every(([k, v]) => got[k] === v) && Object.keys(got).length === want.length) return Number(m[3])
  }
  return undefined
}

let fixture: ChainFixture
let endpoint: ChainEndpoint
let uiDir: string
before(async () => {
  fixture = await startChainFixture()
  endpoint = { rpc: fixture.deployment.rpc, chainId: fixture.deployment.chainId, contracts: fixture.deployment.contracts }
  // A UI folder, so the single-page app's fallback is in play for unknown paths.
  uiDir = await mkdtemp(join(tmpdir(), 'porchlight-ui-'))
  await writeFile(join(uiDir, 'index.html'), '<!doctype html><title>ui</title>')
})
after(async () => {
  await fixture?.stop()
  if (uiDir !== undefined) await rm(uiDir, { recursive: true, force: true })
})

async function startNode (t: { after: (fn: () => Promise<void>) => void }, role: Role, extra: Record<string, unknown> = {}): Promise<PorchlightNode> {
  const setup = roleSetup(role)
  const config = parseConfig({ version: 1, role, name: `${role} one`, chain: endpoint, ...(role === 'resident' ? { cameras: [{ name: 'porch', lat: 47.6062, lng: -122.3321 }] } : {}), ...extra })
  const node = await createNode({
    config,
    services: setup.services,
    libp2p: { messageId: setup.messageId },
    staticDir: uiDir,
    logger: createLogger({ level: 'silent' })
  })
  t.after(async () => { await node.stop() })
  await node.start()
  return node
}

/** GET /metrics with the node's token, another one, or (null) none. */
async function getMetrics (node: PorchlightNode, token: string | null = node.keys.apiToken): Promise<Response> {
  return await fetch(`${node.info().api!.url}/metrics`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } })
}

for (const role of ['resident', 'agency', 'auditor', 'relay'] as const) {
  test(`${role}: /metrics is valid Prometheus text and its gossip figures move`, promtool ? {} : { skip: 'promtool is not installed (Debian package prometheus): cannot check the Prometheus text format' }, async (t) => {
    const node = await startNode(t, role)
    const first = await getMetrics(node)
    assert.equal(first.status, 200)
    assert.match(first.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
    const text = await first.text()
    assert.equal(sample(text, 'porchlight_node_info', { role, name: `${role} one` }), 1)
    if (promtool) {
      const checked = await promtoolCheck(text)
      assert.equal(checked.code, 0, checked.output)
    }

    const network = (node.services as { network?: RequestNetwork }).network
    if (network !== undefined) {
      // Bytes that are no announcement, arriving on a topic as gossip would: rejected, with the decoder's code.
      const outcome = await network.ingest(new Uint8Array([0xff, 0x00, 0x01]), { topic: 'porchlight/requests/v1/872830828ffffff' })
      if (outcome.result !== 'reject') assert.fail(`expected a reject, got ${outcome.result}`)
      const reason = outcome.error.code
      const after = await (await getMetrics(node)).text()
      assert.equal(sample(after, 'porchlight_gossip_messages_total', { result: 'reject', reason, via: 'gossip' }), 1)
      if (promtool) {
        const checked = await promtoolCheck(after)
        assert.equal(checked.code, 0, checked.output)
      }
    }
    if (role === 'resident') assert.ok(text.includes('porchlight_inbox_items'))
    // On 127.0.0.1 nobody holds a reservation by default; agencies and relays serve them, others do not.
    assert.equal(sample(text, 'porchlight_p2p_relay_reservations_held'), 0)
    if (role === 'agency' || role === 'relay') assert.equal(sample(text, 'porchlight_relay_reservations_served'), 0)
    else assert.doesNotMatch(text, /porchlight_relay_reservations_served/)
    if (role === 'agency') {
      assert.equal(sample(text, 'porchlight_log_tree_size'), 0)
      assert.equal(sample(text, 'porchlight_footage_deliveries_total', { result: 'delivered' }), 0)
      assert.equal(sample(text, 'porchlight_log_anchor_lag_seconds'), 0)
    }
  })
}

test('promtool is installed (CI installs the prometheus package): a skip above is not silent', (t) => {
  if (!promtool) t.skip('promtool missing: the Prometheus format checks above were skipped')
  assert.equal(spawnSync('promtool', ['--version']).status, 0)
})

test('/metrics needs the token unless metrics.public', async (t) => {
  const closed = await startNode(t, 'auditor')
  assert.equal((await getMetrics(closed, null)).status, 401)
  assert.equal((await getMetrics(closed, 'wrong')).status, 401)
  const open = await startNode(t, 'auditor', { name: 'auditor two', metrics: { public: true } })
  assert.equal((await getMetrics(open, null)).status, 200)
})

test('a resident\'s public /metrics leaves out its inbox, its UI\'s live events and its name: what it saw or ignored, and where it is, stay with the token\'s holder', async (t) => {
  const closed = await startNode(t, 'resident')
  const private_ = await (await getMetrics(closed, closed.keys.apiToken)).text()
  assert.match(private_, /^# TYPE porchlight_inbox_items gauge$/m)
  assert.match(private_, /^# TYPE porchlight_live_events_sent_total counter$/m)
  assert.match(private_, /^# TYPE porchlight_camera_source_failures_total counter$/m)
  const open = await startNode(t, 'resident', { name: 'resident two', metrics: { public: true } })
  const text = await (await getMetrics(open, null)).text()
  assert.match(text, /^# TYPE porchlight_gossip_messages_total counter$/m)
  assert.doesNotMatch(text, /porchlight_inbox_items/)
  assert.doesNotMatch(text, /porchlight_live_/)
  assert.doesNotMatch(text, /porchlight_camera_source_/)
  // Nor its name, which may say where it is.
  assert.doesNotMatch(text, /resident two/)
  assert.match(text, /^porchlight_node_info\{role="resident"/m)
})

test('/healthz and /readyz answer JSON without the token; unknown /api, /metrics and health paths are 404 JSON, never the UI page', async (t) => {
  const node = await startNode(t, 'agency')
  const url = node.info().api!.url
  const health = await fetch(`${url}/healthz`)
  assert.equal(health.status, 200)
  assert.deepEqual(await health.json(), { status: 'ok' })
  const ready = await fetch(`${url}/readyz`)
  assert.equal(ready.status, 200)
  const body = await ready.json() as { status: string, checks: Record<string, { ok: boolean }> }
  assert.equal(body.status, 'ready')
  assert.deepEqual(Object.keys(body.checks).sort(), ['chain', 'libp2p', 'log'])
  assert.ok(Object.values(body.checks).every((c) => c.ok))

  // The UI is served (its fallback answers unknown page paths) …
  const page = await fetch(`${url}/some/page`)
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type') ?? '', /text\/html/)
  await page.arrayBuffer()
  // … but not for these.
  for (const path of ['/api/x', '/api/x/y', '/metrics/x', '/metrics/', '/healthz/x', '/readyz/x']) {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${node.keys.apiToken}` } })
    assert.equal(res.status, 404, path)
    assert.match(res.headers.get('content-type') ?? '', /application\/json/, path)
    assert.equal((await res.json() as { error: { code: string } }).error.code, 'NOT_FOUND', path)
  }
})

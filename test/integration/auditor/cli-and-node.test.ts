// `porchlight audit` as a child process, and an auditor node that re-audits on Anchored events and serves
// GET /api/report.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { auditorRole, createNode, type AuditorServices, type PorchlightNode } from '../../../node/index.js'
import { chainService } from '../../../node/chain/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { entryTime, type AuditReport } from '../../../node/auditor/index.js'
import { decodeLogEntry, encodeLogEntry } from '../../../protocol/messages/index.js'
import { clipOf } from '../../helpers/audit-log.js'
import { startAuditChain, type AuditChainFixture, type TestAgency } from '../../helpers/audit-chain.js'

const bin = new URL('../../../bin/porchlight.js', import.meta.url).pathname

let fx: AuditChainFixture
let dir: string
let deploymentFile: string
let clean: TestAgency
let bad: TestAgency

before(async () => {
  fx = await startAuditChain(6)
  dir = await mkdtemp(join(tmpdir(), 'porchlight-audit-'))
  deploymentFile = join(dir, 'chain.json')
  await writeFile(deploymentFile, JSON.stringify(fx.chain.deployment))
  clean = await fx.agencyWith(300)
  await clean.anchor(300)
  bad = await fx.agencyWith(10)
  bad.log.view = {
    entries: [...bad.log.view.entries, encodeLogEntry({ kind: 'delivery', request: 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', consent: 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', clips: [{ cid: clipOf(7), size: 1 }], at: (await fx.now()) + 20 })]
  }
  await bad.anchor(11)
})

after(async () => {
  await fx.stop()
  await rm(dir, { recursive: true, force: true })
})

async function porchlight (args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  return await new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : (err as { code?: number }).code ?? 1, stdout, stderr })
    })
  })
}

test('`porchlight audit --json` of a clean agency exits 0 with a report', async () => {
  const run = await porchlight(['audit', '--chain', deploymentFile, '--log', `${clean.address}=${clean.url}`, '--agency', clean.address, '--json'])
  assert.equal(run.code, 0, run.stderr + run.stdout)
  const report = JSON.parse(run.stdout) as AuditReport
  assert.equal(report.violations, 0)
  assert.equal(report.agencies.find((a) => a.agency === clean.address)?.verifiedSize, 300)
})

test('`porchlight audit` exits 1 and names the rule when it finds a violation', async () => {
  const run = await porchlight(['audit', '--chain', deploymentFile, '--log', `${bad.address}=${bad.url}`, '--agency', bad.address])
  assert.equal(run.code, 1, run.stderr)
  assert.match(run.stdout, /VIOLATION DELIVERY_UNKNOWN_REQUEST .* entry 10/)
})

test('`porchlight init --role auditor --log …` then `porchlight audit --dir` audits what the node names', async () => {
  const node = join(dir, 'auditor-node')
  const init = await porchlight(['init', '--role', 'auditor', '--dir', node, '--chain', deploymentFile, '--log', `${clean.address}=${clean.url}`, '--anchor-interval', '900'])
  assert.equal(init.code, 0, init.stderr)
  const run = await porchlight(['audit', '--dir', node, '--agency', clean.address, '--json'])
  assert.equal(run.code, 0, run.stderr + run.stdout)
  const report = JSON.parse(run.stdout) as AuditReport
  assert.equal(report.agencies.find((a) => a.agency === clean.address)?.endpoint, clean.url)
})

test('`porchlight audit` refuses a malformed --log with exit 2', async () => {
  const run = await porchlight(['audit', '--chain', deploymentFile, '--log', 'nonsense'])
  assert.equal(run.code, 2)
})

test('an auditor node audits at start and again on an Anchored event, and serves /api/report', async () => {
  const endpoint = { rpc: fx.chain.rpcUrl, chainId: fx.chain.chainId, contracts: fx.chain.deployment!.contracts }
  const config = parseConfig({ version: 1, role: 'auditor', name: 'watch', chain: endpoint, audit: { logs: { [clean.address]: clean.url }, intervalSeconds: 3600 } })
  const node: PorchlightNode<AuditorServices> = await createNode({ config, services: auditorRole({ chain: chainService({ pollingIntervalMs: 50 }) }), staticDir: false })
  const completed = (): Promise<AuditReport> => new Promise((resolve) => {
    node.services.auditor.once('audit:completed', resolve)
  })
  try {
    const first = completed()
    await node.start()
    const report = await first
    assert.equal(report.agencies.find((a) => a.agency === clean.address)?.verifiedSize, 300)

    await clean.grow(100)
    const second = completed()
    await clean.anchor(400) // the interval is an hour: only the event can start this pass
    let after = await second
    // The event follower may see the anchor's block before or after a pass that was already running.
    while (after.agencies.find((a) => a.agency === clean.address)?.verifiedSize !== 400) after = await completed()
    assert.deepEqual(after.findings.filter((f) => f.agency === clean.address), [])

    const response = await fetch(`${node.api.address()!.url}/api/report`)
    assert.equal(response.status, 200)
    const served = await response.json() as AuditReport
    const served400 = served.agencies.find((a) => a.agency === clean.address)
    assert.equal(served400?.verifiedSize, 400)
    // Activity per UTC day, counted from the entries themselves.
    const expected: Record<string, { requests: number, deliveries: number, accesses: number, shares: number, deletions: number }> = {}
    for (const bytes of clean.log.view.entries.slice(0, 400)) {
      const entry = decodeLogEntry(bytes)
      const day = new Date(entryTime(entry) * 1000).toISOString().slice(0, 10)
      const counts = expected[day] ??= { requests: 0, deliveries: 0, accesses: 0, shares: 0, deletions: 0 }
      if (entry.kind === 'request') counts.requests++
      if (entry.kind === 'delivery') counts.deliveries++
      if (entry.kind === 'access') counts.accesses++
    }
    assert.deepEqual(served400?.activity, expected)
    assert.deepEqual(Object.values(expected).reduce((a, d) => a + d.requests + d.deliveries + d.accesses, 0), 400)
    assert.equal(served400?.checkpoint?.size, 400)
    assert.ok(served.agencies.some((a) => a.agency === bad.address), 'agencies that anchor are in the report even without an endpoint')
    assert.ok(served.findings.some((f) => f.agency === bad.address && f.rule === 'LOG_ENDPOINT_UNKNOWN'))
  } finally {
    await node.stop()
  }
})

test('an auditor node without a chain starts idle: /api/report answers 503 AUDITOR_NO_CHAIN; POST /api/audit needs the token', async () => {
  const node = await createNode({ config: parseConfig({ version: 1, role: 'auditor', name: 'idle' }), services: auditorRole(), staticDir: false })
  try {
    await node.start()
    const url = node.api.address()!.url
    const report = await fetch(`${url}/api/report`)
    assert.equal(report.status, 503)
    assert.equal(((await report.json()) as { error: { code: string } }).error.code, 'AUDITOR_NO_CHAIN')
    const anonymous = await fetch(`${url}/api/audit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    assert.equal(anonymous.status, 401)
    const authorized = await fetch(`${url}/api/audit`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${node.keys.apiToken}` }, body: '{}' })
    assert.equal(authorized.status, 503)
  } finally {
    await node.stop()
  }
})

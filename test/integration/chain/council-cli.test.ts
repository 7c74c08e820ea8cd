// Issue 21's test "as a user would with a public testnet": a chain in its own process serving JSON-RPC only,
// the contracts deployed to it with `chain deploy`, an agency registered by council members each with their
// own key (propose → approve → execute, wait the notice, execute), and an agency and a resident node that
// know the chain only from the deployment file `chain deploy` wrote.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { ChildProcess } from 'node:child_process'
import { latLngToCell } from 'h3-js'
import { devAccounts, toDeployment } from '../../../node/chain/index.js'
import { readNodeInfo } from '../../../node/node-info.js'
import { exitOf, porchlight, readyLine } from '../../helpers/cli.js'

const NOTICE = 600

async function firstLine (child: ChildProcess, pattern: RegExp, signal: AbortSignal): Promise<string> {
  const exited = once(child, 'exit', { signal }).then(([code]) => { throw new Error(`exited with ${String(code)} first`) })
  const found = (async () => {
    for await (const line of createInterface({ input: child.stdout! })) if (pattern.test(line)) return line
    throw new Error('stdout ended first')
  })()
  try {
    return await Promise.race([found, exited])
  } finally {
    exited.catch(() => {})
    child.stdout?.resume()
  }
}

async function rpc (url: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return ((await response.json()) as { result: unknown }).result
}

test('chain (JSON-RPC only) → chain deploy → propose, approve, execute, notice, execute → agency and resident on the deployment file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-council-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const run = async (args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> => await exitOf(porchlight(t, args))
  const ok = async (args: string[]): Promise<Record<string, unknown>> => {
    const r = await run(args)
    assert.equal(r.code, 0, `${args.slice(0, 3).join(' ')}: ${r.stderr}`)
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>
  }

  const chain = porchlight(t, ['chain', '--no-deploy', '--port', '0'])
  const ready = await firstLine(chain, /^chain ready: rpc /, AbortSignal.timeout(60_000))
  const rpcUrl = /rpc (\S+),/.exec(ready)![1]!
  assert.equal(await rpc(rpcUrl, 'eth_getCode', ['0x5FbDB2315678afecb367f032d93F642f64180aa3', 'latest']), '0x', 'nothing deployed')

  // The deployer is an account of its own: it pays, and holds no role afterwards.
  const accounts = devAccounts(6)
  const deployerKey = join(dir, 'deployer.key')
  await writeFile(deployerKey, accounts[5]!.privateKey)
  const memberKeys = await Promise.all(accounts.slice(0, 3).map(async (a, i) => {
    const file = join(dir, `member-${i}.key`)
    await writeFile(file, a.privateKey)
    return file
  }))
  const deploymentPath = join(dir, 'chain.json')
  const deployed = await ok(['chain', 'deploy', '--rpc', rpcUrl, '--key-file', deployerKey, '--owners', accounts.slice(0, 3).map((a) => a.address).join(','),
    '--threshold', '2', '--notice', String(NOTICE), '--out', deploymentPath])
  const deployment = toDeployment(JSON.parse(await readFile(deploymentPath, 'utf8')))
  assert.equal(deployed.chainId, deployment.chainId)
  assert.equal(deployment.council?.noticeSeconds, NOTICE)
  assert.notEqual(await rpc(rpcUrl, 'eth_getCode', [deployment.contracts.AgencyRegistry, 'latest']), '0x')

  // An agency and a resident, each knowing the chain from the deployment file only.
  const agencyDir = join(dir, 'agency')
  const made = await run(['init', '--role', 'agency', '--dir', agencyDir, '--name', 'Harbor PD', '--chain', deploymentPath])
  assert.equal(made.code, 0, made.stderr)
  const agency = /agency address: (0x[0-9a-fA-F]{40})/.exec(made.stdout)![1]!
  const [lat, lng] = [47.6097, -122.3331]
  const residentDir = join(dir, 'resident')
  assert.equal((await run(['init', '--role', 'resident', '--dir', residentDir, '--chain', deploymentPath, '--camera', `porch:${lat},${lng}`])).code, 0)
  const resident = porchlight(t, ['start', '--dir', residentDir])
  await readyLine(resident, AbortSignal.timeout(60_000))
  const residentApi = (await readNodeInfo(residentDir))!.api!.url
  const token = (await readFile(join(residentDir, 'api-token'), 'utf8')).trim()
  const notices = async (): Promise<Array<{ agency: string, cameras: string[] }>> =>
    ((await (await fetch(`${residentApi}/api/council/notices`, { headers: { authorization: `Bearer ${token}` } })).json()) as { notices: Array<{ agency: string, cameras: string[] }> }).notices
  assert.deepEqual(await notices(), [])

  // Member 0 proposes; one approval is not the threshold of 2.
  const proposal = join(dir, 'register.json')
  const safeJson = join(dir, 'register.safe.json')
  const cells = [latLngToCell(lat, lng, 7), latLngToCell(lat, lng + 0.03, 7)].join(',')
  const proposed = await ok(['council', 'propose', 'register-agency', '--chain', deploymentPath, '--key-file', memberKeys[0]!, '--out', proposal, '--safe-json', safeJson,
    '--address', agency, '--name', 'Harbor PD', '--cells', cells, '--valid-until', new Date(Date.now() + 365 * 86400_000).toISOString()])
  assert.equal(proposed.path, 'notice')
  assert.equal((JSON.parse(await readFile(safeJson, 'utf8')) as { transactions: unknown[] }).transactions.length, 1)
  const short = await run(['council', 'execute', proposal, '--chain', deploymentPath, '--key-file', deployerKey])
  assert.equal(short.code, 1)
  assert.match(short.stderr, /COUNCIL_APPROVALS_MISSING/)
  assert.equal((await ok(['council', 'approve', proposal, '--chain', deploymentPath, '--key-file', memberKeys[1]!])).approvals, 2)

  // Executing schedules it; executing again before the notice has passed is refused.
  assert.equal((await ok(['council', 'execute', proposal, '--chain', deploymentPath, '--key-file', deployerKey])).step, 'scheduled')
  const early = await run(['council', 'execute', proposal, '--chain', deploymentPath, '--key-file', deployerKey])
  assert.equal(early.code, 1)
  assert.match(early.stderr, /COUNCIL_NOTICE_PENDING/)
  const pending = await ok(['council', 'pending', '--chain', deploymentPath]) as { changes: Array<{ action: { method: string, args: { agency: string } } }> }
  assert.deepEqual(pending.changes.map((c) => [c.action.method, c.action.args.agency]), [['register', agency]])
  // The resident's node tells its household during the notice period.
  const told = await notices()
  assert.deepEqual(told.map((n) => [n.agency, n.cameras]), [[agency, ['porch']]])
  assert.equal((await ok(['council', 'show-agency', '--chain', deploymentPath, '--address', agency])).status, 'none')

  // The notice period passes (a test chain's clock is moved; a testnet's would be waited for).
  await rpc(rpcUrl, 'evm_increaseTime', [NOTICE])
  await rpc(rpcUrl, 'evm_mine', [])
  assert.equal((await ok(['council', 'execute', proposal, '--chain', deploymentPath, '--key-file', deployerKey])).step, 'executed')
  assert.equal((await ok(['council', 'show-agency', '--chain', deploymentPath, '--address', agency])).status, 'active')
  assert.deepEqual((await ok(['council', 'pending', '--chain', deploymentPath])).changes, [])
  assert.deepEqual(await notices(), [])

  // The agency node starts on the deployment file alone and finds itself registered.
  const agencyNode = porchlight(t, ['start', '--dir', agencyDir])
  await readyLine(agencyNode, AbortSignal.timeout(60_000))
  const agencyApi = (await readNodeInfo(agencyDir))!.api!.url
  assert.equal((await fetch(`${agencyApi}/api/node`)).status, 200)

  for (const child of [agencyNode, resident, chain]) {
    const exit = once(child, 'exit')
    child.kill('SIGTERM')
    await exit
  }
})

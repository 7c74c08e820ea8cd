// `porchlight demo` as a user runs it: a child process over a temporary folder, stopped by signals.
import { after, before, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { ChainClient } from '../../../node/chain/index.js'
import { demoPlan, type DemoInfo } from '../../../node/demo/index.js'
import { porchlight } from '../../helpers/cli.js'
import { hasPromtool as promtool, promtoolCheck } from '../../helpers/promtool.js'
import { childrenOf, stillRunning } from '../../helpers/process-tree.js'

let dir: string
before(async () => { dir = await mkdtemp(join(tmpdir(), 'porchlight-demo-')) })
after(async () => { await rm(dir, { recursive: true, force: true }) })

interface RunningDemo { process: ChildProcess, info: DemoInfo, children: number[], output: string[] }

async function startDemo (t: TestContext): Promise<RunningDemo> {
  const child = porchlight(t, ['demo', '--dir', dir, '--residents', '3', '--anchor-interval', '2'])
  const output: string[] = []
  child.stderr!.on('data', (chunk: Buffer) => { output.push(chunk.toString()) })
  const lines = createInterface({ input: child.stdout! })
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null): void => {
      void nodeWarnings().then((warnings) => { reject(new Error(`demo exited with ${code} before it was ready:\n${output.join('\n')}\nwarnings in node logs:\n${warnings}`)) })
    }
    child.once('exit', onExit)
    lines.on('line', (line) => {
      output.push(line)
      if (/^demo: ready; .*demo\.json written/.test(line)) { child.off('exit', onExit); resolve() }
    })
  })
  const info = JSON.parse(await readFile(join(dir, 'demo.json'), 'utf8')) as DemoInfo
  return { process: child, info, children: await childrenOf(child.pid!), output }
}

/** The warning and error lines of every node's log (the demo keeps them in <dir>/logs), to say why a step failed. */
async function nodeWarnings (): Promise<string> {
  const logs = join(dir, 'logs')
  const files = await readdir(logs).catch(() => [] as string[])
  const lines = await Promise.all(files.map(async (f) => (await readFile(join(logs, f), 'utf8').catch(() => ''))
    .split('\n').filter((l) => /"level":(40|50|60)/.test(l)).slice(-8).map((l) => `${f}: ${l.slice(0, 600)}`)))
  return lines.flat().join('\n')
}

async function stopDemo (demo: RunningDemo, signal: NodeJS.Signals): Promise<void> {
  const exited = once(demo.process, 'exit')
  demo.process.kill(signal)
  const [code] = await exited as [number | null]
  if (signal === 'SIGINT') assert.equal(code, 0, demo.output.join('\n'))
}

async function get<T> (url: string, token?: string): Promise<{ status: number, body: T }> {
  const response = await fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, body: await response.json() as T }
}

async function hasRoute (api: string, method: string, path: string): Promise<boolean> {
  const { body } = await get<{ paths: Record<string, Record<string, unknown>> }>(`${api}/api/openapi.json`)
  return body.paths[path]?.[method] !== undefined
}

async function requestCount (agency: DemoInfo['nodes'][number]): Promise<number> {
  if (!await hasRoute(agency.api, 'get', '/api/requests')) return 0
  const { body } = await get<unknown[] | { items: unknown[] }>(`${agency.api}/api/requests`, agency.token)
  return (Array.isArray(body) ? body : body.items).length
}

test('porchlight demo: every node up with its role, the sample request in an in-area inbox, no orphan at SIGINT; a second run resumes', { timeout: 300_000 }, async (t) => {
  const plan = demoPlan(3)
  const first = await startDemo(t)
  let agencies: string[]
  try {
    assert.equal(first.info.nodes.length, plan.nodes.length)
    for (const node of first.info.nodes) {
      const { pid } = JSON.parse(await readFile(join(node.dir, 'node.json'), 'utf8')) as { pid: number }
      assert.ok(first.children.includes(pid), `${node.name} runs in its own child process of the demo`)
    }
    assert.ok(first.children.length >= plan.nodes.length + 1, `and the chain in one more: ${first.children.join(' ')}`)
    assert.match(first.info.chain.rpc, /^http:\/\/127\.0\.0\.1:\d+$/)
    for (const [i, node] of first.info.nodes.entries()) {
      const { body } = await get<{ role: string, name: string, peerId: string }>(`${node.api}/api/node`)
      assert.equal(body.role, plan.nodes[i]!.role)
      assert.equal(body.peerId, node.peerId)
      assert.match(node.token, /^[\w-]{43}$/)
      const peers = await get<unknown[]>(`${node.api}/api/peers`, node.token)
      assert.ok(peers.body.length > 0, `${node.name} is connected over libp2p`)
      // Operable: ready (chain, log, libp2p), and its figures valid Prometheus text.
      const ready = await fetch(`${node.api}/readyz`)
      assert.equal(ready.status, 200, `${node.name}: ${JSON.stringify(await ready.json())}`)
      const metrics = await fetch(`${node.api}/metrics`, { headers: { authorization: `Bearer ${node.token}` } })
      assert.equal(metrics.status, 200)
      const text = await metrics.text()
      if (promtool) {
        const checked = await promtoolCheck(text)
        assert.equal(checked.code, 0, `${node.name}: ${checked.output}`)
      } else {
        t.diagnostic('promtool is not installed (Debian package prometheus): /metrics not format-checked')
      }
    }
    agencies = first.info.nodes.filter((n) => n.role === 'agency').map((n) => n.address!)
    assert.equal(agencies.length, 2)

    // The auditor watches both agencies, at the log endpoints the demo gave it.
    const auditor = first.info.nodes.find((n) => n.role === 'auditor')!
    if (await hasRoute(auditor.api, 'get', '/api/report')) {
      const { body } = await get<{ agencies: Array<{ agency: string, endpoint?: string }> }>(`${auditor.api}/api/report`, auditor.token)
      assert.deepEqual(body.agencies.map((a) => a.agency).sort(), [...agencies].sort())
      for (const a of body.agencies) assert.equal(a.endpoint, first.info.nodes.find((n) => n.address === a.agency)!.api)
    }

    // The sample request reached the residents in its area, and only them — once the agency can publish
    // (its routes and log are there) and residents have an inbox.
    const residents = first.info.nodes.filter((n) => n.role === 'resident')
    const agency = first.info.nodes[0]!
    if (await hasRoute(residents[0]!.api, 'get', '/api/inbox') && await requestCount(agency) > 0) {
      for (const [i, resident] of residents.entries()) {
        const { body } = await get<{ items: unknown[] }>(`${resident.api}/api/inbox`, resident.token)
        const inArea = plan.nodes.filter((n) => n.role === 'resident')[i]!.inArea === true
        if (inArea) assert.equal(body.items.length, 1, `${resident.name} has the sample request`)
        else assert.equal(body.items.length, 0, `${resident.name} is outside the area`)
      }
    }
  } finally {
    await stopDemo(first, 'SIGINT')
  }
  assert.deepEqual(await stillRunning(first.children, 5_000), [], 'no child outlives the demo')
  await assert.rejects(readFile(join(dir, 'demo.json')), { code: 'ENOENT' })

  // A node whose bootstrap dials fail (here: it has none) is brought into the mesh by the demo.
  const auditorConfig = join(dir, 'nodes', 'auditor', 'config.json')
  await writeFile(auditorConfig, JSON.stringify({ ...JSON.parse(await readFile(auditorConfig, 'utf8')), bootstrap: [] }))

  const second = await startDemo(t)
  try {
    const auditor = second.info.nodes.find((n) => n.role === 'auditor')!
    assert.ok((await get<unknown[]>(`${auditor.api}/api/peers`, auditor.token)).body.length > 0, 'the auditor was joined to the mesh')
    assert.deepEqual(second.info.nodes.map((n) => [n.peerId, n.address]), first.info.nodes.map((n) => [n.peerId, n.address]), 'the same nodes')
    assert.deepEqual(second.info.chain.contracts, first.info.chain.contracts)
    assert.ok(!second.output.some((line) => line.includes('council registered')), 'nothing registered twice')
    const client = await ChainClient.connect({ deployment: second.info.chain, pollingIntervalMs: 0 })
    try {
      for (const [i, address] of agencies.entries()) {
        const info = await client.agencyInfo(address)
        assert.equal(info.status, 'active')
        assert.equal(info.name, plan.town.agencies[i]!.name)
        assert.deepEqual(info.cells, plan.town.agencies[i]!.cells)
      }
    } finally {
      await client.close()
    }
  } finally {
    // Killed without a chance to clean up: the children notice their parent is gone and stop themselves.
    await stopDemo(second, 'SIGKILL')
  }
  assert.deepEqual(await stillRunning(second.children, 30_000), [], 'no orphan when the demo itself is killed')
  for (const node of plan.nodes) {
    // Each node's log file is JSON lines (both runs), ending with a clean stop it made on its own.
    const lines = (await readFile(join(dir, 'logs', `${node.slug}.log`), 'utf8')).split('\n').filter((l) => l !== '')
    const logged = lines.map((l) => { try { return JSON.parse(l) as { msg: string, signal?: string } } catch { assert.fail(`${node.slug}.log: not a JSON line: ${l}`) } })
    assert.ok(logged.some((l) => l.msg === 'porchlight: stopping' && l.signal === 'parent-exited'), `${node.slug} noticed its parent had gone`)
    assert.equal(logged.at(-1)?.msg, 'node: stopped', `${node.slug} stopped cleanly on its own`)
  }
  assert.match(await readFile(join(dir, 'logs', 'chain.log'), 'utf8'), /chain stopping \(parent-exited\)\n$/)
})

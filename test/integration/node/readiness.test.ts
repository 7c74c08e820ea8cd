// /readyz follows the chain: a real embedded chain behind a TCP proxy that the test cuts and restores.
// The node's chain client fails meanwhile, which /metrics counts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as delay } from 'node:timers/promises'
import { createNode, roleSetup } from '../../../node/index.js'
import { parseConfig } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { startChainFixture } from '../../helpers/chain.js'
import { startTcpProxy } from '../../helpers/tcp-proxy.js'

interface ReadyBody { status: 'ready' | 'unready', checks: Record<string, { ok: boolean, error?: string }> }

/**
 * Asks `url` until `done` holds for an answer, at most `timeoutMs`: the state changes outside the test's
 * reach (a socket refused, a poll of the chain), so it is asked for, not waited out with one long sleep.
 */
async function until<T> (ask: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await ask()
    if (done(value)) return value
    if (Date.now() > deadline) assert.fail(`not reached within ${timeoutMs} ms; last: ${JSON.stringify(value)}`)
    await delay(50)
  }
}

test('/readyz turns unready when the chain goes away and ready again when it returns', async (t) => {
  const fixture = await startChainFixture()
  t.after(async () => { await fixture.stop() })
  const proxy = await startTcpProxy(fixture.chain.port)
  t.after(async () => { await proxy.stop() })
  const setup = roleSetup('resident')
  const config = parseConfig({
    version: 1,
    role: 'resident',
    name: 'maple',
    chain: { rpc: proxy.url, chainId: fixture.deployment.chainId, contracts: fixture.deployment.contracts },
    cameras: [{ name: 'porch', lat: 47.6062, lng: -122.3321 }]
  })
  const node = await createNode({ config, services: setup.services, libp2p: { messageId: setup.messageId }, staticDir: false, logger: createLogger({ level: 'silent' }) })
  t.after(async () => { await node.stop() })
  await node.start()
  const url = node.info().api!.url
  const readyz = async (): Promise<{ status: number, body: ReadyBody }> => {
    const res = await fetch(`${url}/readyz`)
    return { status: res.status, body: await res.json() as ReadyBody }
  }
  const rpcErrors = async (): Promise<number> => {
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${node.keys.apiToken}` } })).text()
    const line = text.split('\n').find((l) => l.startsWith('porchlight_chain_rpc_errors_total{error="CHAIN_UNAVAILABLE"}'))
    return line === undefined ? 0 : Number(line.split(' ').at(-1))
  }

  const up = await readyz()
  assert.equal(up.status, 200)
  assert.deepEqual(up.body, { status: 'ready', checks: { libp2p: { ok: true }, chain: { ok: true } } })
  const errorsBefore = await rpcErrors()

  await proxy.pause()
  const down = await until(readyz, (r) => r.status === 503)
  assert.equal(down.body.status, 'unready')
  assert.deepEqual(down.body.checks.chain, { ok: false, error: 'CHAIN_UNAVAILABLE' })
  assert.deepEqual(down.body.checks.libp2p, { ok: true })
  // The request network's chain client polls the registry's events every second: its failures are counted.
  assert.ok(await until(rpcErrors, (n) => n > errorsBefore) > errorsBefore)

  await proxy.resume()
  const back = await until(readyz, (r) => r.status === 200)
  assert.deepEqual(back.body, { status: 'ready', checks: { libp2p: { ok: true }, chain: { ok: true } } })
})

test('/readyz of a stopped node\'s libp2p says so, with its code', async (t) => {
  const setup = roleSetup('auditor')
  const node = await createNode({ config: parseConfig({ version: 1, role: 'auditor', name: 'watcher' }), services: setup.services, staticDir: false, logger: createLogger({ level: 'silent' }) })
  t.after(async () => { await node.stop() })
  await node.start()
  await node.libp2p.stop()
  const res = await fetch(`${node.info().api!.url}/readyz`)
  assert.equal(res.status, 503)
  assert.deepEqual(await res.json(), { status: 'unready', checks: { libp2p: { ok: false, error: 'LIBP2P_NOT_LISTENING' } } })
})

// What a node says of its reachability, on 127.0.0.1: a resident holding a relay reservation, with no public
// address to test, says `private` in info(), GET /api/node/self and node.json; a node that knows nothing
// says `unknown`; the public GET /api/node says neither; /metrics carries the status. Public addresses do
// not exist on loopback: the netns test shows `public` (test/integration/network/nat.test.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtemp, rm, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode, type PorchlightNode } from '../../../node/index.js'
import { relayRole } from '../../../node/roles.js'
import { parseConfig, saveConfig, nodePaths, generateKeys, writeKeys } from '../../../node/config/index.js'
import type { Reachability } from '../../../node/p2p/reachability.js'

const camera = { name: 'porch', lat: 47.6062, lng: -122.3321 }

function reachabilityOf (node: PorchlightNode<any>): Reachability {
  const r = node.libp2p.services.reachability
  assert.ok(r !== undefined)
  return r
}

async function self (node: PorchlightNode<any>, path = '/api/node/self'): Promise<Record<string, unknown>> {
  const res = await node.api.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${node.keys.apiToken}` } })
  assert.equal(res.statusCode, 200)
  return res.json()
}

test('a resident behind a relay says it is private; the relay, on loopback, does not know', async (t) => {
  const relay = await createNode({ config: parseConfig({ version: 1, role: 'relay', name: 'relay' }), services: relayRole(), listenApi: false, staticDir: false })
  t.after(async () => { await relay.stop() })
  await relay.start()
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-reach-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await saveConfig(dir, parseConfig({ version: 1, role: 'resident', name: 'maple street', cameras: [camera], bootstrap: [relay.info().addrs[0]!], network: { reservations: 1 } }))
  await writeKeys(dir, await generateKeys('resident'))
  const resident = await createNode({ dir, listenApi: false, staticDir: false })
  t.after(async () => { await resident.stop() })
  const changed = once(reachabilityOf(resident), 'reachability:change')
  await resident.start()
  assert.deepEqual((await changed)[0], { status: 'private', previous: 'unknown' })
  assert.equal(resident.info().reachability, 'private')
  assert.equal((await self(resident)).reachability, 'private')
  assert.equal('reachability' in await self(resident, '/api/node'), false, 'not on the public answer')
  // node.json is written at start, and the reservation may come after it; it is a snapshot of either.
  assert.ok(['private', 'unknown'].includes((JSON.parse(await readFile(nodePaths(dir).nodeInfo, 'utf8')) as { reachability: string }).reachability))

  assert.equal(relay.info().reachability, 'unknown')
  const figures = await relay.api.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${relay.keys.apiToken}` } })
  assert.match(figures.body, /^porchlight_p2p_reachability\{status="unknown"\} 1$/m)
  assert.match(figures.body, /^porchlight_p2p_reachability\{status="private"\} 0$/m)
})

test('a node on loopback with no reservation says unknown', async (t) => {
  const node = await createNode({ config: parseConfig({ version: 1, role: 'resident', name: 'r', cameras: [camera] }), listenApi: false, staticDir: false })
  t.after(async () => { await node.stop() })
  await node.start()
  assert.equal(await reachabilityOf(node).check(), 'unknown')
  assert.equal((await self(node)).reachability, 'unknown')
})

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createNode, defineService, readNodeInfo, type PorchlightNode, type NodeComponents, type ServiceRoutes } from '../../../node/index.js'
import { initNode, parseConfig } from '../../../node/config/index.js'
import { joinTopic, waitForMeshPeer } from '../../../node/p2p/index.js'

const topic = 'porchlight/1/req/872a1072bffffff'

function stopAll (t: { after: (fn: () => Promise<void>) => void }, nodes: PorchlightNode[]): void {
  t.after(async () => { await Promise.all(nodes.map(async (n) => { await n.stop() })) })
}

test('nodes made from configs meet through bootstrap and gossip; an agency reports its address', async (t) => {
  const nodes: PorchlightNode[] = []
  stopAll(t, nodes)
  const hub = await createNode({ config: parseConfig({ version: 1, role: 'agency', name: 'sheriff' }), staticDir: false })
  nodes.push(hub)
  await hub.start()
  const hubInfo = hub.info()
  assert.match(hubInfo.address ?? '', /^0x[0-9a-fA-F]{40}$/)
  for (const name of ['a', 'b']) {
    const node = await createNode({ config: parseConfig({ version: 1, role: 'resident', name, bootstrap: hubInfo.addrs }), staticDir: false })
    nodes.push(node)
    await node.start()
  }
  for (const n of nodes) joinTopic(n.libp2p, topic)
  await Promise.all(nodes.map(async (n) => await waitForMeshPeer(n.libp2p, topic, { signal: AbortSignal.timeout(15_000) })))
  const got = new Promise<Uint8Array>((resolve) => {
    nodes[2]!.libp2p.services.pubsub.addEventListener('message', (evt) => { resolve(evt.detail.data) }, { once: true })
  })
  await nodes[1]!.libp2p.services.pubsub.publish(topic, new Uint8Array([42]))
  assert.deepEqual(new Uint8Array(await got), new Uint8Array([42]))
})

test('services are built in dependency order with what they need, their routes mounted, and stopped in reverse', async () => {
  const log: string[] = []
  const service = (name: string, c: NodeComponents, needed?: { name: string }): { name: string, start: () => Promise<void>, stop: () => void } => {
    const sub = c.store.sublevel(name)
    log.push(`build ${name}${needed === undefined ? '' : ` with ${needed.name}`}`)
    return {
      name,
      start: async () => { await sub.put('started', new Uint8Array([1])); log.push(`start ${name}`) },
      stop: () => { log.push(`stop ${name}`) }
    }
  }
  const routes = (s: { name: string }): ServiceRoutes => async (app) => { app.get(`/api/${s.name}`, async () => ({ name: s.name })) }
  // Declared second first: the node builds `first` before the service that needs it.
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'auditor', name: 'watch' }),
    services: {
      second: defineService((c: NodeComponents & { first: { name: string } }) => service('second', c, c.first), { needs: ['first'], routes }),
      first: defineService((c: NodeComponents) => service('first', c), { needs: [] })
    },
    staticDir: false
  })
  let stopped = false
  node.on('node:stopped', () => { stopped = true })
  await node.start()
  const token = node.keys.apiToken
  const res = await fetch(`${node.info().api?.url}/api/second`, { headers: { authorization: `Bearer ${token}` } })
  assert.deepEqual(await res.json(), { name: 'second' })
  // `first` declared no routes: nothing is mounted for it.
  assert.equal((await fetch(`${node.info().api?.url}/api/first`, { headers: { authorization: `Bearer ${token}` } })).status, 404)
  await node.stop()
  assert.deepEqual(log, ['build first', 'build second with first', 'start first', 'start second', 'stop second', 'stop first'])
  assert.equal(stopped, true)
})

test('a missing or circular service dependency is refused at construction, naming the services', async () => {
  const config = parseConfig({ version: 1, role: 'auditor', name: 'watch' })
  const noop = (): object => ({})
  await assert.rejects(createNode({ config, services: { inbox: { needs: ['network'], create: noop } }, staticDir: false }),
    (err: Error & { details?: unknown }) => err.name === 'MissingServiceDependencyError' && JSON.stringify(err.details) === JSON.stringify({ service: 'inbox', needs: 'network' }))
  await assert.rejects(createNode({ config, services: { a: { needs: ['b'], create: noop }, b: { needs: ['a'], create: noop }, c: { needs: [], create: noop } }, staticDir: false }),
    (err: Error & { details?: unknown }) => err.name === 'ServiceDependencyCycleError' && JSON.stringify(err.details) === JSON.stringify({ services: ['a', 'b'] }))
})

test('a failing service start undoes what started, leaving the directory reusable', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-node-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await initNode(dir, { role: 'resident' })
  const broken = await createNode({ dir, services: { broken: defineService(() => ({ start: () => { throw new Error('no') } }), { needs: [] }) }, staticDir: false })
  await assert.rejects(broken.start(), { message: 'no' })
  assert.equal(broken.libp2p.status, 'stopped')
  await broken.stop()
  // The store's lock is released: the same directory opens again.
  const node = await createNode({ dir, staticDir: false })
  stopAll(t, [node])
  await node.start()
  assert.equal((await readNodeInfo(dir))?.peerId, node.peerId.toString())
})

test('POST /api/peers connects to a peer; nodes on the memory transport run without a port', async (t) => {
  const nodes: PorchlightNode[] = []
  stopAll(t, nodes)
  for (const name of ['x', 'y']) {
    const node = await createNode({ config: parseConfig({ version: 1, role: 'resident', name, listen: [`/memory/${name}-${process.pid}`] }), listenApi: false, staticDir: false })
    nodes.push(node)
    await node.start()
  }
  const [x, y] = nodes as [PorchlightNode, PorchlightNode]
  assert.equal(x.info().api, undefined)
  const res = await x.api.app.inject({ method: 'POST', url: '/api/peers', headers: { authorization: `Bearer ${x.keys.apiToken}` }, payload: { addr: y.info().addrs[0] } })
  assert.equal(res.statusCode, 201)
  assert.equal(res.json().peerId, y.peerId.toString())
  assert.equal(x.libp2p.getConnections(y.peerId).length, 1)
  const bad = await x.api.app.inject({ method: 'POST', url: '/api/peers', headers: { authorization: `Bearer ${x.keys.apiToken}` }, payload: { addr: '/not/a/multiaddr' } })
  assert.equal(bad.statusCode, 400)
  assert.equal(bad.json().error.code, 'INVALID_MULTIADDR')
})

// What an idle node's gossip costs (issue 22 item 5): the event loop's busy share (event-loop utilisation)
// of N Porchlight libp2p nodes, idle, in a mesh on three shared res-7 topics — gossipsub's heartbeat every
// second, peer scoring, identify, AutoNAT and the reachability check, as a resident runs them — beside N bare
// libp2p nodes (TCP, Noise, Yamux, identify, ping: the least a libp2p node runs) with the same connections,
// in the same process and the same run. Measured one after the other, each over the same window once its
// mesh has formed; per node, the process's utilisation divided by N.
import { performance } from 'node:perf_hooks'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import { setTimeout as delay } from 'node:timers/promises'
import { createPorchlightLibp2p, joinTopic, waitForMeshPeer } from '../node/p2p/index.js'
import type { BenchContext } from './lib.js'

const NODES = 8
const TOPICS = ['porchlight/req/1/idle-a', 'porchlight/req/1/idle-b', 'porchlight/req/1/idle-c']

/** A ring with one chord per node: each node has 3–4 connections, as a resident among its cell-mates. */
async function connect (nodes: Libp2p[]): Promise<void> {
  for (const [i, node] of nodes.entries()) {
    for (const j of [(i + 1) % nodes.length, (i + Math.floor(nodes.length / 2)) % nodes.length]) {
      if (j !== i) await node.dial(nodes[j]!.getMultiaddrs()[0]!)
    }
  }
}

/** The process's event-loop utilisation over `ms`, as a share of one core. */
async function utilisation (ms: number): Promise<number> {
  const start = performance.eventLoopUtilization()
  await delay(ms)
  return performance.eventLoopUtilization(start).utilization
}

export default async function (ctx: BenchContext): Promise<void> {
  const windowMs = ctx.quick ? 5_000 : 20_000
  const idleProcess = await utilisation(Math.min(windowMs, 5_000))

  const bare = await Promise.all(Array.from({ length: NODES }, async () => await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() }
  })))
  let bareElu: number
  try {
    await connect(bare)
    await delay(2_000) // identify's exchanges settle
    bareElu = await utilisation(windowMs)
  } finally {
    await Promise.all(bare.map(async (n) => { await n.stop() }))
  }

  const porchlight = await Promise.all(Array.from({ length: NODES }, async () => await createPorchlightLibp2p()))
  let porchlightElu: number
  try {
    for (const node of porchlight) for (const topic of TOPICS) joinTopic(node, topic)
    await connect(porchlight)
    await Promise.all(porchlight.flatMap((node) => TOPICS.map(async (topic) => await waitForMeshPeer(node, topic, { signal: AbortSignal.timeout(30_000) }))))
    await delay(2_000)
    porchlightElu = await utilisation(windowMs)
  } finally {
    await Promise.all(porchlight.map(async (n) => { await n.stop() }))
  }

  const perNode = (elu: number): number => 100 * elu / NODES
  const note = `${NODES} nodes in one process, ring + chord (3–4 connections each), ${windowMs / 1000} s window; the process alone: ${(100 * idleProcess).toFixed(2)} %`
  ctx.row({
    section: 'idle',
    figure: 'idle node, gossip on 3 topics (heartbeat 1 s, scoring, identify, AutoNAT, reachability): event-loop utilisation per node',
    value: perNode(porchlightElu),
    unit: '% of a core',
    baseline: { label: 'bare libp2p node (TCP, Noise, Yamux, identify, ping), same connections', value: perNode(bareElu) },
    better: 'lower',
    note
  })
}

// The request/response framing's cost: round trips per second of a small dag-cbor request and response
// over a fresh stream (what /porchlight/requests and /porchlight/audit do), beside libp2p's own ping
// round trip on the same connection in the same run.
import type { BenchContext } from './lib.js'
import { opsPerSecond } from './lib.js'
import { createPorchlightLibp2p, handleRequests, sendRequest } from '../node/p2p/index.js'

export default async function (ctx: BenchContext): Promise<void> {
  const server = await createPorchlightLibp2p()
  const client = await createPorchlightLibp2p()
  try {
    const protocol = '/porchlight/bench/1.0.0'
    await handleRequests(server, protocol, async (req: { cells: string[] }) => ({ requests: req.cells.map((cell) => ({ cell, id: new Uint8Array(36) })) }))
    await client.dial(server.getMultiaddrs())
    const request = { cells: ['872a1072bffffff', '872a10728ffffff', '872a10729ffffff'] }
    const opts = { rounds: ctx.quick ? 2 : 5, minMs: ctx.quick ? 100 : 400 }
    const ping = await opsPerSecond(async () => { await client.services.ping.ping(server.peerId) }, opts)
    const rpc = await opsPerSecond(async () => { await sendRequest(client, server.peerId, protocol, request) }, opts)
    ctx.row({
      section: 'p2p',
      figure: 'framed request/response round trips (TCP, loopback, fresh stream each)',
      value: rpc,
      unit: 'ops/s',
      better: 'higher',
      baseline: { label: 'libp2p ping (also a fresh stream each), same connection', value: ping }
    })
  } finally {
    await Promise.all([server.stop(), client.stop()])
  }
}

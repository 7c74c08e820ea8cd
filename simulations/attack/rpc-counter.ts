// A JSON-RPC pass-through in front of the chain that counts the calls by method: "how many chain reads
// did this cost" measured outside the node, so the figure means the same before and after a fix.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RpcCounter {
  readonly url: string
  /** Calls seen so far, by JSON-RPC method. */
  count (method: string): number
  stop (): Promise<void>
}

export async function startRpcCounter (target: string): Promise<RpcCounter> {
  const counts = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => { chunks.push(c) })
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      try {
        const parsed = JSON.parse(body.toString('utf8')) as { method?: string } | Array<{ method?: string }>
        for (const call of Array.isArray(parsed) ? parsed : [parsed]) counts.set(call.method ?? '?', (counts.get(call.method ?? '?') ?? 0) + 1)
      } catch {
        counts.set('(unparsed)', (counts.get('(unparsed)') ?? 0) + 1)
      }
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        .then(async (answer) => { res.writeHead(answer.status, { 'content-type': 'application/json' }).end(Buffer.from(await answer.arrayBuffer())) })
        .catch(() => { res.writeHead(502).end() })
    })
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    count: (method) => counts.get(method) ?? 0,
    stop: async () => { server.closeAllConnections(); await new Promise<void>((resolve) => server.close(() => { resolve() })) }
  }
}

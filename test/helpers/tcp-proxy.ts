// A TCP proxy in front of a server, to cut it off and bring it back on the same port: an RPC outage as
// a client sees it (connection refused), without stopping the chain behind it.
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface TcpProxy {
  port: number
  url: string
  /** Refuses connections and drops the open ones. */
  pause (): Promise<void>
  /** Accepts connections again on the same port. */
  resume (): Promise<void>
  stop (): Promise<void>
}

export async function startTcpProxy (targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => { client.destroy(); upstream.destroy() })
    }
    client.pipe(upstream).pipe(client)
  })
  const listen = async (port: number): Promise<number> => await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve((server.address() as AddressInfo).port) })
  })
  const close = async (): Promise<void> => {
    if (!server.listening) return
    const closed = new Promise<void>((resolve) => server.close(() => { resolve() }))
    for (const s of sockets) s.destroy()
    await closed
  }
  const port = await listen(0)
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    pause: close,
    resume: async () => { await listen(port) },
    stop: close
  }
}

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
  /** Resets the connection that next sends a request, as a server does to a keep-alive socket it closed as the client reused it. */
  resetNext (): void
  /** Connections reset so far by resetNext. */
  resets: number
  stop (): Promise<void>
}

export async function startTcpProxy (targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let resetPending = false
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => { client.destroy(); upstream.destroy() })
    }
    client.on('data', (chunk: Buffer) => {
      if (!resetPending) { upstream.write(chunk); return }
      resetPending = false
      proxy.resets++
      client.resetAndDestroy()
      upstream.destroy()
    })
    client.on('end', () => { upstream.end() })
    upstream.pipe(client)
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
  const proxy: TcpProxy = {
    port,
    url: `http://127.0.0.1:${port}`,
    pause: close,
    resume: async () => { await listen(port) },
    resetNext: () => { resetPending = true },
    resets: 0,
    stop: close
  }
  return proxy
}

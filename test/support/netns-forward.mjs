// Forwards TCP connections between the host and a namespace, or between two addresses of one namespace,
// for the real-NAT test: `node netns-forward.mjs LISTEN=CONNECT ...`, each side `tcp:HOST:PORT` or
// `unix:PATH`. A socket file is reachable from every network namespace (the filesystem is shared), so
// the test process in the host reaches an API on a namespace's 127.0.0.1 through one, and a server that
// binds 127.0.0.1 only (the embedded chain) is offered on the namespace's public address. Says
// `{ type: 'porchlight:ready' }` over its IPC channel once every side listens, and exits when the channel
// closes (its parent is gone).
import { createServer, connect } from 'node:net'
import { rmSync } from 'node:fs'

const parse = (side) => {
  const [kind, ...rest] = side.split(':')
  if (kind === 'unix') return { path: rest.join(':') }
  if (kind === 'tcp') return { host: rest.slice(0, -1).join(':'), port: Number(rest.at(-1)) }
  throw new Error(`netns-forward: not tcp:HOST:PORT or unix:PATH: ${side}`)
}

await Promise.all(process.argv.slice(2).map(async (pair) => {
  const [from, to] = pair.split('=').map(parse)
  if (from.path !== undefined) rmSync(from.path, { force: true })
  const server = createServer((client) => {
    const upstream = connect(to)
    const close = () => { client.destroy(); upstream.destroy() }
    client.on('error', close)
    upstream.on('error', close)
    client.pipe(upstream).pipe(client)
  })
  await new Promise((resolve, reject) => { server.once('error', reject).listen(from, resolve) })
}))
process.send?.({ type: 'porchlight:ready' })
process.channel?.unref()
process.on('disconnect', () => process.exit(0))

import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { request } from 'node:http'
import { mkdtemp, rm, readFile, access } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { readNodeInfo } from '../../../node/index.js'
import { exitOf, porchlight } from '../../helpers/cli.js'

/** GET over a socket to 127.0.0.1:`port` with the given Host header (fetch always sends the URL's). */
async function getWithHost (port: number, path: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number, body: string }> {
  return await new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { ...headers, host } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => { body += d })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }) })
    })
    req.on('error', reject)
    req.end()
  })
}

/** Resolves with the first stdout line matching `pattern` (the node's ready line). */
async function lineMatching (child: ChildProcess, pattern: RegExp, signal: AbortSignal): Promise<string> {
  const lines = createInterface({ input: child.stdout! })
  const exited = once(child, 'exit', { signal }).then(([code]) => { throw new Error(`exited with ${String(code)} before ready`) })
  const found = (async () => {
    for await (const line of lines) if (pattern.test(line)) return line
    throw new Error('stdout ended before ready')
  })()
  return await Promise.race([found, exited])
}

test('porchlight init, then start: node.json, public and private routes, and a clean SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-cli-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const nodeDir = join(dir, 'resident')

  const made = await exitOf(porchlight(t, ['init', '--role', 'resident', '--dir', nodeDir, '--name', 'maple street', '--camera', 'porch:40.712776,-74.005974', '--camera', 'garage:40.7129,-74.006']))
  assert.equal(made.code, 0, made.stderr)
  const again = await exitOf(porchlight(t, ['init', '--role', 'resident', '--dir', nodeDir]))
  assert.equal(again.code, 1)
  assert.match(again.stderr, /NODE_EXISTS/)
  const badFlag = await exitOf(porchlight(t, ['init', '--role', 'resident', '--dir', join(dir, 'other'), '--camera', 'porch']))
  assert.equal(badFlag.code, 2)
  await assert.rejects(access(join(dir, 'other')))

  const node = porchlight(t, ['start', '--dir', nodeDir])
  const stderr: string[] = []
  node.stderr?.on('data', (d: Buffer) => { stderr.push(d.toString()) })
  let stdout = ''
  node.stdout?.on('data', (d: Buffer) => { stdout += d.toString() })
  await lineMatching(node, /ready/, AbortSignal.timeout(30_000))
  const info = await readNodeInfo(nodeDir)
  assert.ok(info?.api !== undefined)
  const api = info.api
  assert.equal(info.role, 'resident')
  assert.equal(info.pid, node.pid)
  const token = (await readFile(join(nodeDir, 'api-token'), 'utf8')).trim()

  const self = await fetch(`${api.url}/api/node`)
  assert.equal(self.status, 200)
  const body = await self.json() as Record<string, unknown>
  assert.deepEqual(Object.keys(body).sort(), ['addrs', 'peerId', 'role'])
  assert.equal(body.peerId, info.peerId)
  // A resident's cameras, coordinates and the name the household chose are never in what the node serves.
  const text = JSON.stringify(body)
  for (const secret of ['porch', 'garage', '40.71', '-74.00', 'camera', 'maple']) assert.equal(text.includes(secret), false, secret)
  // Its own UI reads the name with the token.
  assert.equal((await fetch(`${api.url}/api/node/self`)).status, 401)
  const own = await fetch(`${api.url}/api/node/self`, { headers: { authorization: `Bearer ${token}` } })
  assert.equal((await own.json() as { name: string }).name, 'maple street')

  // DNS rebinding: a page whose name resolves to 127.0.0.1 reaches the port, but not under its own name,
  // on a public route, with the token, or for a file of the UI.
  for (const [path, headers] of [['/api/node', {}], ['/api/node/self', { authorization: `Bearer ${token}` }], ['/', {}]] as const) {
    const misdirected = await getWithHost(api.port, path, `evil.example.com:${api.port}`, headers)
    assert.equal(misdirected.status, 421, path)
    assert.equal((JSON.parse(misdirected.body) as { error: { code: string } }).error.code, 'MISDIRECTED_REQUEST')
  }
  for (const host of [`localhost:${api.port}`, `127.0.0.1:${api.port}`]) assert.equal((await getWithHost(api.port, '/api/node', host)).status, 200, host)
  assert.equal((await getWithHost(api.port, '/api/node', 'localhost:1')).status, 421, 'a loopback name with another port')
  const figures = await (await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text()
  assert.match(figures, /^porchlight_api_requests_refused_total\{code="MISDIRECTED_REQUEST"\} 4$/m)

  const openapi = await fetch(`${api.url}/api/openapi.json`)
  assert.equal(openapi.status, 200)
  const doc = await openapi.json() as { paths: Record<string, unknown> }
  assert.ok(doc.paths['/api/node'] !== undefined && doc.paths['/api/peers'] !== undefined)

  const write = (headers: Record<string, string>, payload: string): Promise<Response> =>
    fetch(`${api.url}/api/peers`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload })
  const noToken = await write({}, JSON.stringify({ addr: info.addrs[0] }))
  assert.equal(noToken.status, 401)
  assert.equal((await noToken.json() as { error: { code: string } }).error.code, 'UNAUTHORIZED')
  const malformed = await write({ authorization: `Bearer ${token}` }, JSON.stringify({ address: 'x' }))
  assert.equal(malformed.status, 400)
  assert.equal((await malformed.json() as { error: { code: string } }).error.code, 'VALIDATION_FAILED')
  const notJson = await write({ authorization: `Bearer ${token}` }, '{"addr":')
  assert.equal(notJson.status, 400)
  const peers = await fetch(`${api.url}/api/peers`, { headers: { authorization: `Bearer ${token}` } })
  assert.deepEqual(await peers.json(), [])

  const exit = once(node, 'exit')
  node.kill('SIGTERM')
  const [code, signal] = await exit as [number | null, string | null]
  assert.equal(signal, null)
  assert.equal(code, 0, stderr.join(''))
  assert.equal(await readNodeInfo(nodeDir), undefined)
  // What the demo writes to a node's log file: JSON lines, from ready to stopped.
  const logged = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { msg: string, level: number })
  assert.ok(logged.some((l) => l.msg === 'node: ready'))
  assert.ok(logged.some((l) => l.msg === 'api: request for another host refused' && (l as { host?: string }).host === `evil.example.com:${api.port}`))
  assert.equal(logged.at(-1)?.msg, 'node: stopped')
  assert.ok(!stdout.includes(token))
})

// HTTPS for an API beyond loopback (node/api/tls.ts): when it applies, the certificate the node makes and
// keeps, a supplied one checked, and the server's one answer to plain HTTP on its port.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { request } from 'node:https'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { createApiServer, type RefusedRequest } from '../../../node/api/index.js'
import { apiTlsMode, certificateInfo, isLoopbackHost, loadApiTls, makeSelfSigned } from '../../../node/api/tls.js'
import { NodeApiClient } from '../../../node/api/client.js'
import { nodePaths, parseConfig } from '../../../node/config/index.js'
import { createNode } from '../../../node/node.js'

const token = 'test-token-0123456789abcdef0123456789abcdef'

async function tempDir (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-tls-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

const api = (host: string, extra: { tls?: { cert: string, key: string } } = {}): { host: string, port: number, tls?: { cert: string, key: string } } => ({ host, port: 0, ...extra })

test('HTTPS for a resident or agency on a named non-loopback host; loopback, wildcards and public-by-role APIs stay HTTP; a supplied certificate always', () => {
  for (const host of ['192.0.2.2', 'porch.local', '2001:db8::2', '[2001:db8::2]']) {
    assert.equal(apiTlsMode({ role: 'resident', api: api(host) }), 'self-signed', host)
    assert.equal(apiTlsMode({ role: 'agency', api: api(host) }), 'self-signed', host)
  }
  for (const host of ['127.0.0.1', '127.8.9.1', 'localhost', 'app.localhost', '::1', '[::1]', '0.0.0.0', '::']) {
    assert.equal(apiTlsMode({ role: 'resident', api: api(host) }), 'none', host)
  }
  for (const role of ['witness', 'auditor', 'relay'] as const) assert.equal(apiTlsMode({ role, api: api('203.0.113.3') }), 'none', role)
  assert.equal(apiTlsMode({ role: 'witness', api: api('127.0.0.1', { tls: { cert: 'c.pem', key: 'k.pem' } }) }), 'supplied')
  assert.equal(isLoopbackHost('192.0.2.1'), false)
  assert.equal(isLoopbackHost('127.0.0.1.example.com'), false)
})

test('the made certificate names the host, sits in keys/ readable by the owner only, is kept across starts and made again for a new host', async (t) => {
  const dir = await tempDir(t)
  const first = await loadApiTls(dir, { role: 'resident', api: api('192.0.2.2') })
  assert.ok(first !== undefined)
  assert.deepEqual(first.names, ['192.0.2.2'])
  assert.equal(first.selfSigned, true)
  assert.match(first.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
  for (const file of [nodePaths(dir).apiCert, nodePaths(dir).apiKey]) assert.equal((await stat(file)).mode & 0o777, 0o600, file)
  const again = await loadApiTls(dir, { role: 'resident', api: api('192.0.2.2') })
  assert.equal(again?.fingerprint, first.fingerprint)
  const moved = await loadApiTls(dir, { role: 'resident', api: api('porch.local') })
  assert.deepEqual(moved?.names, ['porch.local'])
  assert.notEqual(moved?.fingerprint, first.fingerprint)
  // An IPv6 host is kept too (its names compare as URL.hostname spells them, in brackets).
  const v6 = await loadApiTls(dir, { role: 'resident', api: api('2001:db8::2') })
  assert.deepEqual(v6?.names, ['[2001:db8::2]'])
  assert.equal((await loadApiTls(dir, { role: 'resident', api: api('2001:db8::2') }))?.fingerprint, v6?.fingerprint)
  await loadApiTls(dir, { role: 'resident', api: api('porch.local') })
  const current = await loadApiTls(dir, { role: 'resident', api: api('porch.local') })
  // Within 30 days of its end: made again.
  const late = await loadApiTls(dir, { role: 'resident', api: api('porch.local') }, new Date(Date.now() + 380 * 86_400_000))
  assert.notEqual(late?.fingerprint, current?.fingerprint)
})

test('a supplied certificate is read relative to the node\'s directory; one whose key is not its own, or not PEM, is refused with TLS_CERTIFICATE_INVALID', async (t) => {
  const dir = await tempDir(t)
  const a = await makeSelfSigned('porch.example.org')
  const b = await makeSelfSigned('porch.example.org')
  await writeFile(join(dir, 'a.pem'), a.cert)
  await writeFile(join(dir, 'a.key'), a.key)
  await writeFile(join(dir, 'b.key'), b.key)
  await writeFile(join(dir, 'junk.pem'), 'not a certificate')
  const supplied = await loadApiTls(dir, { role: 'resident', api: api('0.0.0.0', { tls: { cert: 'a.pem', key: 'a.key' } }) })
  assert.equal(supplied?.selfSigned, false)
  assert.deepEqual(supplied?.names, ['porch.example.org'])
  for (const tls of [{ cert: 'a.pem', key: 'b.key' }, { cert: 'junk.pem', key: 'a.key' }, { cert: 'a.pem', key: 'junk.pem' }, { cert: 'missing.pem', key: 'a.key' }]) {
    await assert.rejects(loadApiTls(dir, { role: 'resident', api: api('0.0.0.0', { tls }) }), { name: 'TlsCertificateError', code: 'TLS_CERTIFICATE_INVALID' }, JSON.stringify(tls))
  }
})

/** Sends raw bytes to the port and reads all it answers. */
async function raw (port: number, text: string): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  socket.end(text)
  const chunks: Buffer[] = []
  socket.on('data', (c: Buffer) => chunks.push(c))
  await once(socket, 'close')
  return Buffer.concat(chunks).toString()
}

test('over HTTPS the API answers; plain HTTP on its port gets HTTPS_REQUIRED, counted, and its route never runs', async (t) => {
  const tls = await makeSelfSigned('127.0.0.1')
  const server = createApiServer({ token, tls, staticDir: false })
  let ran = 0
  server.addRoutes(async (app) => { app.get('/api/thing', async () => { ran++; return { ok: true } }) })
  const refused: RefusedRequest[] = []
  server.on('request:refused', (r) => { refused.push(r) })
  await server.start()
  t.after(async () => { await server.stop() })
  const { port, url } = server.address()!
  assert.match(url, /^https:\/\//)

  const plain = await raw(port, `GET /api/thing HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`)
  assert.match(plain, /^HTTP\/1\.1 400 /)
  assert.equal((JSON.parse(plain.slice(plain.indexOf('\r\n\r\n') + 4)) as { error: { code: string } }).error.code, 'HTTPS_REQUIRED')
  assert.deepEqual(refused, [{ code: 'HTTPS_REQUIRED', route: '(none)' }])
  assert.equal(ran, 0)

  const client = new NodeApiClient({ url, token, certificate: tls.cert })
  assert.deepEqual(await client.call('GET /api/openapi.json').then((d) => typeof d), 'object')
  const status = await new Promise<number | undefined>((resolve, reject) => {
    request(`${url}/api/thing`, { ca: tls.cert, headers: { authorization: `Bearer ${token}` } }, (res) => { res.resume(); resolve(res.statusCode) }).on('error', reject).end()
  })
  assert.equal(status, 200)
  assert.equal(ran, 1)
})

test('the client pins the node\'s certificate: another one (even for the same name) is refused before the token is sent', async (t) => {
  const served = await makeSelfSigned('127.0.0.1')
  const other = await makeSelfSigned('127.0.0.1')
  const server = createApiServer({ token, tls: served, staticDir: false })
  let seen = 0
  server.app.addHook('onRequest', async () => { seen++ })
  await server.start()
  t.after(async () => { await server.stop() })
  const client = new NodeApiClient({ url: server.address()!.url, token, certificate: other.cert })
  await assert.rejects(client.call('GET /api/openapi.json'), { name: 'NodeUnreachableError', code: 'NODE_UNREACHABLE' })
  assert.equal(seen, 0)
})

test('a connection that never says anything does not hold up stop', async () => {
  const tls = await makeSelfSigned('127.0.0.1')
  const server = createApiServer({ token, tls, staticDir: false })
  await server.start()
  const socket = connect(server.address()!.port, '127.0.0.1')
  socket.on('error', () => {})
  await once(socket, 'connect')
  const started = performance.now()
  await server.stop()
  assert.ok(performance.now() - started < 2_000, 'stopped at once')
  socket.destroy()
})

test('a node answers to the names its certificate is for (the Host allow-list follows api.tls), and to no other', async (t) => {
  const dir = await tempDir(t)
  const made = await makeSelfSigned('porch.example.org')
  await writeFile(join(dir, 'api.pem'), made.cert)
  await writeFile(join(dir, 'api.key'), made.key)
  const statusFor = async (tls: boolean, host: string): Promise<number> => {
    const config = parseConfig({ version: 1, role: 'resident', name: 'birch lane', api: { host: '127.0.0.1', port: 0, ...(tls ? { tls: { cert: join(dir, 'api.pem'), key: join(dir, 'api.key') } } : {}) } })
    const node = await createNode({ config, listenApi: false, staticDir: false })
    try {
      assert.equal(node.apiTls?.fingerprint, tls ? certificateInfo(made.cert).fingerprint : undefined)
      return (await node.api.app.inject({ method: 'GET', url: '/api/node', headers: { host } })).statusCode
    } finally {
      await node.stop()
    }
  }
  assert.equal(await statusFor(true, 'porch.example.org'), 200)
  assert.equal(await statusFor(true, 'evil.example.com'), 421)
  assert.equal(await statusFor(false, 'porch.example.org'), 421)
})

test('over the pinned HTTPS client a streamed upload goes out whole and a streamed answer comes back whole (the CLI\'s clips add and footage open)', async (t) => {
  const tls = await makeSelfSigned('127.0.0.1')
  const server = createApiServer({ token, tls, staticDir: false })
  const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251)
  server.addRoutes(async (app) => {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', (_request, _payload, done) => { done(null) })
    app.post('/api/clips', { config: { streamedBody: true }, bodyLimit: 8 * 1024 * 1024 }, async (request) => {
      let size = 0
      for await (const chunk of request.raw) size += (chunk as Buffer).length
      return { size, camera: (request.query as { camera: string }).camera }
    })
    app.get('/api/footage/:cid', { schema: { params: { type: 'object', additionalProperties: false, required: ['cid'], properties: { cid: { type: 'string' } } } } }, async (_request, reply) => await reply.type('video/mp4').send(Buffer.from(bytes)))
  })
  await server.start()
  t.after(async () => { await server.stop() })
  const client = new NodeApiClient({ url: server.address()!.url, token, certificate: tls.cert })
  const up = await client.fetch('POST /api/clips', { query: { camera: 'porch', start: 1 }, body: { data: Readable.from([bytes.subarray(0, 1_000_000), bytes.subarray(1_000_000)]), contentType: 'video/mp4', length: bytes.length } })
  assert.deepEqual(await up.json(), { size: bytes.length, camera: 'porch' })
  const down = await client.fetch('GET /api/footage/:cid', { params: { cid: 'x' }, query: { purpose: 'test' } })
  assert.equal(down.headers.get('content-type'), 'video/mp4')
  assert.deepEqual(new Uint8Array(await down.arrayBuffer()), bytes)
})

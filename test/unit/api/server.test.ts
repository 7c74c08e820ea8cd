import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApiServer, hostAllowList, isAllowedHost, type ApiServer } from '../../../node/api/index.js'
import { PorchlightError } from '../../../protocol/errors.js'

const token = 'test-token-0123456789abcdef0123456789abcdef'
const auth = { authorization: `Bearer ${token}` }

class ThingExistsError extends PorchlightError {
  static override readonly status = 409
  constructor () { super('THING_EXISTS', 'that thing exists'); this.name = 'ThingExistsError' }
}
class SecretFailureError extends PorchlightError {
  constructor () { super('SECRET_FAILURE', 'db at /var/secret failed'); this.name = 'SecretFailureError' }
}

function server (t: { after: (fn: () => Promise<void>) => void }, opts: { staticDir?: string } = {}): { api: ApiServer, things: Map<string, string>, internal: unknown[] } {
  const internal: unknown[] = []
  const api = createApiServer({ token, staticDir: opts.staticDir ?? false, onInternalError: (err) => { internal.push(err) } })
  const things = new Map<string, string>()
  api.addRoutes(async (app) => {
    app.get('/api/things/:id', {
      schema: { params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', pattern: '^[a-z]+$' } } } }
    }, async (req, reply) => {
      const value = things.get((req.params as { id: string }).id)
      if (value === undefined) return reply.callNotFound()
      return { id: (req.params as { id: string }).id, value }
    })
    app.post('/api/things', {
      schema: { body: { type: 'object', additionalProperties: false, required: ['id', 'value'], properties: { id: { type: 'string', pattern: '^[a-z]+$' }, value: { type: 'string', maxLength: 100 } } } }
    }, async (req, reply) => {
      const { id, value } = req.body as { id: string, value: string }
      if (things.has(id)) throw new ThingExistsError()
      things.set(id, value)
      return await reply.status(201).send({ id })
    })
    app.get('/api/public', { config: { public: true } }, async () => ({ hello: 'world' }))
    app.get('/api/crash', async () => { throw new Error('password=hunter2') })
    app.get('/api/unmapped', async () => { throw new SecretFailureError() })
  })
  t.after(async () => { await api.stop() })
  return { api, things, internal }
}

function errorOf (res: { json: () => unknown }): { code: string, message: string } {
  const body = res.json() as { error: { code: string, message: string } }
  assert.equal(typeof body.error.message, 'string')
  return body.error
}

test('a write without the right token is refused with 401 and changes nothing', async (t) => {
  const { api, things } = server(t)
  for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: token }, { authorization: `Basic ${token}` }]) {
    const res = await api.app.inject({ method: 'POST', url: '/api/things', headers, payload: { id: 'a', value: 'x' } })
    assert.equal(res.statusCode, 401)
    assert.equal(res.headers['www-authenticate'], 'Bearer')
    assert.equal(errorOf(res).code, 'UNAUTHORIZED')
  }
  assert.equal(things.size, 0)
  const ok = await api.app.inject({ method: 'POST', url: '/api/things', headers: auth, payload: { id: 'a', value: 'x' } })
  assert.equal(ok.statusCode, 201)
  assert.equal(things.get('a'), 'x')
})

test('reads need the token too, unless the route is public', async (t) => {
  const { api, things } = server(t)
  things.set('a', 'x')
  assert.equal((await api.app.inject({ url: '/api/things/a' })).statusCode, 401)
  assert.equal((await api.app.inject({ url: '/api/things/a', headers: auth })).json().value, 'x')
  assert.equal((await api.app.inject({ url: '/api/public' })).json().hello, 'world')
})

test('malformed bodies and params get 400 with a code, and change nothing', async (t) => {
  const { api, things } = server(t)
  const cases = [
    { payload: { id: 'a' }, code: 'VALIDATION_FAILED' },
    { payload: { id: 'a', value: 'x', extra: 1 }, code: 'VALIDATION_FAILED' },
    { payload: { id: 'A!', value: 'x' }, code: 'VALIDATION_FAILED' },
    { payload: '{"id": "a", ', code: 'MALFORMED_BODY', headers: { 'content-type': 'application/json' } }
  ]
  for (const c of cases) {
    const res = await api.app.inject({ method: 'POST', url: '/api/things', headers: { ...auth, ...c.headers }, payload: c.payload })
    assert.equal(res.statusCode, 400, JSON.stringify(c.payload))
    assert.equal(errorOf(res).code, c.code)
  }
  assert.equal(things.size, 0)
  const badParam = await api.app.inject({ url: '/api/things/NOPE', headers: auth })
  assert.equal(badParam.statusCode, 400)
})

test('typed errors map to their status; 404, 413 and 415 have codes; internals never leak', async (t) => {
  const { api, internal } = server(t)
  await api.app.inject({ method: 'POST', url: '/api/things', headers: auth, payload: { id: 'a', value: 'x' } })
  const conflict = await api.app.inject({ method: 'POST', url: '/api/things', headers: auth, payload: { id: 'a', value: 'y' } })
  assert.equal(conflict.statusCode, 409)
  assert.equal(errorOf(conflict).code, 'THING_EXISTS')

  const missing = await api.app.inject({ url: '/api/things/zzz', headers: auth })
  assert.equal(missing.statusCode, 404)
  assert.equal(errorOf(missing).code, 'NOT_FOUND')
  assert.equal(errorOf(await api.app.inject({ url: '/api/nowhere' })).code, 'NOT_FOUND')

  const big = await api.app.inject({ method: 'POST', url: '/api/things', headers: auth, payload: { id: 'b', value: 'x'.repeat(70_000) } })
  assert.equal(big.statusCode, 413)
  assert.equal(errorOf(big).code, 'PAYLOAD_TOO_LARGE')

  const text = await api.app.inject({ method: 'POST', url: '/api/things', headers: { ...auth, 'content-type': 'application/xml' }, payload: '<a/>' })
  assert.equal(text.statusCode, 415)
  assert.equal(errorOf(text).code, 'UNSUPPORTED_MEDIA_TYPE')

  for (const url of ['/api/crash', '/api/unmapped']) {
    const res = await api.app.inject({ url, headers: auth })
    assert.equal(res.statusCode, 500)
    assert.deepEqual(res.json(), { error: { code: 'INTERNAL', message: 'internal error' } })
  }
  assert.equal(internal.length, 2)
})

test('the OpenAPI document lists the routes, their schemas and the bearer scheme', async (t) => {
  const { api } = server(t)
  const res = await api.app.inject({ url: '/api/openapi.json' })
  assert.equal(res.statusCode, 200)
  const doc = res.json()
  assert.equal(doc.openapi, '3.1.0')
  assert.deepEqual(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer' })
  assert.deepEqual(doc.paths['/api/things'].post.security, [{ bearer: [] }])
  assert.equal(doc.paths['/api/public'].get.security, undefined)
  assert.ok(doc.paths['/api/things/{id}'].get.parameters.some((p: { name: string }) => p.name === 'id'))
  assert.equal(doc.paths['/api/openapi.json'], undefined)
})

test('routes that would break the rules are refused when added', async (t) => {
  const cases: Array<[string, (app: ApiServer['app']) => void]> = [
    ['public write', (app) => { app.post('/api/x', { config: { public: true }, schema: { body: { type: 'object', additionalProperties: false } } }, async () => ({})) }],
    ['body without schema', (app) => { app.post('/api/x', async () => ({})) }],
    ['params without schema', (app) => { app.get('/api/x/:id', async () => ({})) }],
    ['open object schema', (app) => { app.post('/api/x', { schema: { body: { type: 'object' } } }, async () => ({})) }],
    ['open submission without its own body limit', (app) => { app.post('/api/x', { config: { openSubmission: true }, schema: { body: { type: 'object', additionalProperties: false } } }, async () => ({})) }],
    ['open submission that is not a POST', (app) => { app.put('/api/x', { config: { openSubmission: true }, bodyLimit: 10, schema: { body: { type: 'object', additionalProperties: false } } }, async () => ({})) }]
  ]
  for (const [label, add] of cases) {
    const api = createApiServer({ token, staticDir: false })
    t.after(async () => { await api.stop() })
    api.addRoutes(async (app) => { add(app) })
    await assert.rejects(async () => { await api.app.ready() }, { name: 'RouteDefinitionError' }, label)
  }
})

test('an open submission takes a POST without the token, within its own body limit', async (t) => {
  const api = createApiServer({ token, staticDir: false })
  t.after(async () => { await api.stop() })
  const taken: string[] = []
  api.addRoutes(async (app) => {
    app.post('/api/evidence', {
      config: { openSubmission: true },
      bodyLimit: 64,
      schema: { body: { type: 'object', additionalProperties: false, required: ['note'], properties: { note: { type: 'string' } } } }
    }, async (req) => { taken.push((req.body as { note: string }).note); return { ok: true } })
  })
  const post = async (note: string): Promise<number> => (await api.app.inject({ method: 'POST', url: '/api/evidence', payload: { note } })).statusCode
  assert.equal(await post('seen'), 200)
  assert.equal(await post('x'.repeat(100)), 413)
  assert.deepEqual(taken, ['seen'])
})

test('it listens on 127.0.0.1 by default and serves the UI folder when there is one', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-ui-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await writeFile(join(dir, 'index.html'), '<h1>porchlight</h1>')
  await writeFile(join(dir, 'app.js'), 'console.log(1)')
  const { api } = server(t, { staticDir: dir })
  await api.start()
  const addr = api.address()
  assert.equal(addr?.host, '127.0.0.1')
  assert.notEqual(addr?.port, 0)
  const js = await fetch(`${addr?.url}/app.js`)
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8')
  assert.equal(await js.text(), 'console.log(1)')
  assert.equal(await (await fetch(`${addr?.url}/inbox/123`)).text(), '<h1>porchlight</h1>')
  assert.equal(await (await fetch(`${addr?.url}/..%2f..%2fetc%2fpasswd`)).text(), '<h1>porchlight</h1>')
  const apiMiss = await fetch(`${addr?.url}/api/nowhere`)
  assert.equal(apiMiss.status, 404)
  assert.equal((await apiMiss.json() as { error: { code: string } }).error.code, 'NOT_FOUND')
})

test('only a Host this server is known by is answered: any other is 421 before a route, the token or a file', async (t) => {
  const { api, things } = server(t)
  const refused: string[] = []
  api.on('request:refused', ({ code }) => { refused.push(code) })
  await api.start()
  const port = api.address()!.port
  const post = async (host: string): Promise<{ statusCode: number, json: () => unknown }> =>
    await api.app.inject({ method: 'POST', url: '/api/things', headers: { ...auth, host }, payload: { id: 'a', value: 'x' } })
  for (const host of [`evil.example.com:${port}`, 'evil.example.com', `localhost.evil.example.com:${port}`, `127.0.0.1.nip.io:${port}`, `localhost:${port + 1}`, `192.168.1.5:${port}`, 'user@localhost', 'localhost/x']) {
    const res = await post(host)
    assert.equal(res.statusCode, 421, host)
    assert.equal(errorOf(res).code, 'MISDIRECTED_REQUEST', host)
    for (const url of ['/api/public', '/api/nowhere', '/']) {
      assert.equal((await api.app.inject({ method: 'GET', url, headers: { host } })).statusCode, 421, `${host} ${url}`)
    }
  }
  assert.equal(things.size, 0)
  assert.ok(refused.length > 0 && refused.every((c) => c === 'MISDIRECTED_REQUEST'))
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `127.1:${port}`, `[0:0::1]:${port}`, 'LOCALHOST', 'localhost']) {
    assert.equal((await api.app.inject({ method: 'GET', url: '/api/public', headers: { host } })).statusCode, 200, host)
  }
  assert.equal((await post(`localhost:${port}`)).statusCode, 201)
  // inject always sends one; a client may send none (HTTP/1.0) or an empty one.
  for (const header of [undefined, '']) assert.equal(isAllowedHost(header, hostAllowList(), port), false)
})

test('the names it is configured with are answered too: announced, listened on, a URL with its port', async (t) => {
  const allowedHosts = hostAllowList({ host: '0.0.0.0', announce: ['/dns4/node.example.org/tcp/4001', '/ip4/203.0.113.7/tcp/4001'], urls: ['https://witness.example.net:8443'], names: ['Porch.Example.COM'] })
  const api = createApiServer({ token, staticDir: false, allowedHosts })
  t.after(async () => { await api.stop() })
  api.addRoutes(async (app) => { app.get('/api/public', { config: { public: true } }, async () => ({})) })
  await api.start()
  const port = api.address()!.port
  const status = async (host: string): Promise<number> => (await api.app.inject({ method: 'GET', url: '/api/public', headers: { host } })).statusCode
  for (const host of [`node.example.org:${port}`, `203.0.113.7:${port}`, 'witness.example.net:8443', 'witness.example.net', `porch.example.com:${port}`, `localhost:${port}`]) assert.equal(await status(host), 200, host)
  // A wildcard listen address is not a name, and a URL's port does not carry over to the other names.
  for (const host of [`0.0.0.0:${port}`, 'node.example.org:8443', `evil.example.com:${port}`]) assert.equal(await status(host), 421, host)
})

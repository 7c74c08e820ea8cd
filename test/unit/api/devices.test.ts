// Paired devices (node/api/devices.ts) behind the API server: a device's token opens the node's routes but
// not the managing of devices; revoking takes effect on the next request; only hashes are stored.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { Agent, get, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApiServer, type ApiServer, type RefusedRequest } from '../../../node/api/index.js'
import { DeviceBook, deviceRoutes } from '../../../node/api/devices.js'
import { openStore, type Store } from '../../../node/storage/index.js'
import type { DeviceView, PairedDevice } from '../../../protocol/index.js'

const token = 'node-token-0123456789abcdef0123456789abcdef'
const owner = { authorization: `Bearer ${token}` }

interface World { api: ApiServer, book: DeviceBook, store: Store, dir: string, refused: RefusedRequest[], now: { ms: number }, held: ServerResponse[] }

async function world (t: { after: (fn: () => Promise<void>) => void }, dir?: string): Promise<World> {
  const at = dir ?? await mkdtemp(join(tmpdir(), 'porchlight-devices-'))
  const store = await openStore(at)
  const now = { ms: Date.parse('2026-12-01T10:00:00Z') }
  const book = new DeviceBook({ db: store.sublevel<string, string>('devices', { valueEncoding: 'utf8' }), maxDevices: 3, clock: () => now.ms })
  await book.load()
  const api = createApiServer({ token, staticDir: false, devices: book })
  api.addRoutes(deviceRoutes({ book, link: (t) => `https://192.0.2.2:8443/#token=${t}`, fingerprint: () => 'AB:CD' }))
  api.addRoutes(async (app) => {
    app.get('/api/inbox', async () => ({ items: [] }))
    app.get('/api/whoami', async (request) => ({ device: request.device ?? null }))
    // Held open like an event stream: headers, then nothing until the connection ends.
    app.get('/api/hold', async (_request, reply) => { reply.hijack(); reply.raw.writeHead(200, { 'content-type': 'text/event-stream' }); reply.raw.write(': open\n\n'); held.push(reply.raw) })
  })
  const refused: RefusedRequest[] = []
  const held: ServerResponse[] = []
  api.on('request:refused', (r) => { refused.push(r) })
  await api.app.ready()
  t.after(async () => {
    await api.stop()
    await store.close()
    if (dir === undefined) await rm(at, { recursive: true, force: true })
  })
  return { api, book, store, dir: at, refused, now, held }
}

async function pair (api: ApiServer, name = 'phone'): Promise<PairedDevice> {
  const res = await api.app.inject({ method: 'POST', url: '/api/devices', headers: owner, payload: { name } })
  assert.equal(res.statusCode, 201, res.body)
  return res.json()
}

const as = (t: string): { authorization: string } => ({ authorization: `Bearer ${t}` })

test('a paired device\'s token opens the node\'s routes; its link carries it in the fragment, with the fingerprint', async (t) => {
  const { api } = await world(t)
  const paired = await pair(api)
  assert.equal(paired.link, `https://192.0.2.2:8443/#token=${paired.token}`)
  assert.equal(paired.fingerprint, 'AB:CD')
  assert.match(paired.token, /^[A-Za-z0-9_-]{43}$/)
  assert.equal((await api.app.inject({ method: 'GET', url: '/api/inbox', headers: as(paired.token) })).statusCode, 200)
  assert.equal((await api.app.inject({ method: 'GET', url: '/api/inbox', headers: as(`${paired.token}x`) })).statusCode, 401)
})

test('only the node\'s own token manages devices: a device\'s is refused with NODE_TOKEN_REQUIRED, counted, and pairs nothing', async (t) => {
  const { api, book, refused } = await world(t)
  const paired = await pair(api)
  for (const [method, url, payload] of [['GET', '/api/devices'], ['POST', '/api/devices', { name: 'another' }], ['DELETE', `/api/devices/${paired.device.id}`]] as const) {
    const res = await api.app.inject({ method, url, headers: as(paired.token), ...(payload === undefined ? {} : { payload }) })
    assert.equal(res.statusCode, 403, `${method} ${url}`)
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'NODE_TOKEN_REQUIRED')
  }
  assert.deepEqual(refused.map((r) => r.code), ['NODE_TOKEN_REQUIRED', 'NODE_TOKEN_REQUIRED', 'NODE_TOKEN_REQUIRED'])
  assert.deepEqual(book.list().map((d) => d.id), [paired.device.id])
})

test('a revoked device is refused on its very next request; the others keep working', async (t) => {
  const { api } = await world(t)
  const phone = await pair(api, 'phone')
  const tablet = await pair(api, 'tablet')
  const res = await api.app.inject({ method: 'DELETE', url: `/api/devices/${phone.device.id}`, headers: owner })
  assert.equal(res.statusCode, 200)
  assert.equal(res.json<DeviceView>().name, 'phone')
  const next = await api.app.inject({ method: 'GET', url: '/api/inbox', headers: as(phone.token) })
  assert.equal(next.statusCode, 401)
  assert.equal(next.json<{ error: { code: string } }>().error.code, 'UNAUTHORIZED')
  assert.equal((await api.app.inject({ method: 'GET', url: '/api/inbox', headers: as(tablet.token) })).statusCode, 200)
  const again = await api.app.inject({ method: 'DELETE', url: `/api/devices/${phone.device.id}`, headers: owner })
  assert.equal(again.statusCode, 404)
  assert.equal(again.json<{ error: { code: string } }>().error.code, 'UNKNOWN_DEVICE')
})

test('the list and the store hold no token: only its hash; a restarted node still knows the device, and not a revoked one', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-devices-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const first = await world(t, dir)
  const kept = await pair(first.api, 'kept')
  const gone = await pair(first.api, 'gone')
  await first.book.revoke(gone.device.id)
  const listed = await first.api.app.inject({ method: 'GET', url: '/api/devices', headers: owner })
  assert.deepEqual(listed.json<DeviceView[]>().map((d) => Object.keys(d).sort()), [['createdAt', 'id', 'name']])
  // Read through the root database, as a copy of the store would be.
  const stored: string[] = []
  for await (const [key, value] of first.store.db.iterator({ keyEncoding: 'utf8', valueEncoding: 'utf8' })) if (String(key).startsWith('!devices!')) stored.push(String(value))
  assert.equal(stored.length, 1)
  assert.ok(!stored[0]!.includes(kept.token), 'the token is not stored')
  await first.api.stop()
  await first.store.close()

  const second = await world(t, dir)
  assert.equal((await second.api.app.inject({ method: 'GET', url: '/api/inbox', headers: as(kept.token) })).statusCode, 200)
  assert.equal((await second.api.app.inject({ method: 'GET', url: '/api/inbox', headers: as(gone.token) })).statusCode, 401)
})

test('last use is kept to the minute; a full book refuses another device with TOO_MANY_DEVICES; a bad name is refused', async (t) => {
  const { api, book, now } = await world(t)
  const phone = await pair(api)
  now.ms += 90_000
  await api.app.inject({ method: 'GET', url: '/api/inbox', headers: as(phone.token) })
  assert.equal(book.list()[0]!.lastUsedAt, '2026-12-01T10:01:00.000Z')
  await pair(api, 'b')
  await pair(api, 'c')
  const full = await api.app.inject({ method: 'POST', url: '/api/devices', headers: owner, payload: { name: 'd' } })
  assert.equal(full.statusCode, 409)
  assert.equal(full.json<{ error: { code: string } }>().error.code, 'TOO_MANY_DEVICES')
  for (const name of ['', 'x'.repeat(65), 'tab\u0007']) {
    const res = await api.app.inject({ method: 'POST', url: '/api/devices', headers: owner, payload: { name } })
    assert.equal(res.statusCode, 400, JSON.stringify(name))
  }
  assert.equal(book.list().length, 3)
})

test('a route knows which device opened it (an event stream ends on its revocation, announced as device:revoked)', async (t) => {
  const { api, book } = await world(t)
  const phone = await pair(api)
  assert.deepEqual((await api.app.inject({ method: 'GET', url: '/api/whoami', headers: as(phone.token) })).json(), { device: phone.device.id })
  assert.deepEqual((await api.app.inject({ method: 'GET', url: '/api/whoami', headers: owner })).json(), { device: null })
  const revoked = once(book, 'device:revoked')
  await book.revoke(phone.device.id)
  assert.deepEqual((await revoked as [DeviceView]).map((d) => d.id), [phone.device.id])
})

test('revoking a device ends the connections its requests hold open (an event stream); the node\'s own stay open', async (t) => {
  const { api, book } = await world(t)
  await api.start()
  const phone = await pair(api)
  const hold = async (headers: Record<string, string>): Promise<{ res: IncomingMessage, req: ClientRequest }> => {
    const req = get(`${api.address()!.url}/api/hold`, { headers })
    const [res] = await once(req, 'response') as [IncomingMessage]
    assert.equal(res.statusCode, 200)
    await once(res, 'data')
    return { res, req }
  }
  const device = await hold(as(phone.token))
  const node = await hold(owner)
  t.after(() => { device.req.destroy(); node.req.destroy() })
  // The client sees its connection cut (an 'aborted' error), not an ended answer.
  const cut = once(device.res, 'error')
  await book.revoke(phone.device.id)
  assert.equal(((await cut)[0] as Error).message, 'aborted')
  assert.equal(device.res.complete, false)
  assert.equal(node.res.destroyed, false)
})

test('a revocation cuts only what the device has in flight: a kept-alive connection it used, now carrying the node\'s own stream, stays', async (t) => {
  const { api, book, held } = await world(t)
  await api.start()
  const phone = await pair(api)
  // One socket, kept alive, as a browser shares connections between tabs.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  t.after(() => { agent.destroy() })
  const url = api.address()!.url
  const done = await new Promise<IncomingMessage>((resolve) => { get(`${url}/api/whoami`, { agent, headers: as(phone.token) }, resolve) })
  done.resume()
  await once(done, 'end')
  const req = get(`${url}/api/hold`, { agent, headers: owner })
  t.after(() => { req.destroy() })
  const [res] = await once(req, 'response') as [IncomingMessage]
  await once(res, 'data')
  assert.equal(req.reusedSocket, true, 'the node\'s stream runs on the socket the device used')
  await book.revoke(phone.device.id)
  assert.equal((await api.app.inject({ method: 'GET', url: '/api/whoami', headers: as(phone.token) })).statusCode, 401)
  // The node's stream still carries what the server writes next (a cut one would end instead).
  held.at(-1)!.write(': still open\n\n')
  const next = await Promise.race([once(res, 'data').then(([chunk]) => String(chunk)), once(res, 'close').then(() => 'closed')])
  assert.equal(next, ': still open\n\n')
})

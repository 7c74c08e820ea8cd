// GET /api/ui and the PMTiles file by byte ranges (node/ui), the config sections they read (`ui`,
// `agency.timeZone`), and the CSP of the page naming a configured tile server or geocoder.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApiServer } from '../../../node/api/index.js'
import { generateKeys, parseConfig, type NodeConfig } from '../../../node/config/index.js'
import { createLogger } from '../../../node/logging/index.js'
import { machineTimeZone, uiOrigins, uiRoutes, uiSettings } from '../../../node/ui/index.js'
import type { ChainService } from '../../../node/chain/index.js'
import type { UiSettings } from '../../../protocol/index.js'
import { Registry } from 'prom-client'
import { uiMetrics } from '../../../node/metrics/ui.js'

const token = 'x'.repeat(43)
const auth = { authorization: `Bearer ${token}` }
const logger = createLogger({ level: 'silent' })

async function tempDir (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-ui-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

async function serve (t: { after: (fn: () => Promise<void>) => void }, config: NodeConfig, dir: string, chain?: ChainService) {
  const keys = await generateKeys(config.role)
  const service = uiSettings()({ config, dir, keys, logger, ...(chain === undefined ? {} : { chain }) })
  await service.start?.()
  const api = createApiServer({ token, staticDir: false })
  api.addRoutes(uiRoutes(service))
  const registry = new Registry()
  const stop = uiMetrics(registry, service)
  t.after(async () => { stop(); await api.stop() })
  return Object.assign(api, { registry })
}

test('a resident without a map configured gets `none` and no geocoder; the PMTiles route is a 404', async (t) => {
  const api = await serve(t, parseConfig({ version: 1, role: 'resident', name: 'r' }), await tempDir(t))
  const res = await api.app.inject({ url: '/api/ui', headers: auth })
  assert.deepEqual(res.json(), { map: { kind: 'none' } })
  assert.equal((await api.app.inject({ url: '/api/ui' })).statusCode, 401, 'behind the token')
  assert.equal((await api.app.inject({ url: '/api/map/tiles.pmtiles' })).statusCode, 404)
})

test('an agency gets its time zone (configured, else the machine\'s) and its jurisdiction from the registry', async (t) => {
  const dir = await tempDir(t)
  const cells = ['872830828ffffff']
  const chain = { registry: { jurisdictionOf: async () => cells } } as unknown as ChainService
  const denver = await serve(t, parseConfig({ version: 1, role: 'agency', name: 'a', agency: { timeZone: 'America/Denver' } }), dir, chain)
  const body = (await denver.app.inject({ url: '/api/ui', headers: auth })).json<UiSettings>()
  assert.equal(body.timeZone, 'America/Denver')
  assert.deepEqual(body.jurisdiction, cells)
  const plain = await serve(t, parseConfig({ version: 1, role: 'agency', name: 'a' }), dir)
  const other = (await plain.app.inject({ url: '/api/ui', headers: auth })).json<UiSettings>()
  assert.equal(other.timeZone, machineTimeZone())
  assert.deepEqual(other.jurisdiction, [], 'no chain: no jurisdiction, rather than a failure')
})

test('a PMTiles map is served by byte ranges; a range outside the file is RANGE_NOT_SATISFIABLE', async (t) => {
  const dir = await tempDir(t)
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251))
  await mkdir(join(dir, 'maps'))
  await writeFile(join(dir, 'maps', 'town.pmtiles'), bytes)
  const api = await serve(t, parseConfig({ version: 1, role: 'resident', name: 'r', ui: { map: { pmtiles: 'maps/town.pmtiles', attribution: '© OSM' } } }), dir)
  assert.deepEqual((await api.app.inject({ url: '/api/ui', headers: auth })).json(), { map: { kind: 'pmtiles', url: '/api/map/tiles.pmtiles', attribution: '© OSM' } })
  const part = await api.app.inject({ url: '/api/map/tiles.pmtiles', headers: { range: 'bytes=100-163' } })
  assert.equal(part.statusCode, 206)
  assert.equal(part.headers['content-range'], 'bytes 100-163/1000')
  assert.deepEqual(part.rawPayload, bytes.subarray(100, 164))
  const whole = await api.app.inject({ url: '/api/map/tiles.pmtiles' })
  assert.equal(whole.statusCode, 200)
  assert.deepEqual(whole.rawPayload, bytes)
  const suffix = await api.app.inject({ url: '/api/map/tiles.pmtiles', headers: { range: 'bytes=-10' } })
  assert.deepEqual(suffix.rawPayload, bytes.subarray(990))
  const bad = await api.app.inject({ url: '/api/map/tiles.pmtiles', headers: { range: 'bytes=2000-' } })
  assert.equal(bad.statusCode, 416)
  assert.equal(bad.json().error.code, 'RANGE_NOT_SATISFIABLE')
  assert.match(await api.registry.metrics(), /porchlight_map_requests_refused_total\{code="RANGE_NOT_SATISFIABLE"\} 1/)
})

test('a configured PMTiles file that is missing stops the start with INVALID_CONFIG', async (t) => {
  const config = parseConfig({ version: 1, role: 'resident', name: 'r', ui: { map: { pmtiles: 'nowhere.pmtiles' } } })
  const service = uiSettings()({ config, dir: await tempDir(t), keys: await generateKeys('resident'), logger })
  await assert.rejects(async () => await service.start?.(), { code: 'INVALID_CONFIG' })
})

test('config: a map is one of style, tiles or pmtiles; the zone is an IANA name; `agency` is for agencies', () => {
  const base = { version: 1, role: 'agency', name: 'a' }
  assert.throws(() => parseConfig({ ...base, agency: { timeZone: 'Mars/Olympus' } }), { code: 'INVALID_CONFIG' })
  assert.throws(() => parseConfig({ ...base, role: 'resident', agency: { timeZone: 'UTC' } }), { code: 'INVALID_CONFIG' })
  assert.throws(() => parseConfig({ ...base, ui: { map: { style: 'https://a/s.json', pmtiles: 'x' } } }), { code: 'INVALID_CONFIG' })
  assert.throws(() => parseConfig({ ...base, ui: { map: { tiles: 'https://t.example/tiles.png', type: 'raster' } } }), { code: 'INVALID_CONFIG' }, 'no {z}/{x}/{y}')
  assert.throws(() => parseConfig({ ...base, ui: { geocoder: { url: 'ftp://g' } } }), { code: 'INVALID_CONFIG' })
  const ok = parseConfig({ ...base, ui: { map: { tiles: 'https://t.example/{z}/{x}/{y}.png', type: 'raster' }, geocoder: { url: 'https://geo.example/search' } } })
  assert.deepEqual(uiOrigins(ok), ['https://t.example', 'https://geo.example'])
})

test('the page\'s CSP lets it fetch from the configured tile server and geocoder, and from nowhere else', async (t) => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'index.html'), '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; connect-src \'self\'; object-src \'none\'">')
  const api = createApiServer({ token, staticDir: dir, connectOrigins: ['https://t.example'] })
  t.after(async () => { await api.stop() })
  const page = (await api.app.inject({ url: '/' })).body
  assert.match(page, /connect-src 'self' https:\/\/t\.example;/)
  const plain = createApiServer({ token, staticDir: dir })
  t.after(async () => { await plain.stop() })
  assert.match((await plain.app.inject({ url: '/inbox' })).body, /connect-src 'self';/)
})

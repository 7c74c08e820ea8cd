// The street map and address search against a real resident node configured with a tile server and a
// Nominatim-compatible geocoder, both a local stand-in (no network): a camera found by address, placed by
// clicking the map and moved with the arrow keys. Headless Chromium draws WebGL with SwiftShader here; where
// it cannot, the map must fall back to the cells alone, and this test says so loudly instead of passing quietly.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import { crc32, deflateSync } from 'node:zlib'
import type { AddressInfo } from 'node:net'
import { createNode, residentRole, type PorchlightNode, type ResidentServices } from '../../node/index.js'
import { parseConfig } from '../../node/config/index.js'
import { announcementMessageId } from '../../node/network/index.js'
import { stubChain } from '../helpers/stub-chain.js'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { browserSuite, screenshot } from './helpers/browser.js'
import { buildUi } from './helpers/build-ui.js'

/** A 256×256 PNG of one colour: every tile of the stand-in tile server. */
function solidPng (r: number, g: number, b: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body))
    return Buffer.concat([len, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(256, 0); ihdr.writeUInt32BE(256, 4); ihdr[8] = 8; ihdr[9] = 2 // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: 256 }, () => [r, g, b]).flat())])
  const raw = Buffer.concat(Array.from({ length: 256 }, () => row))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

const TILE = solidPng(30, 160, 90)

const varint = (n: number): number[] => {
  const out: number[] = []
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128) }
  out.push(n)
  return out
}

/**
 * A PMTiles v3 archive (github.com/protomaps/PMTiles spec/v3) holding one raster tile, the whole world at
 * zoom 0 (MapLibre scales it up at every zoom): no compression, the root directory one entry, `{}` metadata.
 */
function onePngPmtiles (png: Buffer): Buffer {
  // Entries: tile id 0 (delta), run length 1, length, offset + 1 (0 would mean "right after the last").
  const dir = Buffer.from([...varint(1), ...varint(0), ...varint(1), ...varint(png.length), ...varint(0 + 1)])
  const meta = Buffer.from('{}')
  const header = Buffer.alloc(127)
  header.write('PMTiles', 0, 'ascii'); header[7] = 3
  const rootOffset = 127; const metaOffset = rootOffset + dir.length; const dataOffset = metaOffset + meta.length
  const u64 = (at: number, v: number): void => { header.writeBigUInt64LE(BigInt(v), at) }
  u64(8, rootOffset); u64(16, dir.length); u64(24, metaOffset); u64(32, meta.length); u64(40, dataOffset); u64(48, 0)
  u64(56, dataOffset); u64(64, png.length); u64(72, 1); u64(80, 1); u64(88, 1)
  header[96] = 1; header[97] = 1; header[98] = 1; header[99] = 2 // clustered; no internal, no tile compression; PNG
  header[100] = 0; header[101] = 0
  header.writeInt32LE(-1800000000, 102); header.writeInt32LE(-850000000, 106); header.writeInt32LE(1800000000, 110); header.writeInt32LE(850000000, 114)
  return Buffer.concat([header, dir, meta, png])
}
const PLACE = { display_name: '12 Birch Lane, Seattle', lat: '47.61010', lon: '-122.33010' }

interface World { node: PorchlightNode<ResidentServices>, tiles: Server, tileRequests: string[], searches: string[], stop: () => Promise<void> }

const suite = browserSuite(async (uiDir): Promise<World> => {
  const tileRequests: string[] = []
  const searches: string[] = []
  // What a tile server and Nominatim answer, with the CORS header both send (the page is another origin).
  const tiles = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    res.setHeader('access-control-allow-origin', '*')
    if (url.pathname.startsWith('/tiles/')) {
      tileRequests.push(url.pathname)
      res.writeHead(200, { 'content-type': 'image/png' }).end(TILE)
    } else if (url.pathname === '/search') {
      searches.push(`${url.searchParams.get('q') ?? ''}|${url.searchParams.get('format') ?? ''}`)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([PLACE]))
    } else {
      res.writeHead(404).end()
    }
  })
  tiles.listen(0, '127.0.0.1')
  await once(tiles, 'listening')
  const base = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}`
  const node = await createNode({
    config: parseConfig({
      version: 1,
      role: 'resident',
      name: 'birch lane',
      ui: { map: { tiles: `${base}/tiles/{z}/{x}/{y}.png`, type: 'raster', attribution: '© test tiles' }, geocoder: { url: `${base}/search` } }
    }),
    services: residentRole({ chain: stubChain(async (address) => ({ address, name: 'Seattle PD', cells: [], validUntil: 0, status: 'active' })) }),
    libp2p: { messageId: announcementMessageId },
    staticDir: uiDir
  })
  await node.start()
  return {
    node,
    tiles,
    tileRequests,
    searches,
    stop: async () => {
      await node.stop()
      tiles.closeAllConnections()
      tiles.close()
      await once(tiles, 'close')
    }
  }
})

test('a camera found by address and placed by clicking the street map (WebGL drawn, or the cells alone said loudly)', async (t) => {
  const { node, tileRequests, searches } = suite.server()
  const page = await suite.browser().page()
  await page.setViewportSize({ width: 1366, height: 900 })
  await page.goto(`${node.info().api!.url}/#token=${node.keys.apiToken}`)
  await page.getByRole('tab', { name: 'Cameras' }).click()
  await page.getByRole('button', { name: 'Add a camera' }).click()
  await page.getByLabel('Name').fill('porch')
  await page.getByRole('searchbox', { name: 'Find the address' }).fill('12 Birch Lane')
  await page.getByRole('searchbox', { name: 'Find the address' }).press('Enter')
  await page.getByRole('button', { name: PLACE.display_name }).click()
  assert.deepEqual(searches, ['12 Birch Lane|jsonv2'])
  assert.equal(await page.getByLabel('Latitude').inputValue(), '47.610100')

  const figure = page.locator('figure.hexmap')
  await page.waitForFunction(() => ['ready', 'failed'].includes((globalThis as any).document.querySelector('figure.hexmap')?.dataset.basemap), undefined, { timeout: 60_000 })
  const state = await figure.getAttribute('data-basemap')
  if (state === 'failed') {
    const why = await figure.locator('.basemap-state').innerText()
    const warning = `!!! WEBGL: the street map could not be drawn in this Chromium (${why}); the map fell back to the cell layer. Check the browser's software GL (SwiftShader) flags.`
    console.warn(warning)
    t.diagnostic(warning)
    assert.match(why, /cells only/, 'the page says it shows the cells alone')
  } else {
    assert.ok(tileRequests.length > 0, 'tiles were fetched from the configured server')
    assert.match(await figure.locator('.basemap-state').innerText(), /street map © test tiles/)
    // The map's own pixels: the frame looks different with the base map hidden.
    const frame = figure.locator('.hexmap-frame')
    const withMap = await frame.screenshot()
    await page.addStyleTag({ content: '.basemap { visibility: hidden }' })
    const without = await frame.screenshot()
    assert.notDeepEqual(withMap, without, 'the base map drew something under the cells')
    await page.addStyleTag({ content: '.basemap { visibility: visible }' })
  }

  // A click on the map moves the pin there; the arrow keys move it by a few metres.
  const map = page.getByRole('application', { name: /click where the camera is/ })
  const box = (await map.boundingBox())!
  await map.click({ position: { x: box.width * 0.75, y: box.height * 0.3 } })
  const clicked = Number(await page.getByLabel('Latitude').inputValue())
  assert.ok(clicked > 47.6101 && clicked - 47.6101 < 0.01, `clicked north of the address: ${clicked}`)
  await map.press('ArrowUp')
  assert.ok(Number(await page.getByLabel('Latitude').inputValue()) > clicked, 'ArrowUp moved the pin north')
  await screenshot(page, 'a11y-map-camera-1366')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByRole('status').filter({ hasText: 'Saved porch.' }).waitFor()
  const saved = node.services.cameras.get('porch')
  assert.ok(saved !== undefined && saved.lat > clicked, `saved at ${saved?.lat}`)
  await page.close()
})

test('offline: a PMTiles file on the node\'s disk, served by the node in byte ranges, drawn under the cells', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-pmtiles-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await writeFile(join(dir, 'town.pmtiles'), onePngPmtiles(solidPng(200, 80, 40)))
  const node = await createNode({
    config: parseConfig({ version: 1, role: 'resident', name: 'oak street', cameras: [{ name: 'porch', lat: 47.61, lng: -122.33 }], ui: { map: { pmtiles: join(dir, 'town.pmtiles'), attribution: 'test extract' } } }),
    services: residentRole({ chain: stubChain(async (address) => ({ address, name: 'Seattle PD', cells: [], validUntil: 0, status: 'active' })) }),
    libp2p: { messageId: announcementMessageId },
    staticDir: await buildUi() // the suite's own build, made once per process
  })
  await node.start()
  const page = await suite.browser().page()
  t.after(async () => { await page.close(); await node.stop() })
  await page.goto(`${node.info().api!.url}/#token=${node.keys.apiToken}`)
  await page.getByRole('tab', { name: 'Cameras' }).click()
  await page.getByRole('button', { name: 'Edit porch' }).click()
  await page.waitForFunction(() => ['ready', 'failed'].includes((globalThis as any).document.querySelector('figure.hexmap')?.dataset.basemap), undefined, { timeout: 60_000 })
  const figure = page.locator('figure.hexmap')
  if (await figure.getAttribute('data-basemap') === 'failed') {
    const warning = `!!! WEBGL: the PMTiles street map could not be drawn (${await figure.locator('.basemap-state').innerText()}); the map fell back to the cell layer.`
    console.warn(warning)
    t.diagnostic(warning)
    return
  }
  assert.match(await figure.locator('.basemap-state').innerText(), /street map test extract/)
  const frame = figure.locator('.hexmap-frame')
  const withMap = await frame.screenshot()
  await page.addStyleTag({ content: '.basemap { visibility: hidden }' })
  assert.notDeepEqual(withMap, await frame.screenshot(), 'the PMTiles map drew something under the cells')
  await page.addStyleTag({ content: '.basemap { visibility: visible }' })
  await screenshot(page, 'a11y-map-pmtiles-1366')
})

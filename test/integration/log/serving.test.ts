// The log served per C2SP tlog-tiles over real HTTP (the node's API server) and over libp2p: an auditor's
// fetches compute the checkpoint's root from the tiles, full tiles are immutable, bad paths are 400, tiles
// past the latest checkpoint are 404.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  TileHashReader, decodeEntryBundle, decodeHashTile, entryBundlePath, equalHashes, hashLeaf, openCheckpoint,
  rootAt, tilePath
} from '../../../protocol/tlog/index.js'
import type { PorchlightError } from '../../../protocol/errors.js'
import { createApiServer } from '../../../node/api/index.js'
import { createPorchlightLibp2p } from '../../../node/p2p/index.js'
import {
  AUDIT_PROTOCOL, AgencyLog, fetchAuditResource, handleAuditProtocol, logRoutes
} from '../../../node/log/index.js'
import { AGENCY, AGENCY_KEY, CHAIN_ID, entryFor, tempStore } from '../../helpers/log-store.js'

const ORIGIN = `porchlight.${CHAIN_ID}/${AGENCY}`
const SIZE = 600 // two full level-0 tiles, a partial one of 88, a partial level-1 tile of 2

async function servedLog (t: { after: (fn: () => Promise<void>) => void }): Promise<{ log: AgencyLog, url: string }> {
  const store = await tempStore()
  const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID, checkpointIntervalMs: 60_000 })
  await Promise.all(Array.from({ length: SIZE }, async (_, i) => await log.append(entryFor(i, 4 + (i % 40)))))
  await log.checkpointCovering(SIZE - 1)
  const api = createApiServer({ token: 'x'.repeat(32), staticDir: false })
  api.addRoutes(logRoutes(log))
  await api.start()
  t.after(async () => { await api.stop(); await log.close(); await store.destroy() })
  return { log, url: api.address()!.url }
}

async function get (url: string, init?: RequestInit): Promise<{ status: number, headers: Headers, bytes: Uint8Array }> {
  const res = await fetch(url, init)
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) }
}

test('an auditor computes the signed root from tiles fetched over HTTP, and every entry matches its leaf', async (t) => {
  const { url } = await servedLog(t)
  const cp = await get(`${url}/checkpoint`)
  assert.equal(cp.status, 200)
  assert.match(cp.headers.get('content-type')!, /^text\/plain/)
  assert.equal(cp.headers.get('cache-control'), 'no-cache')
  const { checkpoint, signer } = openCheckpoint(new TextDecoder().decode(cp.bytes), ORIGIN)
  assert.equal(signer, AGENCY)
  assert.equal(checkpoint.size, SIZE)

  const fetched: string[] = []
  const reader = new TileHashReader(checkpoint.size, async (_tile, path) => {
    fetched.push(path)
    const res = await get(`${url}/${path}`)
    assert.equal(res.status, 200, path)
    return res.bytes
  })
  assert.ok(equalHashes(await rootAt(checkpoint.size, reader), checkpoint.root))
  assert.ok(fetched.includes('tile/1/000.p/2'))

  for (const [index, width] of [[0, 256], [1, 256], [2, 88]] as const) {
    const bundle = await get(`${url}/${entryBundlePath(index, width)}`)
    const leaves = decodeHashTile((await get(`${url}/${tilePath(0, index, width)}`)).bytes, width)
    decodeEntryBundle(bundle.bytes, width).forEach((entry, i) => {
      assert.deepEqual(entry, entryFor(index * 256 + i, 4 + ((index * 256 + i) % 40)))
      assert.ok(equalHashes(hashLeaf(entry), leaves[i]!))
    })
  }
})

test('full tiles are immutable, partial tiles short-lived, HEAD answers too', async (t) => {
  const { url } = await servedLog(t)
  const full = await get(`${url}/tile/0/001`)
  assert.equal(full.status, 200)
  assert.equal(full.bytes.length, 256 * 32)
  assert.equal(full.headers.get('cache-control'), 'public, max-age=31536000, immutable')
  assert.equal(full.headers.get('content-type'), 'application/octet-stream')
  const partial = await get(`${url}/tile/0/002.p/88`)
  assert.equal(partial.bytes.length, 88 * 32)
  assert.equal(partial.headers.get('cache-control'), 'public, max-age=1')
  // A narrower partial tile is the prefix of the wider one (an older checkpoint's view).
  assert.deepEqual((await get(`${url}/tile/0/002.p/5`)).bytes, partial.bytes.subarray(0, 5 * 32))
  const head = await fetch(`${url}/tile/entries/000`, { method: 'HEAD' })
  assert.equal(head.status, 200)
  assert.equal(head.headers.get('cache-control'), 'public, max-age=31536000, immutable')
})

test('malformed paths are 400 INVALID_TILE_PATH; tiles past the checkpoint are 404 TILE_NOT_FOUND', async (t) => {
  const { url } = await servedLog(t)
  for (const path of ['tile/0/2', 'tile/00/000', 'tile/0/000.p/256', 'tile/0/000.p/0', 'tile/x/000', 'tile/0/x000/001', 'tile/entries/1']) {
    const res = await get(`${url}/${path}`)
    assert.equal(res.status, 400, path)
    assert.equal(JSON.parse(new TextDecoder().decode(res.bytes)).error.code, 'INVALID_TILE_PATH', path)
  }
  for (const path of ['tile/0/003', 'tile/0/002', 'tile/0/002.p/89', 'tile/1/000', 'tile/2/000.p/1', 'tile/entries/002', 'tile/entries/x001/000']) {
    const res = await get(`${url}/${path}`)
    assert.equal(res.status, 404, path)
    assert.equal(JSON.parse(new TextDecoder().decode(res.bytes)).error.code, 'TILE_NOT_FOUND', path)
  }
  assert.equal((await get(`${url}/tile/0/000`, { method: 'POST' })).status, 404)
})

test('tiles are served up to the latest checkpoint only, not up to the unsigned size', async (t) => {
  const { log, url } = await servedLog(t)
  await Promise.all(Array.from({ length: 200 }, async (_, i) => await log.append(entryFor(SIZE + i))))
  assert.equal((await get(`${url}/tile/0/002`)).status, 404)
  await log.checkpointCovering(SIZE + 199)
  assert.equal((await get(`${url}/tile/0/002`)).status, 200)
})

test('the same resources over /porchlight/audit/1.0.0, errors as typed codes', async (t) => {
  const { log } = await servedLog(t)
  const server = await createPorchlightLibp2p()
  const client = await createPorchlightLibp2p()
  t.after(async () => { await Promise.all([server.stop(), client.stop()]) })
  await handleAuditProtocol(server, log)
  assert.ok(server.getProtocols().includes(AUDIT_PROTOCOL))

  const note = new TextDecoder().decode(await fetchAuditResource(client, server.getMultiaddrs(), 'checkpoint'))
  assert.equal(note, log.latestCheckpoint.note)
  const reader = new TileHashReader(SIZE, async (_tile, path) => await fetchAuditResource(client, server.getMultiaddrs(), path))
  assert.ok(equalHashes(await rootAt(SIZE, reader), log.latestCheckpoint.root))
  const bundle = decodeEntryBundle(await fetchAuditResource(client, server.getMultiaddrs(), 'tile/entries/002.p/88'), 88)
  assert.deepEqual(bundle[0], entryFor(512, 4 + (512 % 40)))

  for (const [path, code] of [['tile/0/003', 'TILE_NOT_FOUND'], ['tile/0/3', 'INVALID_TILE_PATH'], ['robots.txt', 'UNKNOWN_LOG_PATH'], [42, 'UNKNOWN_LOG_PATH']] as const) {
    await assert.rejects(fetchAuditResource(client, server.getMultiaddrs(), path as string),
      (err: PorchlightError) => err.name === 'RemoteError' && err.details.code === code, String(path))
  }
})

test('a full entry bundle of maximal entries (the largest resource) crosses libp2p in one frame', async (t) => {
  const store = await tempStore()
  const log = await AgencyLog.open({ db: store.db, agencyKey: AGENCY_KEY, chainId: CHAIN_ID, checkpointIntervalMs: 60_000 })
  const server = await createPorchlightLibp2p()
  const client = await createPorchlightLibp2p()
  t.after(async () => { await Promise.all([server.stop(), client.stop()]); await log.close(); await store.destroy() })
  const big = new Uint8Array(0xffff).fill(7)
  await Promise.all(Array.from({ length: 256 }, async () => await log.append(big)))
  await log.checkpointCovering(255)
  await handleAuditProtocol(server, log)
  const bytes = await fetchAuditResource(client, server.getMultiaddrs(), 'tile/entries/000', { timeoutMs: 30_000 })
  assert.equal(bytes.length, 256 * (2 + 0xffff))
})

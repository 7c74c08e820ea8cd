// `porchlight consent` against a stand-in node: an HTTP server behind a node.json and api-token, as a running
// node leaves them. What is checked is the command (its flags, the call it makes, its exit codes).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cliInProcess } from '../../helpers/cli.js'

test('porchlight consent posts the clips for the request, --withdraw the share; refusals exit 1, bad flags 2', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'porchlight-consent-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const calls: Array<{ method: string, url: string, auth: string | undefined, body: unknown }> = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      calls.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') })
      if (req.url!.includes('unknown')) res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'INBOX_ITEM_NOT_FOUND', message: 'no such request' } }))
      else res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'share-1', state: 'pending' }))
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(async () => { server.closeAllConnections(); server.close(); await once(server, 'close') })

  assert.equal((await cliInProcess(['consent', 'req-1', '--clips', 'c1', '--dir', dir])).code, 1, 'no node.json: NODE_NOT_RUNNING')
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  await writeFile(join(dir, 'node.json'), JSON.stringify({ pid: process.pid, api: { host: '127.0.0.1', port: 0, url } }))
  await writeFile(join(dir, 'api-token'), 'tok\n')

  const given = await cliInProcess(['consent', 'req 1', '--clips', 'c1, c2', '--dir', dir])
  assert.equal(given.code, 0, given.err)
  assert.deepEqual(JSON.parse(given.out), { id: 'share-1', state: 'pending' })
  assert.deepEqual(calls.shift(), { method: 'POST', url: '/api/inbox/req%201/consent', auth: 'Bearer tok', body: { clips: ['c1', 'c2'] } })

  // Ranges of a camera's recordings (repeatable; a camera name may hold ':'), with clips or alone.
  const ranged = await cliInProcess(['consent', 'req-1', '--range', 'porch:1800000000:1800000030', '--range', 'side:gate:1800000040:1800000050', '--dir', dir])
  assert.equal(ranged.code, 0, ranged.err)
  assert.deepEqual(calls.shift()?.body, { ranges: [{ camera: 'porch', from: 1800000000, to: 1800000030 }, { camera: 'side:gate', from: 1800000040, to: 1800000050 }] })
  assert.equal((await cliInProcess(['consent', 'req-1', '--clips', 'c1', '--range', 'porch:1:2', '--dir', dir])).code, 0)
  assert.deepEqual(calls.shift()?.body, { clips: ['c1'], ranges: [{ camera: 'porch', from: 1, to: 2 }] })
  // --no-labels: every clip and range goes without its camera's name.
  assert.equal((await cliInProcess(['consent', 'req-1', '--clips', 'c1,c2', '--range', 'porch:1:2', '--no-labels', '--dir', dir])).code, 0)
  assert.deepEqual(calls.shift()?.body, { clips: ['c1', 'c2'], labels: { c1: null, c2: null }, ranges: [{ camera: 'porch', from: 1, to: 2, label: null }] })

  assert.equal((await cliInProcess(['consent', '--withdraw', 'share-1', '--dir', dir])).code, 0)
  assert.deepEqual(calls.shift(), { method: 'POST', url: '/api/shares/share-1/withdraw', auth: 'Bearer tok', body: {} })

  const refused = await cliInProcess(['consent', 'unknown', '--clips', 'c1', '--dir', dir])
  assert.equal(refused.code, 1)
  assert.match(refused.err, /INBOX_ITEM_NOT_FOUND/)
  calls.length = 0
  for (const argv of [['consent', '--dir', dir], ['consent', 'req-1', '--dir', dir], ['consent', 'req-1', '--withdraw', 's', '--dir', dir], ['consent', 'req-1', '--clips', ' , ', '--dir', dir],
    ['consent', 'req-1', '--range', 'porch:30:20', '--dir', dir], ['consent', 'req-1', '--range', 'porch:1.5:20', '--dir', dir], ['consent', 'req-1', '--range', ':1:2', '--dir', dir],
    ['consent', '--withdraw', 's', '--range', 'porch:1:2', '--dir', dir]]) {
    assert.equal((await cliInProcess(argv)).code, 2, argv.join(' '))
  }
  assert.deepEqual(calls, [], 'bad flags reach no node')
})
